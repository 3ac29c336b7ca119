from django.urls import path

app_name = "victims"

urlpatterns: list = []
