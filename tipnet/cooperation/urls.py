from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.box, name="box"),
    path("new/", views.new, name="new"),
    path("<int:thread_id>/", views.thread_detail, name="thread"),
    path("<int:thread_id>/reply/", views.reply, name="reply"),
    path("<int:thread_id>/forward/", views.forward, name="forward"),
    path("<int:thread_id>/export/", views.export, name="export"),
    path("<int:thread_id>/consent/", views.consent_request, name="consent"),
    path("<int:thread_id>/consent/answer/", views.consent_answer, name="consent_answer"),
    path("<int:thread_id>/assign/", views.assign, name="assign"),
    path("<int:thread_id>/items/<int:item_id>/attach/", views.attach, name="attach"),
    path("<int:thread_id>/files/<int:file_id>/", views.file_download, name="file"),
]
