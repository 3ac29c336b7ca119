"""The network picture of a case: the page, one hop more (JSON) and the GraphML export.

All three start from `access_case` and build the graph from `case_network` or `neighbours`,
which leave out what the user may not see; they share the page's filters, so a download holds
what the page shows.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.lib.errors import error_body

from .access import access_case
from .enums import IdentifierKind, PersonRole
from .network import case_network, connections, filter_graph, neighbours
from .network_export import graphml

PAGE_DEPTH = 2


def _filters(request) -> tuple[list[str], list[str]]:
    roles = [r for r in request.GET.getlist("role") if r in PersonRole.values]
    kinds = [k for k in request.GET.getlist("kind") if k in IdentifierKind.values]
    return roles, kinds


def _graph(request, case):
    roles, kinds = _filters(request)
    graph = filter_graph(case_network(request.user, case, depth=PAGE_DEPTH), roles, kinds)
    return graph, roles, kinds


@login_required
def case_network_page(request, case_id: int):
    case = access_case(request.user, case_id)
    graph, roles, kinds = _graph(request, case)
    linked = [
        {"pk": int(n["id"][1:]), "label": n["label"]}
        for n in graph["nodes"]
        if n["kind"] == "case" and not n.get("is_root")
    ]
    record("cases:network:view", actor=request.user, obj=case, nodes=len(graph["nodes"]))
    context = {
        "case": case,
        "graph": graph,
        "linked": linked,
        "connections": connections(graph),
        "role_choices": [(v, label, v in roles) for v, label in PersonRole.choices],
        "kind_choices": [(v, label, v in kinds) for v, label in IdentifierKind.choices],
        "query": request.GET.urlencode(),
        "has_external": any(n["kind"] == "external" for n in graph["nodes"]),
    }
    return render(request, "cases/case_network.html", context)


def _not_found() -> JsonResponse:
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


@login_required
def case_network_expand(request, case_id: int):
    """The neighbours of one node (?node=...), as JSON, for the picture's "expand"."""
    try:
        case = access_case(request.user, case_id)
    except Http404:
        return _not_found()
    # Printable characters only: the node id is quoted in the audit event.
    node = "".join(ch for ch in request.GET.get("node", "")[:200] if ch.isprintable())
    found = neighbours(request.user, node) if node else None
    if found is None:
        record("cases:network:denied", actor=request.user, obj=case, node=node)
        return _not_found()
    roles, kinds = _filters(request)
    found = filter_graph(found, roles, kinds)
    record("cases:network:expand", actor=request.user, obj=case, node=node)
    return JsonResponse(found)


@login_required
def case_network_graphml(request, case_id: int):
    """The page's graph, with the same filters, as a GraphML download."""
    case = access_case(request.user, case_id)
    graph, _roles, _kinds = _graph(request, case)
    record("cases:network:export", actor=request.user, obj=case, nodes=len(graph["nodes"]))
    response = HttpResponse(graphml(graph), content_type="application/graphml+xml")
    response["Content-Disposition"] = f'attachment; filename="network-{case.pk}.graphml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
