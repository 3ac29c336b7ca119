"""Who may read the audit log: node administrators only."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from .models import AuditEvent


def access_audit_events(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """Return the audit events `user` may read, or raise Http404."""
    # audit sits below accounts and cannot import its User: the role check is asked of the user
    # object, and a user without roles reads nothing.
    has_role = getattr(user, "has_role", None)
    if not (user.is_authenticated and has_role is not None and has_role("node_admin")):
        raise Http404
    return AuditEvent.objects.all()
