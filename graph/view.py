"""Look at the graph: a self-contained, offline HTML view built on vis-network.

The input is the ``networkx.MultiDiGraph`` made by :mod:`graph.network`: nodes
keyed by IRI with ``label``, ``type`` (and, for deals, ``deal_type``,
``status``, ``date``, ``value``, ``currency``), edges keyed by relation with
``label``, ``evidence``, ``date``, ``sources`` ... and
``G.graph["articles"]`` describing the articles.

Every string in that graph comes from news articles and is treated as
untrusted: labels are drawn on a canvas, tooltips and the details panel are
filled with ``textContent``, the data travel as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&``
escaped, and a Content-Security-Policy only lets the page's own scripts (by
hash) run and forbids every network connection.

pyvis 0.3.2 is used for what it does well, the vis-network files it ships;
its HTML template (which links a CDN even with ``cdn_resources="in_line"``)
and ``Network.from_nx`` (quadratic) are not used.

Large graphs stay readable: above ``PHYSICS_MAX_NODES`` nodes the layout is
computed here (community by community, each in its own disc), above
``GROUP_ABOVE`` the page opens on the communities drawn as groups that open on
click; labels are drawn by the page's script, most connected first and only
where they fit, at every zoom; a cap (``max_nodes``) keeps the same share of
every type, and the page says what was left out and why. A deal is drawn once,
as its node labelled with its kind and year.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import html
import json
import math
import os
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:  # imported lazily at run time
    from IPython.display import HTML
    from pyvis.network import Network

__all__ = ["to_pyvis", "to_html", "render_page", "write_html", "write_page", "notebook_html",
           "ViewPage"]

#: Above this many nodes, positions are computed in Python and physics is off.
PHYSICS_MAX_NODES = 300

#: Above this many nodes, the page opens on communities drawn as groups.
GROUP_ABOVE = 500

#: Shown at most, by default (each type keeps the same share when more qualify).
MAX_NODES = 5000

#: Node type -> (fill, border, vis-network shape). Unknown types use ``None``.
NODE_STYLES = {
    "Person": ("#a9c8ea", "#2f6aa8", "dot"),
    "Organization": ("#ffd8ae", "#d9731a", "box"),
    "Product": ("#b5dfa9", "#3f8a35", "triangle"),
    "Deal": ("#f7b3b4", "#c4393c", "diamond"),
    None: ("#d9d9d9", "#7a7a7a", "dot"),
}

#: Relation -> edge colour, by family (roles, ownership, deals, products).
_ROLE, _OWN, _DEAL, _MAKE = "#6b7f99", "#8d6e63", "#c4393c", "#3f8a35"
RELATION_COLORS = {
    "ceo_of": _ROLE, "founder_of": _ROLE, "chair_of": _ROLE,
    "executive_of": _ROLE, "board_member_of": _ROLE, "works_for": _ROLE,
    "subsidiary_of": _OWN, "acquired": _DEAL, "invested_in": _DEAL,
    "deal_with": _DEAL, "party": _DEAL, "acquirer": _DEAL, "target": _DEAL,
    "investor": _DEAL, "investee": _DEAL, "launched": _MAKE, "offers": _MAKE,
}
_SYMMETRIC = {"deal_with"}
_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|%|vh|em|rem)$")
_MAX_LABEL, _MAX_EVIDENCE, _MAX_TIP_ITEMS = 48, 280, 3
_ARTICLE_KEYS = ("title", "published", "url", "publisher")
_MIN_GROUP, _POOL_SIZE = 8, 150
_DEAL_RELATIONS = {"acquired", "invested_in", "deal_with"}
_DEAL_ROLES = {"party", "acquirer", "target", "investor", "investee"}
_FOCUS_BORDER = "#e8590c"


@dataclass(frozen=True)
class _View:
    """What both the pyvis network and the HTML page are made of."""

    nodes: list
    edges: list
    options: dict
    articles: dict
    title: str
    total_nodes: int
    total_edges: int
    physics: bool
    groups: list
    group_edges: list
    notes: list
    drawn_edges: int


# --------------------------------------------------------------------------
# Choosing the nodes


def _find_focus(G, focus):
    """Return the nodes whose IRI is ``focus`` or whose label/alias matches it."""
    if focus in G:
        return [focus]
    wanted = focus.strip().casefold()
    found = [n for n, d in G.nodes(data=True) if wanted in _names(d)]
    if not found:
        labels = [str(d.get("label", n)) for n, d in G.nodes(data=True)]
        close = difflib.get_close_matches(focus, labels, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"unknown focus {focus!r}: no node has that IRI, label or alias{hint}")
    return found


def _names(d):
    """The casefolded label and aliases of a node's attributes."""
    return {str(s).strip().casefold() for s in [d.get("label", ""), *(d.get("aliases") or [])]}


def _distances(G, centers, depth):
    """Hops from the nearest of ``centers``, ignoring edge direction."""
    dist = {c: 0 for c in centers}
    queue = deque(centers)
    while queue:
        n = queue.popleft()
        if dist[n] == depth:
            continue
        for m in (*G.succ[n], *G.pred[n]):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    return dist


def _select(G, focus, depth, max_nodes):
    """The nodes to show, most important first, and a :class:`_Omitted` saying what was left out.

    When more than ``max_nodes`` nodes qualify, every type keeps the same share
    of its nodes (largest remainders), nearest the focus then most connected
    first: a cap never drops a whole type because its nodes have few links.
    """
    centers = [] if focus is None else _find_focus(G, focus)
    dist = dict.fromkeys(G, 0) if focus is None else _distances(G, centers, depth)
    ranked = sorted(dist, key=lambda n: (dist[n], -G.degree(n), str(n)))
    by_type = {}
    for n in ranked:
        by_type.setdefault(_text(G.nodes[n].get("type")), []).append(n)
    if len(ranked) <= max_nodes:
        keep = ranked
    else:
        share = {t: max_nodes * len(ns) / len(ranked) for t, ns in by_type.items()}
        quota = {t: int(x) for t, x in share.items()}
        for t in sorted(share, key=lambda t: (quota[t] - share[t], str(t)))[: max_nodes - sum(quota.values())]:
            quota[t] += 1
        chosen = {n for t, ns in by_type.items() for n in ns[: quota[t]]}
        chosen.update(centers)
        keep = [n for n in ranked if n in chosen][:max_nodes]
    kept = set(keep)
    per_type = [(t or "Other", sum(1 for n in ns if n in kept), len(ns))
                for t, ns in sorted(by_type.items(), key=lambda kv: _type_order(kv[0]))]
    omitted = _Omitted([_label_of(G, c) for c in centers], depth, len(dist), max_nodes,
                       per_type, G.number_of_nodes())
    return keep, omitted


def _type_order(kind):
    order = list(NODE_STYLES)
    return (order.index(kind), "") if kind in order else (len(order), str(kind))


def _label_of(G, n):
    return _text(G.nodes[n].get("label")) or str(n)


@dataclass(frozen=True)
class _Omitted:
    """What the selection left out, and why (for the page's note and the CLI)."""

    centers: list
    depth: int
    candidates: int
    max_nodes: int
    per_type: list  # (type, kept, candidates)
    total: int

    def notes(self):
        """Plain sentences for the page.

        >>> _Omitted(["Apple"], 1, 3, 2, [("Person", 1, 2), ("Organization", 1, 1)], 10).notes()[0]
        'Around Apple: the 3 nodes within 1 hop (7 other nodes of the graph left out; --depth widens).'
        """
        out = []
        if self.centers:
            names = ", ".join(self.centers[:3]) + (" \u2026" if len(self.centers) > 3 else "")
            hops = "hop" if self.depth == 1 else "hops"
            out.append(f"Around {names}: the {self.candidates:,} nodes within {self.depth} {hops} "
                       f"({self.total - self.candidates:,} other nodes of the graph left out; "
                       "--depth widens).")
        kept = sum(k for _, k, _ in self.per_type)
        if kept < self.candidates:
            parts = ", ".join(f"{t} {k:,} of {c:,}" for t, k, c in self.per_type)
            out.append(f"Left out {self.candidates - kept:,} of {self.candidates:,} nodes to stay "
                       f"within max_nodes={self.max_nodes:,}: each type keeps the same share, "
                       f"its most connected first ({parts}). Raise --max-nodes (max_nodes= "
                       "in the address) or use --focus to see the rest.")
        return out


# --------------------------------------------------------------------------
# Items


def _text(value):
    """``value`` as a string, or None when missing."""
    return None if value is None or value == "" else str(value)


def _number(value):
    """``value`` as a finite float, or None."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _short(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _node_item(G, n, importance, articles, compact):
    d = G.nodes[n]
    kind = _text(d.get("type"))
    fill, border, shape = NODE_STYLES.get(kind, NODE_STYLES[None])
    if compact and shape == "box":  # a box is as wide as its label, even zoomed out
        shape = "square"
    label = _text(d.get("label")) or str(n)
    shown = _deal_label(d) if kind == "Deal" else label
    aliases = [str(a) for a in d.get("aliases") or [] if str(a) != label]
    info = {
        "type": kind, "label": label, "iri": str(n), "aliases": aliases,
        "articles": [str(a) for a in d.get("articles") or []], "degree": G.degree(n),
    }
    if kind == "Deal":
        info.update({k: _text(d.get(k)) for k in ("deal_type", "status", "date", "currency")})
        info["value"] = _number(d.get("value"))
        info["evidence"] = _text(d.get("evidence"))
    return {
        "id": str(n), "label": _short(shown, _MAX_LABEL), "shape": shape,
        "color": {"background": fill, "border": border,
                  "highlight": {"background": fill, "border": "#111111"},
                  "hover": {"background": fill, "border": "#111111"}},
        "size": round(10 + 22 * importance, 1),
        "font": {"size": round(13 + 9 * importance, 1)},
        "title": _node_tip(label, info, articles), "dg": info,
    }


def _deal_label(d):
    """A deal's short label: its kind and year ("Acquisition 2016"), drawn once on its node.

    >>> _deal_label({"deal_type": "Partnership", "date": "2014-10-27", "label": "A and B"})
    'Partnership 2014'
    >>> _deal_label({"label": "A and B: deal"})
    'Deal (undated)'
    >>> _deal_label({"deal_type": "JointVenture", "date": "2020"})
    'Joint venture 2020'
    """
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", _text(d.get("deal_type")) or "Deal").capitalize()
    year = re.match(r"\d{4}", _text(d.get("date")) or "")
    return f"{kind} {year.group(0)}" if year else f"{kind} (undated)"


def _node_tip(label, info, articles):
    kind = info["type"] or "Entity"
    if kind == "Deal":
        kind = " \u00b7 ".join(filter(None, [info.get("deal_type") or "Deal", info.get("status"),
                                             info.get("date")]))
    lines = [label, kind]
    if info["aliases"]:
        lines.append("Also known as: " + ", ".join(info["aliases"]))
    if info["articles"]:
        lines.append(f"Mentioned in {len(info['articles'])} article(s):")
        for a in info["articles"][:_MAX_TIP_ITEMS]:
            meta = articles.get(a) or {}
            lines.append("\u2022 " + _short(meta.get("title") or a, 90))
    return "\n".join(lines)


def _sources(d):
    """The edge's sources, or one made from its best evidence when it has none."""
    sources = [s for s in d.get("sources") or [] if isinstance(s, dict)]
    if not sources and (d.get("evidence") or d.get("article")):
        sources = [{k: d.get(k) for k in ("article", "article_title", "evidence", "confidence")}]
    keys = ("article", "article_title", "published", "evidence")
    return [{**{k: _text(s.get(k)) for k in keys}, "confidence": _number(s.get("confidence"))}
            for s in sources]


def _edge_item(G, u, v, key, d, i):
    relation = _text(d.get("relation")) or str(key)
    label = _text(d.get("label")) or relation.replace("_", " ")
    info = {
        "relation": relation, "label": label, "title": _text(d.get("title")),
        "date": _text(d.get("date")), "confidence": _number(d.get("confidence")),
        "sources": _sources(d),
    }
    ends = (_text(G.nodes[u].get("label")) or str(u), _text(G.nodes[v].get("label")) or str(v))
    item = {
        "id": f"e{i}", "from": str(u), "to": str(v),
        "label": "" if relation == "party" else _short(label, 32),
        "color": {"color": RELATION_COLORS.get(relation, "#8a8a8a"), "highlight": "#111111",
                  "hover": "#111111"},
        "width": 1 + 0.5 * min(len(info["sources"]), 4),
        "title": _edge_tip(ends, info), "dg": info,
    }
    if relation in _SYMMETRIC:
        item["arrows"] = {"to": {"enabled": False}}
    return item


def _edge_tip(ends, info):
    head = f"{ends[0]} \u2014 {info['label']} \u2192 {ends[1]}"
    lines = [head, " \u00b7 ".join(filter(None, [info["title"], info["date"]]))]
    for s in info["sources"][:_MAX_TIP_ITEMS]:
        if s["evidence"]:
            lines.append("\u201c" + _short(s["evidence"], _MAX_EVIDENCE) + "\u201d")
        cite = ", ".join(filter(None, [s["article_title"] or s["article"], s["published"]]))
        if cite:
            lines.append("   \u2014 " + _short(cite, 120))
    extra = len(info["sources"]) - _MAX_TIP_ITEMS
    if extra > 0:
        lines.append(f"(+{extra} more source(s))")
    return "\n".join(line for line in lines if line)


def _curve_parallel(edges):
    """Bend edges that share both ends so they do not draw on top of each other."""
    groups = {}
    for e in edges:
        groups.setdefault(frozenset((e["from"], e["to"])), []).append(e)
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0]["from"]
        for k, e in enumerate(group):
            kind = "curvedCW" if e["from"] == first else "curvedCCW"
            e["smooth"] = {"enabled": True, "type": kind, "roundness": round(0.18 * k, 2)}


# --------------------------------------------------------------------------
# Layout


def _force_layout(n, pairs, *, seed=7, iterations=60, gravity=0.0):
    """Fruchterman-Reingold positions (an ``(n, 2)`` array), exact and deterministic.

    networkx's ``spring_layout`` needs SciPy from 500 nodes on, and its dense
    solver holds n x n x 2 arrays; this one works in float32 row blocks, so
    memory stays near 10 MB (5,000 nodes: about 2.5 s).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    x, y = rng.random((2, n), dtype=np.float32)
    if n < 2 or not pairs:
        return np.column_stack([x, y])
    src, dst = (np.array(a, dtype=np.intp) for a in zip(*pairs))
    k2, k = np.float32(1.0 / n), math.sqrt(1.0 / n)
    block = max(1, 1_000_000 // n)
    fx, fy = np.empty(n, np.float32), np.empty(n, np.float32)
    for it in range(iterations):
        for s in range(0, n, block):
            dx = x[s:s + block, None] - x[None, :]
            dy = y[s:s + block, None] - y[None, :]
            d2 = dx * dx
            d2 += dy * dy
            np.maximum(d2, np.float32(1e-9), out=d2)
            np.divide(k2, d2, out=d2)
            fx[s:s + block] = np.einsum("ij,ij->i", dx, d2)
            fy[s:s + block] = np.einsum("ij,ij->i", dy, d2)
        ex, ey = x[src] - x[dst], y[src] - y[dst]
        pull = np.sqrt(ex * ex + ey * ey) / k
        np.subtract.at(fx, src, ex * pull)
        np.add.at(fx, dst, ex * pull)
        np.subtract.at(fy, src, ey * pull)
        np.add.at(fy, dst, ey * pull)
        if gravity:  # a pull to the centre keeps separate pieces from ringing the others
            fx -= gravity * (x - x.mean())
            fy -= gravity * (y - y.mean())
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        move = np.minimum(length, 0.1 * (1 - it / (iterations + 1))) / length
        x += fx * move
        y += fy * move
    return np.column_stack([x, y])


def _unit_layout(n, pairs, gravity=5.0):
    """Force-directed positions of ``n`` nodes, centred and scaled into the unit disc."""
    import numpy as np

    pos = _force_layout(n, pairs, gravity=gravity) if n > 1 else np.zeros((n, 2), np.float32)
    pos = pos - pos.mean(0)
    radius = float(np.sqrt((pos * pos).sum(1)).max()) if n > 1 else 0.0
    return pos / radius if radius > 0 else pos


def _communities(nodes, pairs):
    """Louvain communities (seeded) of the shown nodes, as lists of indices, largest first.

    Communities smaller than ``_MIN_GROUP`` are pooled, most connected first,
    into "small groups" of up to ``_POOL_SIZE`` nodes, so that a graph of many
    small components still opens on a few dozen groups.
    """
    H = nx.Graph()
    H.add_nodes_from(range(len(nodes)))
    H.add_edges_from(pairs)
    found = nx.community.louvain_communities(H, seed=7)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    big = [c for c in found if len(c) >= _MIN_GROUP]
    small = [c for c in found if len(c) < _MIN_GROUP]
    pools, current = [], []
    for c in small:
        if len(current) + len(c) > _POOL_SIZE:
            pools.append(current)
            current = []
        current += c
    if current:
        pools.append(current)
    return [(c, False) for c in big] + [(c, True) for c in pools]


def _pack(centres, radii, rounds=500):
    """Push overlapping circles apart (deterministic); returns the new centres.

    >>> import numpy as np
    >>> c = _pack(np.zeros((2, 2)) + [[0, 0], [1, 0]], np.array([10.0, 10.0]))
    >>> bool(np.hypot(*(c[0] - c[1])) >= 20)
    True
    """
    import numpy as np

    c = centres.astype(np.float64).copy()
    gap = 30.0
    for _ in range(rounds):
        d = c[:, None, :] - c[None, :, :]
        dist = np.maximum(np.sqrt((d * d).sum(-1)), 1e-6)
        push = np.clip(radii[:, None] + radii[None, :] + gap - dist, 0, None)
        np.fill_diagonal(push, 0)
        if not push.any():
            break
        overlaps = np.maximum((push > 0).sum(1), 1)[:, None]
        c += 0.5 * ((d / dist[..., None]) * push[..., None]).sum(1) / overlaps
    return c


def _layout(nodes, edges):
    """Place the nodes (``x``/``y``) community by community; return the communities.

    Each community gets a disc of radius ``30 * sqrt(size)`` px laid out on its
    own; the discs are placed by a force layout of the community graph and
    pushed apart until none overlap. Returns ``[(indices, pooled, centre, radius)]``.
    """
    import numpy as np

    index = {item["id"]: i for i, item in enumerate(nodes)}
    pairs = sorted({(index[e["from"]], index[e["to"]]) for e in edges if e["from"] != e["to"]})
    groups = _communities(nodes, pairs)
    member = np.empty(len(nodes), np.intp)
    for g, (members, _) in enumerate(groups):
        member[members] = g
    radii = np.array([30.0 * math.sqrt(len(m)) + 20 for m, _ in groups])
    meta = sorted({(min(a, b), max(a, b)) for a, b in ((member[u], member[v]) for u, v in pairs)
                   if a != b})
    centres = _unit_layout(len(groups), meta, 3.0) * (1.2 * math.sqrt(float((radii ** 2).sum())))
    centres = _pack(centres, radii)
    out = []
    for g, (members, pooled) in enumerate(groups):
        local = {n: k for k, n in enumerate(members)}
        inner = [(local[u], local[v]) for u, v in pairs if u in local and v in local]
        pos = _unit_layout(len(members), inner) * (radii[g] - 20) + centres[g]
        for n, (x, y) in zip(members, pos):
            nodes[n]["x"], nodes[n]["y"] = round(float(x), 1), round(float(y), 1)
        out.append((members, pooled, (float(centres[g][0]), float(centres[g][1])), float(radii[g])))
    return out


def _group_items(G, nodes, edges, groups):
    """The page's group nodes and the edges that stand for links into closed groups."""
    of, items, group_ids = {}, [], set()
    taken = {item["id"] for item in nodes}
    for g, (members, pooled, (x, y), radius) in enumerate(groups):
        gid = f"group:{g}"
        while gid in taken:  # node ids are arbitrary strings
            gid += "'"
        group_ids.add(gid)
        ranked = sorted(members, key=lambda n: -nodes[n]["dg"]["degree"])
        named = [nodes[n]["dg"]["label"] for n in ranked if nodes[n]["dg"]["type"] != "Deal"][:3]
        named = named or [nodes[n]["dg"]["label"] for n in ranked[:3]]
        counts = {}
        for n in members:
            nodes[n]["dg"]["group"] = gid
            of[nodes[n]["id"]] = gid
            kind = nodes[n]["dg"]["type"] or "Other"
            counts[kind] = counts.get(kind, 0) + 1
        head = _short(", ".join(named[:2]), _MAX_LABEL)
        label = f"{head} +{len(members) - len(named[:2])}" if len(members) > len(named[:2]) else head
        what = "pool of small communities" if pooled else "community"
        tip = [f"A {what} of {len(members):,} nodes (click to open it)",
               ", ".join(f"{c:,} {t}" for t, c in sorted(counts.items(), key=lambda kv: _type_order(kv[0]))),
               "Most connected: " + ", ".join(_short(t, 40) for t in named)]
        items.append({
            "id": gid, "label": label, "shape": "dot", "x": round(x, 1), "y": round(y, 1),
            "size": round(max(14.0, 0.45 * radius), 1),
            "color": {"background": "#e4e7eb", "border": "#52606d",
                      "highlight": {"background": "#cbd2d9", "border": "#111111"},
                      "hover": {"background": "#cbd2d9", "border": "#111111"}},
            "borderWidth": 2, "title": "\n".join(tip),
            "dg": {"kind": "group", "label": label, "size": len(members), "counts": counts,
                   "radius": round(radius, 1), "pooled": pooled, "named": named},
        })
    links = {}
    for e in edges:
        a, b = of[e["from"]], of[e["to"]]
        if a == b:
            continue
        for key in ((a, b) if a < b else (b, a), (e["from"], b), (e["to"], a)):
            links[key] = links.get(key, 0) + 1
    group_edges = []
    for (a, b), count in sorted(links.items()):
        kind = "gg" if a in group_ids else "ng"
        group_edges.append({
            "id": f"k{len(group_edges)}", "from": a, "to": b, "hidden": True,
            "width": round(1 + math.log2(count), 1) if kind == "gg" else 1,
            "color": {"color": "#9aa5b1", "highlight": "#111111", "hover": "#111111"},
            "arrows": {"to": {"enabled": False}}, "dashes": kind == "ng",
            "title": f"{count:,} link(s)", "dg": {"kind": kind, "count": count},
        })
    return items, group_edges


def _options(n, physics):
    """vis-network options: physics that stabilises, then stops, for small graphs."""
    font = {"face": "system-ui, -apple-system, 'Segoe UI', sans-serif", "strokeWidth": 3,
            "strokeColor": "#ffffff", "color": "#1f2933"}
    return {
        "autoResize": True,
        "nodes": {"font": font, "borderWidth": 1.5, "margin": 8},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {**font, "size": 11, "color": "#52606d", "align": "horizontal"},
            "smooth": {"enabled": physics, "type": "continuous"},
            "selectionWidth": 2, "hoverWidth": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics,
                        "hideEdgesOnZoom": n > 2000, "multiselect": False},
        "layout": {"randomSeed": 7, "improvedLayout": n <= 100},
        "physics": {
            "enabled": physics, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110,
                                 "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 800, "updateInterval": 50,
                              "fit": True},
        },
    }


def _edges(G, keep):
    """Edge items for every edge of ``G`` between two kept nodes.

    A deal is drawn once: a direct ``acquired`` / ``invested_in`` /
    ``deal_with`` edge between two parties of a shown deal node is hidden
    (``dg.deals`` names the deals; the page shows it again when deals are
    filtered out).
    """
    kept = set(keep)
    triples = ((u, v, key, d) for u in keep for v, keyed in G.succ[u].items() if v in kept
               for key, d in keyed.items())
    edges = [_edge_item(G, u, v, key, d, i) for i, (u, v, key, d) in enumerate(triples)]
    pair_deals = {}
    for n in keep:
        if G.nodes[n].get("type") != "Deal":
            continue
        parties = sorted({str(v) for v, keyed in G.succ[n].items() if v in kept and v != n
                          for key, d in keyed.items() if (d.get("relation") or key) in _DEAL_ROLES})
        for a in parties:
            for b in parties:
                if a < b:
                    pair_deals.setdefault((a, b), []).append(str(n))
    for e in edges:
        if e["dg"]["relation"] in _DEAL_RELATIONS:
            deals = pair_deals.get(tuple(sorted((e["from"], e["to"]))))
            if deals:
                e["hidden"], e["dg"]["deals"] = True, deals
    _curve_parallel([e for e in edges if not e.get("hidden")])
    return edges


def _articles(G, nodes, edges):
    """The metadata of the articles that the shown nodes and edges cite."""
    known = G.graph.get("articles") or {}
    used = {a for item in nodes for a in item["dg"]["articles"]}
    used |= {s["article"] for e in edges for s in e["dg"]["sources"] if s["article"]}
    return {a: {k: _text(known[a].get(k)) for k in _ARTICLE_KEYS}
            for a in sorted(used) if isinstance(known.get(a), dict)}


def _build(G, *, focus=None, depth=2, max_nodes=MAX_NODES, title=None, page=False):
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive integer, got {max_nodes!r}")
    keep, omitted = _select(G, focus, depth, max_nodes)
    top = max((G.degree(n) for n in keep), default=1) or 1
    physics = len(keep) <= PHYSICS_MAX_NODES
    known = G.graph.get("articles") or {}
    nodes = [_node_item(G, n, math.sqrt(G.degree(n) / top), known, page or not physics)
             for n in keep]
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
        notes.append(f"The {len(nodes):,} nodes are drawn as {len(group_items):,} groups "
                     "(communities found by the Louvain method); click a group to open it, "
                     "double-click inside an open group to close it.")
    hidden = sum(1 for e in edges if e.get("hidden"))
    if hidden:
        notes.append(f"{hidden:,} deal link(s) are drawn through their deal node, not twice; "
                     "untick Deal to see them as links.")
    name = title or _text(G.graph.get("name")) or "dealgraph"
    return _View(nodes, edges, _options(len(nodes), physics), _articles(G, nodes, edges), name,
                 G.number_of_nodes(), G.number_of_edges(), physics, group_items, group_edges,
                 notes, len(edges) - hidden)


# --------------------------------------------------------------------------
# Public API


def to_pyvis(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = MAX_NODES,
    height: str = "800px",
    title: str | None = None,
) -> Network:
    """Build a pyvis ``Network`` of a dealgraph network, in bulk.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph made by :mod:`graph.network` (nodes keyed by IRI, with
        ``label`` and ``type``; edges with ``relation``, ``label``,
        ``evidence``, ``sources`` ...).
    focus : str, optional
        An IRI, or a label or alias (case-insensitive), to centre the view on;
        every node with that label is a centre. Only nodes within ``depth``
        hops of it, edge direction ignored, are kept.
    depth : int, default 2
        Hops kept around ``focus``.
    max_nodes : int, default 5000
        Keep at most this many nodes. When more qualify, every type keeps the
        same share of its nodes, the nearest to the focus then those of
        highest degree first.
    height : str, default "800px"
        CSS height of the drawing (px, %, vh, em or rem).
    title : str, optional
        Heading; defaults to ``G.graph["name"]`` or "dealgraph".

    Returns
    -------
    pyvis.network.Network
        Node items carry ``shape``, ``color`` and ``size`` by type and degree,
        a plain-text ``title`` tooltip and the details in ``dg``; edge items
        carry the relation's human ``label`` and an evidence tooltip. Above
        ``PHYSICS_MAX_NODES`` nodes, ``x``/``y`` are set and physics is off.
        ``net.options`` is a plain dict (as after ``Network.set_options``).

    Raises
    ------
    ValueError
        If ``focus`` matches no node, or ``depth``, ``max_nodes`` or
        ``height`` is invalid.

    See Also
    --------
    to_html : the offline page; prefer it to pyvis's own ``write_html``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ex:jack", label="Jack Ma", type="Person")
    >>> G.add_node("ex:alibaba", label="Alibaba Group", type="Organization")
    >>> G.add_edge("ex:jack", "ex:alibaba", key="ceo_of", relation="ceo_of", label="CEO of")
    'ceo_of'
    >>> net = to_pyvis(G, focus="alibaba group", depth=1)
    >>> [n["shape"] for n in net.nodes], net.edges[0]["label"]
    (['box', 'dot'], 'CEO of')
    """
    from pyvis.network import Network

    _check_height(height)
    view = _build(G, focus=focus, depth=depth, max_nodes=max_nodes, title=title)
    net = Network(height=height, width="100%", directed=True, heading=view.title)
    net.nodes, net.edges = view.nodes, view.edges
    net.node_ids = [item["id"] for item in view.nodes]
    net.node_map = {item["id"]: item for item in view.nodes}
    net.options = view.options
    return net


def to_html(G: nx.MultiDiGraph, **kwargs) -> str:
    """Render the graph as one self-contained HTML page that works offline.

    vis-network's JavaScript and CSS (from the pyvis package) are inlined;
    nothing is loaded from the network, and a Content-Security-Policy forbids
    it. The page has a header with counts and notes (what was left out and
    why, how groups work), a legend that filters by type, a search box that
    brings the node on screen (opening its group), a date-range filter and a
    details panel with the evidence. ``window.dgNetwork`` is the vis
    ``Network``, ``window.dgView`` the page's own state (what is visible, the
    labels drawn, open groups); ``window.dgReady`` turns true once the layout
    has settled (physics is then switched off).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As for :func:`to_pyvis`.
    **kwargs
        ``focus``, ``depth``, ``max_nodes``, ``height``, ``title``: as for
        :func:`to_pyvis`.

    Returns
    -------
    str
        The page.

    Raises
    ------
    ValueError
        As for :func:`to_pyvis`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ex:apple", label="Apple <Inc>", type="Organization")
    >>> page = to_html(G)
    >>> page.startswith("<!doctype html>"), "Apple <Inc>" in page
    (True, False)
    """
    return render_page(G, **kwargs).html


@dataclass(frozen=True)
class ViewPage:
    """A rendered page and what it shows (the numbers its header states)."""

    html: str
    nodes: int
    edges: int
    groups: int
    total_nodes: int
    notes: tuple

    def summary(self) -> str:
        """One line: what the page shows, as its header says it.

        >>> ViewPage("", 3, 2, 0, 10, ()).summary()
        '3 of 10 nodes, 2 edges'
        """
        whole = f"{self.nodes:,}" if self.nodes == self.total_nodes else \
            f"{self.nodes:,} of {self.total_nodes:,}"
        grouped = f" in {self.groups:,} groups" if self.groups else ""
        return f"{whole} nodes{grouped}, {self.edges:,} edges"


def render_page(G: nx.MultiDiGraph, **kwargs) -> ViewPage:
    """:func:`to_html`'s page with the counts it shows (for ``dealgraph view``).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As for :func:`to_pyvis`.
    **kwargs
        As for :func:`to_html`.

    Returns
    -------
    ViewPage

    Examples
    --------
    >>> from graph.network import example_graph
    >>> page = render_page(example_graph(), focus="Apple", depth=1)
    >>> page.summary(), "Around Apple" in page.html
    ('6 of 11 nodes, 5 edges', True)
    """
    height = kwargs.pop("height", "800px")
    _check_height(height)
    view = _build(G, page=True, **kwargs)
    return ViewPage(_render(view, height), len(view.nodes), view.drawn_edges, len(view.groups),
                    view.total_nodes, tuple(view.notes))


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike, **kwargs) -> Path:
    """Write :func:`to_html`'s page to ``path`` (UTF-8) and return the path.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As for :func:`to_pyvis`.
    path : str or os.PathLike
        The file to write; its directory must exist.
    **kwargs
        As for :func:`to_html`.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ex:apple", label="Apple", type="Organization")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_html(G, pathlib.Path(tmp) / "graph.html")
    ...     out.name, out.stat().st_size > 100_000
    ('graph.html', True)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(G, **kwargs), encoding="utf-8")
    return path


def write_page(G: nx.MultiDiGraph, path: str | os.PathLike, **kwargs) -> ViewPage:
    """Write the page to ``path`` like :func:`write_html`; return its :class:`ViewPage`.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ex:apple", label="Apple", type="Organization")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_page(G, pathlib.Path(tmp) / "graph.html").summary()
    '1 nodes, 0 edges'
    """
    page = render_page(G, **kwargs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page.html, encoding="utf-8")
    return page


def notebook_html(G: nx.MultiDiGraph, **kwargs) -> HTML:
    """The page for a Jupyter cell: an ``<iframe srcdoc>``, sandboxed, offline.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As for :func:`to_pyvis`.
    **kwargs
        As for :func:`to_html`.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ex:apple", label="Apple", type="Organization")
    >>> notebook_html(G, height="400px").data.startswith('<div class="dealgraph"><iframe')
    True
    """
    from IPython.display import HTML

    height = kwargs.get("height", "800px")
    page = to_html(G, **kwargs)
    frame = f"calc({height} + 60px)" if height.endswith("px") else "860px"
    return HTML(
        f'<div class="dealgraph"><iframe srcdoc="{html.escape(page, quote=True)}" '
        f'sandbox="allow-scripts" style="width:100%;height:{frame};border:0" '
        'title="dealgraph view"></iframe></div>'
    )


# --------------------------------------------------------------------------
# The page


def _check_height(height):
    if not isinstance(height, str) or not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '800px' or '90vh', got {height!r}")


@functools.lru_cache(maxsize=1)
def _assets():
    """vis-network's JS and CSS from pyvis, our script and the Jinja template."""
    import jinja2
    import pyvis

    vis = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    ours = Path(__file__).parent / "resources"
    js = (vis / "vis-network.min.js").read_text(encoding="utf-8")
    css = (vis / "vis-network.css").read_text(encoding="utf-8")
    app = (ours / "view.js").read_text(encoding="utf-8")
    for name, text, end in (("vis-network.min.js", js, "</script"), ("view.js", app, "</script"),
                            ("vis-network.css", css, "</style")):
        if end in text.lower() or "<!--" in text:
            raise ValueError(f"{name} cannot be inlined: it contains {end!r} or '<!--'")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((ours / "view_template.html").read_text(encoding="utf-8"))
    return js, css, app, template


def _script_json(obj):
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&``."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _sha256(text):
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _legend(view):
    """One entry per node type shown: name, count and the look of its first node."""
    counts, first = {}, {}
    for item in view.nodes:
        kind = item["dg"]["type"]
        counts[kind] = counts.get(kind, 0) + 1
        first.setdefault(kind, item)
    extra = sorted(t for t in counts if t not in NODE_STYLES)
    order = [t for t in NODE_STYLES if t in counts] + extra
    return [{"type": t or "Other", "key": t, "count": counts[t], "shape": first[t]["shape"],
             "fill": first[t]["color"]["background"], "border": first[t]["color"]["border"]}
            for t in order]


def _render(view, height):
    js, css, app, template = _assets()
    data = {"nodes": view.nodes, "edges": view.edges, "options": view.options,
            "articles": view.articles, "physics": view.physics, "groups": view.groups,
            "groupEdges": view.group_edges}
    csp = (f"default-src 'none'; script-src {_sha256(js)} {_sha256(app)}; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    shown, total = len(view.nodes), view.total_nodes
    whole = f"{shown:,}" if shown == total else f"{shown:,} of {total:,}"
    grouped = f" in {len(view.groups):,} groups" if view.groups else ""
    return template.render(
        title=view.title, csp=csp, height=height, vis_css=css, vis_js=js, app_js=app,
        data_json=_script_json(data), legend=_legend(view), notes=view.notes,
        counts=f"{whole} nodes{grouped} \u00b7 {view.drawn_edges:,} edges",
        grouped=bool(view.groups),
    )
