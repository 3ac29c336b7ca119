"""Bearer-token authentication for the JSON API, with failures throttled per client address."""

from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer

from . import actions, throttle
from .models import ApiToken, hash_token


class ApiTokenAuth(HttpBearer):
    def __call__(self, request):
        address = throttle.client_address(request)
        wait = throttle.seconds_locked(address)
        if wait:
            raise Throttled(wait)
        user = super().__call__(request)
        # A request without a token is not a guess; one with a token that fails is.
        failed = user is None and bool(request.headers.get(self.header))
        if failed and throttle.count_failure(address):
            actions.do_lock_out_api_address(address)
        return user

    def authenticate(self, request, token: str):
        if not token.startswith(ApiToken.PREFIX) or len(token) > 100:
            return None
        found = (
            ApiToken.objects.select_related("user", "user__agency")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if found is None or not found.is_usable() or not found.user.is_active:
            return None
        now = timezone.now()
        # Touch last use at most once a minute to keep reads cheap.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
