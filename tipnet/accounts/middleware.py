"""Second factor: users with a TOTP device must enter a code; node administrators must have one."""

from django.shortcuts import redirect
from django.urls import reverse

ALWAYS_ALLOWED = ("/accounts/logout/", "/accounts/2fa/", "/i18n/", "/static/", "/api/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._redirect_target(request)
        if target and not request.path.startswith(ALWAYS_ALLOWED):
            return redirect(target)
        return self.get_response(request)

    def _redirect_target(self, request) -> str | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        from django_otp import user_has_device

        if user_has_device(user, confirmed=True):
            return reverse("accounts:verify_2fa")
        if user.has_role("node_admin"):
            return reverse("accounts:setup_2fa")
        return None
