from django.conf import settings


def node(request):
    return {"node_id": settings.TIPNET_NODE_ID, "node_country": settings.TIPNET_NODE_COUNTRY}
