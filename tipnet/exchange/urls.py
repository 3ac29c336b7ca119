from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.message_log, name="log"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/batch/", views.inbox_batch, name="inbox-batch"),
]
