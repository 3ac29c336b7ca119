"""The network around a case: persons, shared identifiers, the other cases they appear in, and
what partner nodes answered about its persons.

Only cases the user may see and persons they may see (no hidden victims) enter the graph, so
the picture never shows more than the case pages do. The graph is returned as plain nodes and
edges (the shape Cytoscape.js reads), in a fixed order and with positions from a seeded layout
(`network_layout`), so the same data gives the same picture on every load.

Other apps add nodes outside this node's records through `register_external` (the checks app
adds the hits of cross-border checks): they import this app, so it cannot import them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from .access import visible_case_persons, visible_cases
from .enums import ChainRole, IdentifierKind, PersonRole
from .models import Case, CasePerson, Identifier
from .network_layout import place

MAX_NODES = 400
KIND_ORDER = {"case": 0, "person": 1, "identifier": 2, "external": 3}

# A source of external nodes: given the user and the person rows in the graph, the nodes to
# add, each naming in "person" the id of the person node it hangs from.
ExternalSource = Callable[[object, list[CasePerson]], list[dict]]
_external_sources: list[ExternalSource] = []


def register_external(source: ExternalSource) -> None:
    """Add a source of external nodes (called from an app's `ready()`; idempotent)."""
    if source not in _external_sources:
        _external_sources.append(source)


def case_network(user, case: Case, depth: int = 2) -> dict:
    """Nodes and edges reachable from `case` through shared persons and identifiers."""
    rows = visible_case_persons(user)
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], dict] = {}
    frontier, seen_cases = {case.pk}, set[int]()
    all_rows: list[CasePerson] = []
    for _level in range(depth):
        frontier -= seen_cases
        if not frontier or len(nodes) > MAX_NODES:
            break
        seen_cases |= frontier
        found = list(rows.filter(case_id__in=frontier))
        person_ids = {r.person_id for r in found}
        shared = _sharing_persons(person_ids)
        found += list(rows.filter(person_id__in=shared | person_ids).exclude(case_id__in=frontier))
        all_rows += found
        frontier = _add_rows(found, nodes, edges)
        _add_identifiers({r.person_id for r in found}, nodes, edges)
    _add_external(user, all_rows, nodes, edges)
    nodes.setdefault(f"c{case.pk}", _case_node(case.pk, case.reference))
    nodes[f"c{case.pk}"]["is_root"] = True
    return _finish(nodes, edges, root=f"c{case.pk}")


def neighbours(user, node_id: str) -> dict | None:
    """The nodes one hop from `node_id` that `user` may see; None for a node they may not see.

    A case gives its persons, a person their cases, identifiers and external nodes, an
    identifier the persons who hold it. Missing and forbidden nodes alike give None.
    """
    rows = visible_case_persons(user)
    kind, _sep, rest = str(node_id)[:200].partition(":")
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], dict] = {}
    if node_id[:1] == "c" and node_id[1:].isdigit():
        found = _case_rows(user, rows, int(node_id[1:]))
    elif node_id[:1] == "p" and node_id[1:].isdigit():
        found = list(rows.filter(person_id=int(node_id[1:])))
        _add_identifiers({r.person_id for r in found}, nodes, edges)
        _add_external(user, found, nodes, edges)
    elif kind[:1] == "i" and kind[1:] in IdentifierKind.values and rest:
        owners = Identifier.objects.filter(kind=kind[1:], keyed=rest).values("person_id")
        found = list(rows.filter(person_id__in=owners))
        _add_identifiers({r.person_id for r in found}, nodes, edges, only=(kind[1:], rest))
    else:
        return None
    if found is None or not found:
        return None
    _add_rows(found, nodes, edges, with_cases=node_id[:1] != "i")
    return _finish(nodes, edges, root=node_id)


def _case_rows(user, rows, case_id: int) -> list[CasePerson] | None:
    case = visible_cases(user).filter(pk=case_id).first()
    if case is None:
        return None
    # A visible case without visible persons still answers, with itself alone.
    return list(rows.filter(case_id=case_id)) or [CasePerson(case=case, role="")]


def filter_graph(graph: dict, roles: Iterable[str] = (), kinds: Iterable[str] = ()) -> dict:
    """The graph without persons of no role in `roles` and identifiers of no kind in `kinds`.

    An empty selection keeps everything of that sort. Nodes left hanging only from a removed
    person (their identifiers, external nodes) go too; cases stay.
    """
    roles, kinds = set(roles), set(kinds)
    dropped = {
        n["id"]
        for n in graph["nodes"]
        if (roles and n["kind"] == "person" and not roles & set(n["roles"]))
        or (kinds and n["kind"] == "identifier" and n["type"] not in kinds)
    }
    edges = [e for e in graph["edges"] if not {e["source"], e["target"]} & dropped]
    linked = {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = [
        n
        for n in graph["nodes"]
        if n["id"] not in dropped and (n["kind"] == "case" or n["id"] in linked)
    ]
    return {"nodes": nodes, "edges": edges}


def connections(graph: dict) -> list[dict]:
    """The edges of `graph` with both ends' labels, for the table under the picture."""
    by_id = {n["id"]: n for n in graph["nodes"]}
    return [
        {"source": by_id[e["source"]], "label": e["label"], "target": by_id[e["target"]]}
        for e in graph["edges"]
    ]


def _case_node(pk: int, reference: str) -> dict:
    return {"id": f"c{pk}", "kind": "case", "label": reference}


def _person_node(row) -> dict:
    return {
        "id": f"p{row.person_id}",
        "kind": "person",
        "label": row.person.latin_name or row.person.full_name,
        "roles": [],
        "chain_roles": [],
    }


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


def _role_label(row) -> str:
    if row.chain_role:
        return str(ChainRole(row.chain_role).label)
    return str(PersonRole(row.role).label)


def _add_rows(found, nodes, edges, with_cases: bool = True) -> set[int]:
    new_cases = set()
    for row in found:
        cid = f"c{row.case_id}"
        if with_cases and cid not in nodes:
            nodes[cid] = _case_node(row.case_id, row.case.reference)
            new_cases.add(row.case_id)
        if not row.role:  # a case without visible persons
            continue
        person = nodes.setdefault(f"p{row.person_id}", _person_node(row))
        if row.role not in person["roles"]:
            person["roles"].append(row.role)
        if row.chain_role and row.chain_role not in person["chain_roles"]:
            person["chain_roles"].append(row.chain_role)
        if with_cases:
            edges[(cid, person["id"])] = {
                "source": cid,
                "target": person["id"],
                "label": _role_label(row),
            }
    return new_cases


def _add_identifiers(person_ids: set[int], nodes, edges, only=None) -> None:
    owners: dict[tuple[str, str], set[int]] = defaultdict(set)
    values: dict[tuple[str, str], str] = {}
    for ident in Identifier.objects.filter(person_id__in=person_ids):
        key = (ident.kind, ident.keyed)
        if only is None or key == only:
            owners[key].add(ident.person_id)
            values[key] = ident.normalised
    for (kind, keyed), holders in owners.items():
        iid = f"i{kind}:{keyed}"
        node = nodes.setdefault(
            iid, {"id": iid, "kind": "identifier", "label": values[(kind, keyed)], "type": kind}
        )
        node["shared"] = len(holders) > 1 or node.get("shared", False)
        for pid in holders:
            edges[(f"p{pid}", iid)] = {
                "source": f"p{pid}",
                "target": iid,
                "label": str(IdentifierKind(kind).label),
            }


def _add_external(user, rows: list[CasePerson], nodes, edges) -> None:
    if not rows:
        return
    for source in _external_sources:
        for node in source(user, rows):
            person, label = node.pop("person"), node.pop("edge_label", "")
            nodes.setdefault(node["id"], node)
            edges[(person, node["id"])] = {"source": person, "target": node["id"], "label": label}


def _sort_key(node: dict) -> tuple:
    number = node["id"][1:]
    return (KIND_ORDER.get(node["kind"], 9), int(number) if number.isdigit() else 0, node["id"])


def _finish(nodes: dict[str, dict], edges: dict, root: str) -> dict:
    """Order nodes and edges, cut at MAX_NODES (the root first), place them."""
    ordered = sorted(nodes.values(), key=lambda n: (n["id"] != root, *_sort_key(n)))
    kept = ordered[:MAX_NODES]
    ids = {n["id"] for n in kept}
    kept_edges = [edges[key] for key in sorted(edges) if key[0] in ids and key[1] in ids]
    place(kept, kept_edges)
    return {"nodes": kept, "edges": kept_edges}
