"""This node's checks policy, read by the actions and by the message handlers."""

from tipnet.cases.enums import PersonRole

from .models import CheckPolicy

DEFAULT_ROLES = [PersonRole.SUSPECT.value]


def policy() -> CheckPolicy:
    """This node's policy (created with the defaults on first use)."""
    found, _created = CheckPolicy.objects.get_or_create(
        pk=1, defaults={"checkable_roles": list(DEFAULT_ROLES)}
    )
    return found
