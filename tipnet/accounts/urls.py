from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("2fa/setup/", views.setup_2fa, name="setup_2fa"),
    path("2fa/verify/", views.verify_2fa, name="verify_2fa"),
    path("tokens/new/", views.create_token, name="create_token"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("agencies/", views.agency_list, name="agencies"),
]
