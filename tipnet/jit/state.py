"""The state an agreement is in, from the signatures this node holds."""

from django.utils import timezone

from .enums import State


def signed_nodes(agreement) -> set[str]:
    """The parties' nodes that signed the agreement's current version and text."""
    rows = agreement.signatures.filter(
        version=agreement.version, text_sha256=agreement.text_sha256
    ).values_list("node", flat=True)
    return set(rows)


def settle(agreement) -> None:
    """In force once every party signed the current version; proposed or amended before."""
    if agreement.state == State.ENDED:
        return
    if signed_nodes(agreement) >= set(agreement.nodes()):
        state = State.EXTENDED if agreement.extended_until else State.IN_FORCE
    else:
        state = State.PROPOSED if agreement.version == 1 else State.AMENDED
    if state != agreement.state:
        agreement.state, agreement.updated_at = state, timezone.now()
        agreement.save(update_fields=["state", "updated_at"])
