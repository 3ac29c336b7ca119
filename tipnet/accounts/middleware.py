"""Second factor: users with a TOTP device must enter a code; node administrators must have one.

And the Content-Security-Policy every response carries.
"""

from django.core.cache.backends.locmem import LocMemCache
from django.shortcuts import redirect
from django.urls import reverse

ALWAYS_ALLOWED = ("/accounts/logout/", "/accounts/2fa/", "/i18n/", "/static/", "/api/")

# Sessions found with no second factor to ask for, per worker, for a minute: finding it out
# read the user's devices on every page. A device confirmed in another session is asked for in
# this one within the minute (the session that confirms it is verified at once).
NO_FACTOR_SECONDS = 60
_no_factor = LocMemCache(
    "tipnet-no-factor", {"TIMEOUT": NO_FACTOR_SECONDS, "OPTIONS": {"MAX_ENTRIES": 10_000}}
)


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
        session = getattr(request, "session", None)
        key = f"{session.session_key}:{user.pk}" if session and session.session_key else None
        if key is not None and _no_factor.get(key):
            return None
        from django_otp import user_has_device

        if user_has_device(user, confirmed=True):
            return reverse("accounts:verify_2fa")
        if user.has_role("node_admin"):
            return reverse("accounts:setup_2fa")
        if key is not None:
            _no_factor.set(key, True)
        return None


# Scripts and styles only from this node's own files: an injected <script>, on*= handler,
# javascript: URL or style attribute does not run. Pages keep none of their own (htmx is told not
# to add its indicator <style>, see base.html); a test fails on any violation in the browser.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Set the Content-Security-Policy header on every response that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
