from django.urls import path

from . import views

app_name = "checks"
urlpatterns = [
    path("", views.home, name="home"),
    path("case/<int:case_id>/", views.case_results, name="case"),
    path("case/<int:case_id>/new/", views.new, name="new"),
    path("hits/", views.hits, name="hits"),
    path("hits/<str:reference>/", views.hit_detail, name="hit"),
    path("hits/<str:reference>/review/", views.hit_review, name="hit_review"),
    path("hits/<str:reference>/sharing/", views.hit_sharing, name="hit_sharing"),
    path("policy/", views.policy, name="policy"),
    path("policy/rebuild/", views.rebuild, name="rebuild"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/close/", views.alert_close, name="alert_close"),
]
