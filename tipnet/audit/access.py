"""Who may read the audit log: node administrators only."""

from django.http import Http404

from .models import AuditEvent


def access_audit_events(user):
    """Return the audit events `user` may read, or raise Http404."""
    if not (user.is_authenticated and user.has_role("node_admin")):
        raise Http404
    return AuditEvent.objects.all()
