from django.conf import settings

from tipnet.navigation import area_counts, areas, cached_counts, remember_counts, waiting


def node(request):
    return {"node_id": settings.TIPNET_NODE_ID, "node_country": settings.TIPNET_NODE_COUNTRY}


def waiting_for(request) -> list:
    """What waits for the signed-in user, gathered once per request (menu and home share it)."""
    if not hasattr(request, "_tipnet_waiting"):
        user = getattr(request, "user", None)
        request._tipnet_waiting = waiting(user) if user is not None else []
    return request._tipnet_waiting


def navigation(request):
    """The areas the signed-in user may open, with how many things wait in each (gathered
    afresh where the page gathered what waits, as the home page does, else cached briefly)."""
    user = getattr(request, "user", None)
    found = areas(user) if user is not None else []
    counts: dict[str, int] = {}
    if found:
        cached = None if hasattr(request, "_tipnet_waiting") else cached_counts(request)
        if cached is None:
            counts = area_counts(found, waiting_for(request))
            remember_counts(request, counts)
        else:
            counts = cached
    return {
        "areas": [(a, counts.get(a.key, 0)) for a in found],
        "waiting_total": sum(counts.values()),
    }
