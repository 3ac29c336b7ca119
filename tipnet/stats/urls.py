from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/", views.download, name="download"),
    path("region/", views.regional, name="regional"),
    path("region/send/", views.send, name="send"),
]
