"""Measures on the graph (degree, PageRank, betweenness, :func:`rank`), :func:`communities`, and the igraph bridge.

The measures read :func:`simple_view` of the graph: relations are connections
whatever their direction, parallel relations count once, deal nodes connect
their parties. Betweenness and communities run in igraph when it is installed
and the graph has :data:`IGRAPH_MIN_EDGES` connections or more, or with
``backend="igraph"``.
"""

from __future__ import annotations

import difflib
import importlib.util
import math
import random
from collections import Counter

import networkx as nx

from graph.network.lookup import _label
from graph.network.projection import ENTITY_TYPES

#: The measures :func:`rank` can sort by.
MEASURES = ("degree", "pagerank", "betweenness")

#: From this many connections (edges of :func:`simple_view`) up, ``backend="auto"``
#: runs betweenness and communities in igraph when it is installed. Measured here
#: (2 cores, benchmarks/network_bench.py): at ~2,000 connections (30k triples)
#: NetworkX takes 0.4 s for betweenness from 100 sources and 0.1 s for Louvain,
#: igraph 0.01 s for each; at ~600 connections NetworkX is under 0.1 s.
IGRAPH_MIN_EDGES = 1_000

#: :func:`betweenness` samples this many source nodes on larger graphs (exact
#: below), which keeps it linear: at 1M triples ~1.4 s in igraph, ~28 s in NetworkX.
BETWEENNESS_SOURCES = 100

_BACKENDS = ("auto", "networkx", "igraph")


def simple_view(G: nx.Graph) -> nx.Graph:
    """The undirected simple graph the measures run on: one edge per connected pair.

    Nodes keep ``label`` and ``type`` (deal nodes stay, as connectors); self-loops
    are dropped. Build it once and pass it to :func:`degree`, :func:`pagerank`,
    :func:`betweenness`, :func:`rank` and :func:`communities` to save the
    conversion when calling several of them; a graph that is already undirected
    and simple is returned as is.

    Parameters
    ----------
    G : networkx graph

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> from graph.network import example_graph
    >>> H = simple_view(example_graph())
    >>> H.number_of_nodes(), H.number_of_edges()
    (11, 12)
    """
    if not G.is_directed() and not G.is_multigraph():
        return G
    H = nx.Graph()
    # nodes in IRI order, not the store's: sampled betweenness picks its sources by position, so the
    # same data gives the same scores from any store (disk, memory, remote) and in any process
    nodes = sorted(G.nodes(data=True), key=lambda nd: str(nd[0]))
    H.add_nodes_from((n, {"label": d.get("label"), "type": d.get("type")}) for n, d in nodes)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def _igraph_installed() -> bool:
    return importlib.util.find_spec("igraph") is not None


def _use_igraph(H: nx.Graph, backend: str, *, option: str = "backend") -> bool:
    if backend not in _BACKENDS:
        raise ValueError(f"unknown {option} {backend!r}; expected one of {', '.join(map(repr, _BACKENDS))}")
    if backend == "igraph":
        if not _igraph_installed():
            raise ValueError(f"{option}='igraph' needs python-igraph: pip install python-igraph")
        return True
    return backend == "auto" and H.number_of_edges() >= IGRAPH_MIN_EDGES and _igraph_installed()


def to_igraph(G: nx.Graph):
    """The undirected simple view of ``G`` as an ``igraph.Graph``, through an integer edge list.

    Parameters
    ----------
    G : networkx graph

    Returns
    -------
    (igraph.Graph, list)
        The igraph graph and the nodes of ``G`` in vertex order (vertex ``i``
        is ``nodes[i]``).

    Examples
    --------
    >>> from graph.network import example_graph
    >>> g, nodes = to_igraph(example_graph())
    >>> g.vcount(), g.ecount(), g.is_directed()
    (11, 12, False)
    """
    import igraph

    H = simple_view(G)
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()], directed=False)
    return g, nodes


class _Seeded:
    """igraph draws from Python's ``random`` module: give it its own, seeded, for one call."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def __enter__(self):
        import igraph

        igraph.set_random_number_generator(self.rng)

    def __exit__(self, *exc):
        import igraph

        igraph.set_random_number_generator(random)


# --------------------------------------------------------------------------
# Measures


def degree(G: nx.Graph) -> dict:
    """How many distinct nodes each node is directly connected to, a deal counting as a connection.

    A company's degree counts the people, companies and products it has a
    relation with, and the other parties of its deals (once each, however many
    relations or deals link them); a deal's degree is its number of parties.

    Parameters
    ----------
    G : networkx graph
        As :func:`to_networkx` makes it, or its :func:`simple_view`.

    Returns
    -------
    dict
        Node -> int.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> G = example_graph()
    >>> degree(G)["https://w3id.org/dealgraph/id/org/alibaba"]  # Jack Ma, Apple, Lions Gate, Taobao, Tianmao
    5
    """
    H = simple_view(G)
    deals = {n for n, t in H.nodes(data="type") if t == "Deal"}
    result = {}
    for n, nbrs in H.adjacency():
        if n in deals or not deals:
            result[n] = len(nbrs)
            continue
        reached = set()
        for m in nbrs:
            if m in deals:
                reached.update(H.adj[m])
            else:
                reached.add(m)
        reached.discard(n)
        result[n] = len(reached)
    return result


def _deal_counts(H: nx.Graph) -> dict:
    deals = {n for n, t in H.nodes(data="type") if t == "Deal"}
    return {n: sum(1 for m in nbrs if m in deals) for n, nbrs in H.adjacency()}


def pagerank(G: nx.Graph, *, alpha: float = 0.85, backend: str = "auto") -> dict:
    """PageRank on the undirected simple view (deals as connectors); the scores sum to 1.

    NetworkX's own ``pagerank`` needs SciPy, which dealgraph does not depend on;
    the "networkx" backend runs the same power iteration with NumPy on the edge
    list (linear per iteration), igraph uses PRPACK. They agree to about 1e-10.
    "auto" means NumPy at every size: measured here it is the faster of the two
    (0.3 s at 1M triples against 0.4-1.2 s for PRPACK, which varies with the
    graph's components).

    Parameters
    ----------
    G : networkx graph
    alpha : float, optional
        Damping factor, between 0 and 1 (default 0.85).
    backend : {"auto", "networkx", "igraph"}, optional

    Returns
    -------
    dict
        Node -> float.

    Raises
    ------
    ValueError
        For an ``alpha`` outside [0, 1) or an unknown ``backend``.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> pr = pagerank(example_graph())
    >>> round(sum(pr.values()), 6)
    1.0
    >>> max(pr, key=pr.get)
    'https://w3id.org/dealgraph/id/org/alibaba'
    """
    if not isinstance(alpha, (int, float)) or not 0 <= alpha < 1:
        raise ValueError(f"alpha must be a number in [0, 1), got {alpha!r}")
    H = simple_view(G)
    if len(H) == 0:
        _use_igraph(H, backend)
        return {}
    if _use_igraph(H, backend) and backend == "igraph":
        g, nodes = to_igraph(H)
        return dict(zip(nodes, g.pagerank(damping=alpha, directed=False)))
    return _pagerank_numpy(H, alpha)


def _pagerank_numpy(H: nx.Graph, alpha: float, tol: float = 1e-12, max_iter: int = 1000) -> dict:
    import numpy as np

    nodes = list(H)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in H.edges()], dtype=np.int64).reshape(-1, 2)
    src = np.concatenate([pairs[:, 0], pairs[:, 1]])
    dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
    out = np.bincount(src, minlength=n).astype(float)
    dangling = out == 0
    inv = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        y = alpha * np.bincount(dst, weights=(x * inv)[src], minlength=n)
        y += (alpha * x[dangling].sum() + 1 - alpha) / n
        done = np.abs(y - x).sum() < n * tol
        x = y
        if done:
            break
    x /= x.sum()
    return dict(zip(nodes, x.tolist()))


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 0, backend: str = "auto") -> dict:
    """Betweenness centrality (normalised) on the undirected simple view, deals as connectors.

    Exact on graphs of up to ``k`` nodes, estimated from ``k`` sampled source
    nodes above (as ``networkx.betweenness_centrality(k=..., seed=...)`` does), so
    that it stays linear in the graph's size. Both backends pick the same sources
    for the same seed and return the same scores.

    Parameters
    ----------
    G : networkx graph
    k : int, optional
        Number of sampled sources; default :data:`BETWEENNESS_SOURCES`.
    seed : int, optional
        Seed of the sampling (default 0).
    backend : {"auto", "networkx", "igraph"}, optional

    Returns
    -------
    dict
        Node -> float in [0, 1].

    Raises
    ------
    ValueError
        For a ``k`` that is not a positive integer or an unknown ``backend``.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> bc = betweenness(example_graph())
    >>> max(bc, key=bc.get)
    'https://w3id.org/dealgraph/id/org/alibaba'
    """
    k = BETWEENNESS_SOURCES if k is None else k
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    H = simple_view(G)
    use_igraph = _use_igraph(H, backend)
    n = len(H)
    if n < 3:
        return dict.fromkeys(H, 0.0)
    if k >= n:
        if not use_igraph:
            return nx.betweenness_centrality(H, normalized=True)
        g, nodes = to_igraph(H)
        scale = 2.0 / ((n - 1) * (n - 2))
        return {v: b * scale for v, b in zip(nodes, g.betweenness(directed=False))}
    if not use_igraph:
        return nx.betweenness_centrality(H, k=k, normalized=True, seed=seed)
    # networkx samples random.Random(seed).sample(list(G), k) and counts ordered (s, t)
    # pairs; igraph counts each (source, target) pair once: same sources, same rescaling.
    g, nodes = to_igraph(H)
    sources = random.Random(seed).sample(nodes, k)
    index = {v: i for i, v in enumerate(nodes)}
    raw = g.betweenness(directed=False, sources=[index[s] for s in sources], targets=None)
    chosen = set(sources)
    on_source = 2.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    other = 2.0 / (k * (n - 2))
    return {v: b * (on_source if v in chosen else other) for v, b in zip(nodes, raw)}


def _check_types(G: nx.Graph, types) -> list[str]:
    present = {t for _, t in G.nodes(data="type") if t}
    known = [*ENTITY_TYPES, "Deal", *sorted(present - {*ENTITY_TYPES, "Deal"})]
    if types is None:
        return [t for t in known if t in present and t != "Deal"]
    wanted = [types] if isinstance(types, str) else list(types)
    out = []
    for t in wanted:
        match = next((k for k in known if k.casefold() == str(t).casefold()), None)
        if match is None:
            close = difflib.get_close_matches(str(t), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown type {t!r}; expected one of {', '.join(known)}{hint}")
        if match not in out:
            out.append(match)
    return out


def rank(
    G: nx.Graph,
    *,
    by: str = "degree",
    types=None,
    top: int | None = 10,
    k: int | None = None,
    seed: int = 0,
    backend: str = "auto",
) -> dict[str, list[dict]]:
    """The most central entities of each type, by degree, PageRank or betweenness.

    Every row carries all three measures (and the number of deals), whichever
    one sorts; ties are broken by the other measures, then by label.

    Parameters
    ----------
    G : networkx graph
        As :func:`to_networkx` makes it, or its :func:`simple_view`.
    by : {"degree", "pagerank", "betweenness"}, optional
        The measure that orders the rows (default "degree", the ties broken by PageRank).
    types : str or list of str, optional
        The node types to rank, each separately; default every entity type
        present (Organization, Person, Product). "Deal" may be asked for.
    top : int or None, optional
        Rows per type (default 10); None for all.
    k, seed : optional
        For :func:`betweenness`.
    backend : {"auto", "networkx", "igraph"}, optional

    Returns
    -------
    dict
        Type -> list of ``{"rank", "iri", "label", "type", "degree", "deals",
        "pagerank", "betweenness"}``, best first.

    Raises
    ------
    ValueError
        For an unknown measure, type or backend, or a ``top`` below 1.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> ranks = rank(example_graph(), by="degree", types=["Organization", "Person"], top=2)
    >>> [(r["label"], r["degree"]) for r in ranks["Organization"]]
    [('Alibaba Group', 5), ('Apple', 4)]
    >>> best = rank(example_graph())["Organization"][0]
    >>> best["label"], best["deals"], round(best["pagerank"], 3), round(best["betweenness"], 3)
    ('Alibaba Group', 2, 0.27, 0.756)
    >>> rank(example_graph(), by="closeness")
    Traceback (most recent call last):
    ValueError: unknown measure 'closeness'; expected one of 'degree', 'pagerank', 'betweenness'
    """
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r}; expected one of {', '.join(map(repr, MEASURES))}")
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    wanted = _check_types(G, types)
    H = simple_view(G)
    use = _use_igraph(H, backend)
    deg, deals = degree(H), _deal_counts(H)
    pr = pagerank(H, backend="igraph" if backend == "igraph" else "networkx")
    bc = betweenness(H, k=k, seed=seed, backend="igraph" if use else "networkx")
    scores = {"degree": deg, "pagerank": pr, "betweenness": bc}
    order = [by, *(m for m in ("pagerank", "degree", "betweenness") if m != by)]
    result = {}
    for t in wanted:
        nodes = [n for n, nt in H.nodes(data="type") if nt == t]
        nodes.sort(key=lambda n: (*(-scores[m].get(n, 0) for m in order), str(H.nodes[n].get("label") or n)))
        rows = []
        for i, n in enumerate(nodes[:top] if top else nodes, 1):
            rows.append(
                {
                    "rank": i,
                    "iri": n,
                    "label": _label(H, n),
                    "type": t,
                    "degree": deg.get(n, 0),
                    "deals": deals.get(n, 0),
                    "pagerank": pr.get(n, 0.0),
                    "betweenness": bc.get(n, 0.0),
                }
            )
        result[t] = rows
    return result


_METHODS = ("louvain", "leiden")


def communities(
    G: nx.Graph, *, method: str = "louvain", resolution: float = 1.0, seed: int = 0, backend: str = "auto"
) -> list[dict]:
    """Communities (groups of densely connected entities), largest first.

    Louvain modularity optimisation: ``networkx.community.louvain_communities``
    or igraph's ``community_multilevel`` (same algorithm, ~100x faster on
    large graphs); ``method="leiden"`` runs igraph's Leiden (modularity).
    Deterministic for a given seed and backend.

    Parameters
    ----------
    G : networkx graph
        As :func:`to_networkx` makes it, or its :func:`simple_view`.
    method : {"louvain", "leiden"}, optional
    resolution : float, optional
        Above 1 favours smaller communities, below 1 larger ones (default 1).
    seed : int, optional
    backend : {"auto", "networkx", "igraph"}, optional
        "leiden" needs igraph.

    Returns
    -------
    list of dict
        ``{"id", "size", "types" (type -> count), "hubs" (labels of the five
        best-connected entities), "members" (nodes, best-connected first)}``.

    Raises
    ------
    ValueError
        For an unknown method or backend, a non-positive resolution, or Leiden
        without igraph.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> found = communities(example_graph(), backend="networkx")
    >>> sum(c["size"] for c in found)
    11
    >>> found[0]["hubs"][0]
    'Alibaba Group'
    """
    if method not in _METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(map(repr, _METHODS))}")
    if not isinstance(resolution, (int, float)) or resolution <= 0:
        raise ValueError(f"resolution must be a positive number, got {resolution!r}")
    H = simple_view(G)
    use = _use_igraph(H, backend)
    if method == "leiden" and not use:
        if backend == "networkx" or not _igraph_installed():
            raise ValueError("method='leiden' needs igraph (backend='igraph', pip install python-igraph)")
        use = True
    if len(H) == 0:
        return []
    if use:
        g, nodes = to_igraph(H)
        with _Seeded(seed):
            if method == "leiden":
                # two iterations (igraph's default): at 300k triples 12x faster than iterating
                # until stable, for a modularity 0.0005 lower
                parts = g.community_leiden(objective_function="modularity", resolution=resolution, n_iterations=2)
            else:
                parts = g.community_multilevel(resolution=resolution)
        groups = [[nodes[i] for i in part] for part in parts]
    else:
        groups = [list(c) for c in nx.community.louvain_communities(H, resolution=resolution, seed=seed)]
    deg = degree(H)
    out = []
    for members in groups:
        members.sort(key=lambda n: (-deg[n], str(H.nodes[n].get("label") or n)))
        kinds = Counter(H.nodes[n].get("type") for n in members)
        hubs = [_label(H, n) for n in members if H.nodes[n].get("type") != "Deal"][:5]
        out.append({"size": len(members), "types": dict(kinds.most_common()), "hubs": hubs, "members": members})
    out.sort(key=lambda c: (-c["size"], c["hubs"][:1], str(c["members"][0])))
    return [{"id": i, **c} for i, c in enumerate(out)]
