app_name = "mla"

urlpatterns: list = []
