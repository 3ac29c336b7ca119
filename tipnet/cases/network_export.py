"""The network picture as GraphML, for analysis tools (Gephi, yEd, i2-style charts).

The file holds the graph the page draws for the same user and filters, nothing more: it is built
from `case_network`, which leaves out what the user may not see.
"""

import io

# Attributes written for every node that has them; lists are joined by a comma.
NODE_FIELDS = ("kind", "label", "type", "roles", "chain_roles", "shared", "is_root", "x", "y")
EXTERNAL_FIELDS = ("node", "reference", "strength", "valid_until")


def graphml(graph: dict) -> bytes:
    """The graph (`case_network`'s shape) as a GraphML document in UTF-8."""
    import networkx as nx  # on first use, as in network_layout

    out = nx.Graph()
    for node in graph["nodes"]:
        out.add_node(node["id"], **_attributes(node, NODE_FIELDS + EXTERNAL_FIELDS))
    for edge in graph["edges"]:
        out.add_edge(edge["source"], edge["target"], label=edge["label"])
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8")
    return buffer.getvalue()


def _attributes(node: dict, fields: tuple[str, ...]) -> dict:
    found = {}
    for field in fields:
        value = node.get(field)
        if value is None or value == []:
            continue
        found[field] = ",".join(value) if isinstance(value, list) else value
    return found
