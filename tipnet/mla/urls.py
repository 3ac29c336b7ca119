from django.urls import path

app_name = "mla"

urlpatterns: list = []
