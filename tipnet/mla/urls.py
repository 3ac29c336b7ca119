from django.urls import path

from . import views, wizard

app_name = "mla"

urlpatterns = [
    path("", views.register, name="register"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("treaties/", views.treaties, name="treaties"),
    path("treaties/<str:country>/<str:instrument>/", views.treaty_status, name="treaty_status"),
    path("deadlines/<str:basis>/", views.deadlines, name="deadlines"),
    path("new/", wizard.new_request, name="new"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/step/<slug:step>/", wizard.step, name="step"),
    path("<int:request_id>/persons/<int:person_id>/", wizard.person_edit, name="person_edit"),
    path("<int:request_id>/submit/", views.submit, name="submit"),
    path("<int:request_id>/revise/", views.revise, name="revise"),
    path("<int:request_id>/do/<slug:name>/", views.transition, name="transition"),
    path("<int:request_id>/record/<slug:name>/", views.record_step, name="record_step"),
    path("<int:request_id>/letter.<str:fmt>", views.letter, name="letter"),
    path("<int:request_id>/files/<int:file_id>/", views.file_download, name="file"),
]
