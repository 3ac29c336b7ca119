"""Filtering the MLA register, for its page and its API alike."""

from django.db.models import Q


def filter_register(requests, data: dict):
    """Apply the register's filters (direction, state, counterpart country, reference)."""
    if data.get("direction"):
        requests = requests.filter(direction=data["direction"])
    if data.get("state"):
        requests = requests.filter(state=data["state"])
    if data.get("country"):
        c = data["country"]
        requests = requests.filter(
            Q(direction="outgoing", requested_state=c) | Q(direction="incoming", requesting_state=c)
        )
    if data.get("q"):
        requests = requests.filter(
            Q(reference__icontains=data["q"]) | Q(counterpart_ref__icontains=data["q"])
        )
    return requests
