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

__all__ = ["to_pyvis", "to_html", "write_html", "notebook_html"]

#: Above this many nodes, positions are computed in Python and physics is off.
PHYSICS_MAX_NODES = 300

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
    """The nodes to show, most important first (nearest the focus, then highest degree)."""
    if focus is None:
        dist = dict.fromkeys(G, 0)
    else:
        dist = _distances(G, _find_focus(G, focus), depth)
    ranked = sorted(dist, key=lambda n: (dist[n], -G.degree(n), str(n)))
    return ranked[:max_nodes]


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
    aliases = [str(a) for a in d.get("aliases") or [] if str(a) != label]
    info = {
        "type": kind, "label": label, "iri": str(n), "aliases": aliases,
        "articles": [str(a) for a in d.get("articles") or []], "degree": G.degree(n),
    }
    if kind == "Deal":
        info.update({k: _text(d.get(k)) for k in ("deal_type", "status", "date", "currency")})
        info["value"] = _number(d.get("value"))
    return {
        "id": str(n), "label": _short(label, _MAX_LABEL), "shape": shape,
        "color": {"background": fill, "border": border,
                  "highlight": {"background": fill, "border": "#111111"},
                  "hover": {"background": fill, "border": "#111111"}},
        "size": round(10 + 22 * importance, 1),
        "font": {"size": round(13 + 9 * importance, 1)},
        "title": _node_tip(label, info, articles), "dg": info,
    }


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
        "id": f"e{i}", "from": str(u), "to": str(v), "label": _short(label, 32),
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


def _force_layout(n, pairs, *, seed=7, iterations=60):
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
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        move = np.minimum(length, 0.1 * (1 - it / (iterations + 1))) / length
        x += fx * move
        y += fy * move
    return np.column_stack([x, y])


def _place(nodes, edges):
    """Set ``x``/``y`` on the node items, spread about sqrt(n) * 45 px from the centre."""
    index = {item["id"]: i for i, item in enumerate(nodes)}
    pairs = sorted({(index[e["from"]], index[e["to"]]) for e in edges if e["from"] != e["to"]})
    pos = _force_layout(len(nodes), pairs)
    centre = pos.mean(0)
    radius = max(float(abs(pos - centre).max()), 1e-9)
    scale = 45 * math.sqrt(len(nodes)) / radius
    for item, (x, y) in zip(nodes, (pos - centre) * scale):
        item["x"], item["y"] = round(float(x), 1), round(float(y), 1)


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
    """Edge items for every edge of ``G`` between two kept nodes."""
    kept = set(keep)
    triples = ((u, v, key, d) for u in keep for v, keyed in G.succ[u].items() if v in kept
               for key, d in keyed.items())
    edges = [_edge_item(G, u, v, key, d, i) for i, (u, v, key, d) in enumerate(triples)]
    _curve_parallel(edges)
    return edges


def _articles(G, nodes, edges):
    """The metadata of the articles that the shown nodes and edges cite."""
    known = G.graph.get("articles") or {}
    used = {a for item in nodes for a in item["dg"]["articles"]}
    used |= {s["article"] for e in edges for s in e["dg"]["sources"] if s["article"]}
    return {a: {k: _text(known[a].get(k)) for k in _ARTICLE_KEYS}
            for a in sorted(used) if isinstance(known.get(a), dict)}


def _build(G, *, focus=None, depth=2, max_nodes=2000, title=None):
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive integer, got {max_nodes!r}")
    keep = _select(G, focus, depth, max_nodes)
    top = max((G.degree(n) for n in keep), default=1) or 1
    physics = len(keep) <= PHYSICS_MAX_NODES
    known = G.graph.get("articles") or {}
    nodes = [_node_item(G, n, math.sqrt(G.degree(n) / top), known, not physics) for n in keep]
    edges = _edges(G, keep)
    if not physics:
        _place(nodes, edges)
    name = title or _text(G.graph.get("name")) or "dealgraph"
    return _View(nodes, edges, _options(len(nodes), physics), _articles(G, nodes, edges), name,
                 G.number_of_nodes(), G.number_of_edges(), physics)


# --------------------------------------------------------------------------
# Public API


def to_pyvis(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = 2000,
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
    max_nodes : int, default 2000
        Keep at most this many nodes: the nearest to the focus, then those of
        highest degree.
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
    it. The page has a header with counts, a legend that filters by type, a
    search box, a date-range filter and a details panel with the evidence.
    ``window.dgNetwork`` is the vis ``Network``; ``window.dgReady`` turns true
    once the layout has settled (physics is then switched off).

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
    height = kwargs.pop("height", "800px")
    _check_height(height)
    view = _build(G, **kwargs)
    return _render(view, height)


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
            "articles": view.articles, "physics": view.physics}
    csp = (f"default-src 'none'; script-src {_sha256(js)} {_sha256(app)}; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    shown, total = len(view.nodes), view.total_nodes
    return template.render(
        title=view.title, csp=csp, height=height, vis_css=css, vis_js=js, app_js=app,
        data_json=_script_json(data), legend=_legend(view),
        counts=f"{shown:,} nodes \u00b7 {len(view.edges):,} edges",
        truncated=(f"showing {shown:,} of {total:,} nodes ({view.total_edges:,} edges); "
                   "use focus= or max_nodes= to change") if shown < total else "",
    )
