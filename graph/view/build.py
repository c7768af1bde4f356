"""Assembling a view: the chosen nodes, their items, the layout and the notes the page shows."""

from __future__ import annotations

import math

from graph.view.items import _articles, _edges, _node_item
from graph.view.layout import _group_items, _layout, _options
from graph.view.model import (
    _FOCUS_BORDER,
    GROUP_ABOVE,
    MAX_NODES,
    PHYSICS_MAX_NODES,
    _text,
    _View,
)
from graph.view.selection import _find_focus, _select


def _build(G, *, focus=None, depth=2, max_nodes=MAX_NODES, title=None, page=False):
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive integer, got {max_nodes!r}")
    keep, omitted = _select(G, focus, depth, max_nodes)
    top = max((G.degree(n) for n in keep), default=1) or 1
    physics = len(keep) <= PHYSICS_MAX_NODES
    known = G.graph.get("articles") or {}
    nodes = [_node_item(G, n, math.sqrt(G.degree(n) / top), known, page or not physics) for n in keep]
    centers = set() if focus is None else set(_find_focus(G, focus))
    for item, n in zip(nodes, keep):
        if n in centers:
            item["dg"]["focus"] = True
            item["borderWidth"] = 4
            item["size"] = max(item["size"], 26)
            for look in (item["color"], item["color"]["highlight"], item["color"]["hover"]):
                look["border"] = _FOCUS_BORDER
    edges = _edges(G, keep)
    groups = [] if physics else _layout(nodes, edges)
    group_items, group_edges = ([], [])
    notes = omitted.notes()
    if page and len(nodes) > GROUP_ABOVE:
        group_items, group_edges = _group_items(G, nodes, edges, groups)
        notes.append(
            f"The {len(nodes):,} nodes are drawn as {len(group_items):,} groups "
            "(communities found by the Louvain method); click a group to open it, "
            "double-click inside an open group to close it."
        )
    hidden = sum(1 for e in edges if e.get("hidden"))
    if hidden:
        notes.append(
            f"{hidden:,} deal link(s) are drawn through their deal node, not twice; untick Deal to see them as links."
        )
    name = title or _text(G.graph.get("name")) or "dealgraph"
    return _View(
        nodes,
        edges,
        _options(len(nodes), physics),
        _articles(G, nodes, edges),
        name,
        G.number_of_nodes(),
        G.number_of_edges(),
        physics,
        group_items,
        group_edges,
        notes,
        len(edges) - hidden,
    )
