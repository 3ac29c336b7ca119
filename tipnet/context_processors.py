from django.conf import settings

from tipnet.navigation import areas


def node(request):
    return {"node_id": settings.TIPNET_NODE_ID, "node_country": settings.TIPNET_NODE_COUNTRY}


def navigation(request):
    """The areas the signed-in user may open, for the menu and the home page."""
    user = getattr(request, "user", None)
    return {"areas": areas(user) if user is not None else []}
