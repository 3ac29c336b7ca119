app_name = "victims"

urlpatterns: list = []
