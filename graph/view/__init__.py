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

The parts, in the order a view is made: :mod:`~graph.view.selection` chooses
the nodes, :mod:`~graph.view.items` turns them and their edges into
vis-network items, :mod:`~graph.view.layout` places large graphs and groups
them, :mod:`~graph.view.build` assembles the view, :mod:`~graph.view.page`
renders the page; :mod:`~graph.view.model` holds the limits and looks they
share. This module is the public API.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from graph.view.build import _build
from graph.view.model import (
    GROUP_ABOVE,
    MAX_NODES,
    NODE_STYLES,
    PHYSICS_MAX_NODES,
    RELATION_COLORS,
)
from graph.view.page import _check_height, _render
from graph.view.selection import (
    _select as _select,  # the tests check the cap through it
)

if TYPE_CHECKING:  # imported lazily at run time
    from IPython.display import HTML
    from pyvis.network import Network

__all__ = [
    "to_pyvis",
    "to_html",
    "render_page",
    "write_html",
    "write_page",
    "notebook_html",
    "ViewPage",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "GROUP_ABOVE",
    "NODE_STYLES",
    "RELATION_COLORS",
]


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
        whole = f"{self.nodes:,}" if self.nodes == self.total_nodes else f"{self.nodes:,} of {self.total_nodes:,}"
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
    return ViewPage(
        _render(view, height), len(view.nodes), view.drawn_edges, len(view.groups), view.total_nodes, tuple(view.notes)
    )


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
