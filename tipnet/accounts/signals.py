"""Log-ins, log-outs and failed log-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tipnet.audit.actions import record


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record("accounts:session:login", actor=user, obj=user, address=_address(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("accounts:session:logout", actor=user, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record("accounts:session:login_failed", username=username, address=_address(request))
