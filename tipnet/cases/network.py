"""The network around a case: persons, shared identifiers and the other cases they appear in.

Only cases the user may see and persons they may see (no hidden victims) enter the graph, so
the picture never shows more than the case pages do. The graph is returned as plain nodes and
edges (the shape Cytoscape.js reads) and laid out in the browser.
"""

from collections import defaultdict

from .access import visible_case_persons
from .models import Case, Identifier

MAX_NODES = 400


def _person_node(row) -> dict:
    return {
        "id": f"p{row.person_id}",
        "kind": "person",
        "label": row.person.latin_name or row.person.full_name,
        "roles": [],
    }


def case_network(user, case: Case, depth: int = 2) -> dict:
    """Nodes and edges reachable from `case` through shared persons and identifiers."""
    rows = visible_case_persons(user)
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], dict] = {}
    frontier, seen_cases = {case.pk}, set[int]()
    for _level in range(depth):
        frontier -= seen_cases
        if not frontier or len(nodes) > MAX_NODES:
            break
        seen_cases |= frontier
        found = list(rows.filter(case_id__in=frontier))
        person_ids = {r.person_id for r in found}
        shared = _sharing_persons(person_ids)
        found += list(rows.filter(person_id__in=shared | person_ids).exclude(case_id__in=frontier))
        frontier = _add_rows(found, nodes, edges)
        _add_identifiers({r.person_id for r in found}, nodes, edges)
    nodes.setdefault(f"c{case.pk}", {"id": f"c{case.pk}", "kind": "case", "label": case.reference})
    nodes[f"c{case.pk}"]["is_root"] = True
    return {"nodes": list(nodes.values())[:MAX_NODES], "edges": list(edges.values())}


def _sharing_persons(person_ids: set[int]) -> set[int]:
    # Values are encrypted; equal values share their keyed hash.
    values = Identifier.objects.filter(person_id__in=person_ids).values("kind", "keyed")
    pairs = {(v["kind"], v["keyed"]) for v in values}
    if not pairs:
        return set()
    by_kind = defaultdict(set)
    for kind, value in pairs:
        by_kind[kind].add(value)
    others: set[int] = set()
    for kind, values_of_kind in by_kind.items():
        others |= set(
            Identifier.objects.filter(kind=kind, keyed__in=values_of_kind).values_list(
                "person_id", flat=True
            )
        )
    return others


def _add_rows(found, nodes, edges) -> set[int]:
    new_cases = set()
    for row in found:
        cid, pid = f"c{row.case_id}", f"p{row.person_id}"
        if cid not in nodes:
            nodes[cid] = {"id": cid, "kind": "case", "label": row.case.reference}
            new_cases.add(row.case_id)
        person = nodes.setdefault(pid, _person_node(row))
        role = row.chain_role or row.role
        if role not in person["roles"]:
            person["roles"].append(role)
        edges[(cid, pid)] = {"source": cid, "target": pid, "label": role}
    return new_cases


def _add_identifiers(person_ids: set[int], nodes, edges) -> None:
    counts: dict[tuple[str, str], set[int]] = defaultdict(set)
    for ident in Identifier.objects.filter(person_id__in=person_ids):
        counts[(ident.kind, ident.normalised)].add(ident.person_id)
    for (kind, value), owners in counts.items():
        iid = f"i{kind}:{value}"
        nodes.setdefault(iid, {"id": iid, "kind": "identifier", "label": value, "type": kind})
        nodes[iid]["shared"] = len(owners) > 1 or nodes[iid].get("shared", False)
        for pid in owners:
            edges[(f"p{pid}", iid)] = {"source": f"p{pid}", "target": iid, "label": kind}
