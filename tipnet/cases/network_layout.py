"""Positions for the network picture, the same for the same graph on every load.

A spring layout (networkx, Fruchterman-Reingold) started from a fixed seed over nodes and edges
in a fixed order: a browser-side force layout starts from random positions, so the picture
moved at every reload and a user could not find again what they had seen.
"""

import math

SEED = 1729
# Pixels per unit of the layout's square, grown with the graph so that nodes keep apart
# and their labels (shown on hover or when zoomed in) have room.
SPACING = 90


def place(nodes: list[dict], edges: list[dict]) -> None:
    """Set "x" and "y" on every node of `nodes` (in place), from a seeded spring layout."""
    if not nodes:
        return
    # Imported here: networkx takes most of a second to import, which every `tipnet` command
    # and worker would otherwise pay at start-up.
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in nodes)
    graph.add_edges_from((e["source"], e["target"]) for e in edges)
    scale = SPACING * max(1.0, math.sqrt(len(nodes)))
    positions = nx.spring_layout(graph, seed=SEED, scale=scale, iterations=80)
    for node in nodes:
        x, y = positions[node["id"]]
        node["x"], node["y"] = round(float(x), 1), round(float(y), 1)
