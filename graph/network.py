"""The graph as a ``networkx.MultiDiGraph``, and the analyses people run on it.

:func:`to_networkx` projects the store in one pass per kind of thing (entities,
facts, deals; a few SPARQL SELECTs, no per-node look-ups):

- nodes, keyed by IRI: ``label``, ``type`` (Person, Organization, Product, Deal),
  ``aliases``, ``articles``; deal nodes also ``deal_type``, ``status``, ``date``,
  ``value``, ``currency``;
- an edge per (subject, relation, object), key = relation: ``relation``
  (snake_case), ``label`` ("CEO of"), ``predicate`` (IRI), ``evidence``,
  ``article``, ``article_title``, ``date``, ``confidence``, ``title`` and
  ``sources`` (one dict per article stating it);
- deal nodes link to their parties with ``party`` / ``acquirer`` / ``target`` /
  ``investor`` / ``investee`` edges;
- ``G.graph["articles"]``: article IRI -> title, published, url, publisher.

Literals are attributes, never nodes.

The analyses are plain functions that take that graph and return plain data:

- :func:`find_entity`: a node from a label, an alias or an IRI;
- :func:`as_of`: the graph as it stood on a date;
- :func:`rank`: entities by degree, PageRank and betweenness, per type, from
  :func:`degree`, :func:`pagerank` and :func:`betweenness` (node -> score);
- :func:`communities`: Louvain (or Leiden) communities;
- :func:`shortest_path`: the shortest connection, hop by hop, with the evidence
  of each hop, as one line (:func:`path_text`) or with the sentences
  (:func:`explain_path`);
- :func:`ego_network`: everything within N hops of an entity (:func:`to_records`
  turns it into rows);
- :func:`deals_over_time`: deals per year or month, by type and value;
- :func:`simple_view`, :func:`to_igraph`: the undirected simple graph the
  measures use, and the same as an igraph graph.

How the measures read the graph: relations are connections whatever their
direction (who is CEO of whom matters for the evidence, not for how central a
company is), parallel relations count once, and deals are connectors: a deal
node links its parties, so Jack Ma reaches Apple through ``Jack Ma -> Alibaba
<- deal -> Apple``. In :func:`degree`, :func:`shortest_path` and
:func:`ego_network` passing through a deal counts as one hop, as the relation it
stands for would.

The heavy algorithms (betweenness, communities) run in igraph when it is
installed and the graph has :data:`IGRAPH_MIN_EDGES` connections or more, or
when asked with ``backend="igraph"``; both backends compute the same
definitions (betweenness from the same sampled sources gives identical scores;
Louvain is randomised in both, so communities differ in detail).

>>> G = example_graph()
>>> summary(G)["types"]
{'Person': 3, 'Organization': 5, 'Product': 1, 'Deal': 2}
>>> path_text(shortest_path(G, "Jack Ma", "tim cook"))
'Jack Ma -CEO of-> Alibaba Group -deal with-> Apple <-CEO of- Tim Cook'
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import importlib.util
import math
import random
import re
from collections import Counter, deque
from collections.abc import Iterable

import networkx as nx

from graph.ns import DG, relation_from_property, relation_property
from graph.projection import ENTITY_TYPES, RELATION_LABELS
from graph.store import Store

__all__ = [
    "to_networkx", "summary", "example_graph", "RELATION_LABELS", "ENTITY_TYPES", "MEASURES",
    "IGRAPH_MIN_EDGES", "BETWEENNESS_SOURCES", "find_entity", "as_of", "simple_view", "to_igraph",
    "degree", "pagerank", "betweenness", "rank", "communities", "shortest_path", "path_text",
    "explain_path", "ego_network", "to_records", "deals_over_time",
]

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
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# --------------------------------------------------------------------------
# Projection: the portable queries (any SPARQL endpoint); an embedded store is read with
# graph.projection's faster ones, and graph.projection turns the rows into the graph.

_ARTICLES = """
SELECT ?a ?title ?date ?url ?pub WHERE {
  ?a a dg:Article .
  OPTIONAL { ?a schema:headline ?title } OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a schema:publisher ?pub }
}
"""

# Entity descriptions repeat in every article graph that mentions the entity. A dealgraph
# store's default graph holds each triple once, but a remote endpoint's union may repeat
# it per graph, and joining type, label, aliases and mentions in one query would then
# multiply the repeats (k^3 rows for an entity in k articles). Four DISTINCT queries,
# joined in Python, stay linear everywhere.
_TYPES = "SELECT DISTINCT ?e ?t WHERE { VALUES ?t { dg:Person dg:Organization dg:Product } ?e a ?t }"
_LABELS = "SELECT DISTINCT ?e ?l WHERE { ?e rdfs:label ?l }"
_ALIASES = "SELECT DISTINCT ?e ?l WHERE { ?e skos:altLabel ?l }"
_MENTIONS = "SELECT DISTINCT ?e ?a WHERE { ?e dg:mentionedIn ?a }"

_FACTS = """
SELECT ?s ?p ?o ?ev ?conf ?date ?title ?former ?a WHERE {
  ?f a dg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     dg:evidence ?ev ; dg:confidence ?conf ; dg:statedIn ?a .
  OPTIONAL { ?f dg:date ?date } OPTIONAL { ?f dg:title ?title } OPTIONAL { ?f dg:former ?former }
}
"""

_DEALS = """
SELECT ?d ?type ?label ?status ?date ?value ?cur ?ev ?conf ?a WHERE {
  ?d a dg:Deal ; a ?type ; rdfs:label ?label ; dg:statedIn ?a .
  FILTER(?type != dg:Deal)
  OPTIONAL { ?d dg:status ?status } OPTIONAL { ?d dg:date ?date }
  OPTIONAL { ?d dg:value ?value } OPTIONAL { ?d dg:currency ?cur }
  OPTIONAL { ?d dg:evidence ?ev } OPTIONAL { ?d dg:confidence ?conf }
}
"""

_PARTIES = """
SELECT ?d ?role ?x WHERE {
  VALUES ?role { dg:party dg:acquirer dg:target dg:investor dg:investee }
  ?d ?role ?x .
}
"""


def to_networkx(store: Store, *, include_former: bool = False) -> nx.MultiDiGraph:
    """Project the store to a MultiDiGraph (see the module docstring).

    Parameters
    ----------
    store : graph.store.Store
        Any dealgraph store (on disk, in memory or remote).
    include_former : bool, default False
        Also project past roles (facts marked ``dg:former``), as edges keyed
        ``"former <relation>"`` with ``former=True``; by default the graph is the
        current state.

    Returns
    -------
    networkx.MultiDiGraph
        Linear in the size of the store; the rows come from
        :mod:`graph.projection` (about 3 s at a million triples on disk).

    Examples
    --------
    >>> from graph.store import open_store
    >>> to_networkx(open_store("memory")).number_of_nodes()
    0
    """
    from graph.curation import curate_networkx, state

    with _collector_paused():
        G = _project(store, include_former)
    curate_networkx(G, state(store))  # merges and retractions (a remote store's union is not curated)
    return G


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector: the projection makes millions of small
    acyclic objects, and the collector's passes over them took 7% of its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _project(store: Store, include_former: bool = False) -> nx.MultiDiGraph:
    from graph import projection

    rows = projection.embedded_rows(store)  # None unless an embedded store: then the portable queries
    if rows is None:
        queries = {"articles": _ARTICLES, "types": _TYPES, "labels": _LABELS, "aliases": _ALIASES,
                   "mentions": _MENTIONS, "facts": _FACTS, "deals": _DEALS, "parties": _PARTIES}
        rows = {kind: projection.solution_rows(kind, store.query(q)) for kind, q in queries.items()}
    return projection.from_rows(rows, include_former)


def summary(G: nx.MultiDiGraph) -> dict:
    """Counts for a quick look: nodes, edges, nodes per type, edges per relation.

    >>> G = nx.MultiDiGraph(); G.add_node("x", type="Person")
    >>> summary(G)["types"]
    {'Person': 1}
    """
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "types": dict(Counter(t for _, t in G.nodes(data="type"))),
        "relations": dict(Counter(r for _, _, r in G.edges(data="relation"))),
        "articles": len(G.graph.get("articles", {})),
    }


def example_graph() -> nx.MultiDiGraph:
    """A small graph in the shape :func:`to_networkx` makes: the facts of the seed article.

    Jack Ma is CEO of Alibaba Group, Tim Cook CEO and Eddy Cue an executive of
    Apple, which launched Apple Pay; Alibaba proposed a partnership with Apple
    (2014-10-27) and made an agreement with Lions Gate (2014-07); Taobao.com and
    Tianmao.com belong to Alibaba. For examples, tests and trying things out.

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> G = example_graph()
    >>> G.nodes["https://w3id.org/dealgraph/id/org/alibaba"]["label"]
    'Alibaba Group'
    """
    base = "https://w3id.org/dealgraph/id/"
    art = base + "article/seed-alibaba-apple"
    title = "Jack Ma to work with Apple on online payments"
    G = nx.MultiDiGraph()
    G.graph["articles"] = {art: {"title": title, "published": "2014-10-29", "url": None, "publisher": "China.org.cn"}}
    for kind, slug, label, aliases in (
        ("Person", "person/jack-ma", "Jack Ma", ["Ma"]), ("Person", "person/tim-cook", "Tim Cook", []),
        ("Person", "person/eddy-cue", "Eddy Cue", []), ("Organization", "org/alibaba", "Alibaba Group", ["Alibaba"]),
        ("Organization", "org/apple", "Apple", ["Apple Inc."]),
        ("Organization", "org/lions-gate-entertainment", "Lions Gate Entertainment", []),
        ("Organization", "org/taobao-com", "Taobao.com", []), ("Organization", "org/tianmao-com", "Tianmao.com", []),
        ("Product", "product/apple-pay", "Apple Pay", []),
    ):
        G.add_node(base + slug, label=label, type=kind, aliases=aliases, articles=[art])

    def fact(s, relation, o, evidence, date="2014-10-29", role=None, confidence=0.9):
        source = {"article": art, "article_title": title, "published": "2014-10-29", "evidence": evidence,
                  "confidence": confidence}
        G.add_edge(base + s, base + o, key=relation, relation=relation, label=RELATION_LABELS[relation],
                   predicate=str(relation_property(relation)), evidence=evidence, article=art,
                   article_title=title, date=date, confidence=confidence, title=role, sources=[source])

    fact("person/jack-ma", "ceo_of", "org/alibaba", "Jack Ma, CEO of the Alibaba Group, said he wants to work with Apple.", role="CEO")
    fact("person/tim-cook", "ceo_of", "org/apple", "Tim Cook, the CEO of Apple Inc., said Apple is willing to partner with Alibaba.", role="CEO")
    fact("person/eddy-cue", "executive_of", "org/apple", "Eddy Cue, Apple's senior vice president, introduced Apple Pay.",
         role="senior vice president", confidence=0.8)
    fact("org/apple", "launched", "product/apple-pay", "Apple launched Apple Pay this month.", date="2014-10")
    fact("org/alibaba", "deal_with", "org/apple", "Jack Ma intends to work with Apple on a digital wallet business.",
         date="2014-10-27", confidence=0.7)
    fact("org/alibaba", "deal_with", "org/lions-gate-entertainment",
         "In July, Alibaba reached an agreement with Lions Gate Entertainment to stream its films.", date="2014-07")
    fact("org/taobao-com", "subsidiary_of", "org/alibaba", "Alibaba runs the shopping sites Taobao.com and Tianmao.com.")
    fact("org/tianmao-com", "subsidiary_of", "org/alibaba", "Alibaba runs the shopping sites Taobao.com and Tianmao.com.")
    for digest, deal_type, status, date, other, evidence in (
        ("0000000000000001", "Partnership", "proposed", "2014-10-27", "org/apple",
         "Jack Ma intends to work with Apple on a digital wallet business."),
        ("0000000000000002", "Agreement", "announced", "2014-07", "org/lions-gate-entertainment",
         "In July, Alibaba reached an agreement with Lions Gate Entertainment to stream its films."),
    ):
        d = base + "deal/" + digest
        G.add_node(d, label=f"Alibaba Group and {G.nodes[base + other]['label']}: {deal_type.lower()}", type="Deal",
                   deal_type=deal_type, status=status, date=date, value=None, currency=None, evidence=evidence,
                   articles=[art], article_title=title)
        for party in ("org/alibaba", other):
            G.add_edge(d, base + party, key="party", relation="party", label="party", predicate=str(DG.party),
                       evidence=evidence, article=art, article_title=title, date=date, confidence=None, title=None,
                       sources=[])
    return G


# --------------------------------------------------------------------------
# Finding entities, filtering by time


def _names(d: dict) -> set[str]:
    return {str(s).strip().casefold() for s in [d.get("label") or "", *(d.get("aliases") or [])] if str(s).strip()}


def _label(G, n) -> str:
    return str(G.nodes[n].get("label") or n)


def find_entity(G: nx.Graph, name: str) -> str:
    """The node named ``name``: its IRI, its label or one of its aliases (any case).

    A label match wins over an alias match; a name that fits several nodes
    equally is an error (give the IRI then).

    Parameters
    ----------
    G : networkx graph
        Nodes with ``label`` and ``aliases`` attributes, as :func:`to_networkx` makes.
    name : str

    Returns
    -------
    str
        The node (an IRI).

    Raises
    ------
    ValueError
        When no node has that name (the message suggests close names) or several do.

    Examples
    --------
    >>> G = example_graph()
    >>> find_entity(G, "alibaba")
    'https://w3id.org/dealgraph/id/org/alibaba'
    >>> find_entity(G, "Tim Cok")
    Traceback (most recent call last):
    ValueError: unknown entity 'Tim Cok': no node has that IRI, label or alias; did you mean 'Tim Cook'?
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"entity must be a non-empty name or IRI, got {name!r}")
    if name in G:
        return name
    wanted = name.strip().casefold()
    by_label, by_alias = [], []
    for n, d in G.nodes(data=True):
        if str(d.get("label") or "").strip().casefold() == wanted:
            by_label.append(n)
        elif wanted in _names(d):
            by_alias.append(n)
    found = by_label or by_alias
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{_label(G, n)} <{n}>" for n in sorted(found)[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise ValueError(f"ambiguous entity {name!r}: it names {listed}{more}; give the IRI")
    labels = {str(d.get("label")): None for _, d in G.nodes(data=True) if d.get("label")}
    close = difflib.get_close_matches(name.strip(), list(labels), n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.strip().casefold(), [str(x).casefold() for x in labels], n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"unknown entity {name!r}: no node has that IRI, label or alias{hint}")


def _check_date(option: str, value: str) -> str:
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise ValueError(f"{option} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value.strip()


def _iso(value) -> str | None:
    """The YYYY[-MM[-DD]] prefix of a stored date, or None when there is none."""
    if value is None:
        return None
    text = str(value).strip()[:10]
    m = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", text)
    return m.group(0) if m else None


def _on_or_before(date: str, cutoff: str) -> bool:
    """Prefix-aware: compare at the coarser of the two precisions (a year means the whole year)."""
    n = min(len(date), len(cutoff))
    return date[:n] <= cutoff[:n]


def as_of(G: nx.MultiDiGraph, date: str, *, keep_undated: bool = True) -> nx.MultiDiGraph:
    """The graph as it stood on ``date``: the relations and deals dated on or before it.

    Dates may be years, months or days; they are compared at the coarser
    precision of the two, so a deal dated "2014" is kept as of "2014-06-01" and
    a relation of "2014-10-27" is kept as of "2014" (a year means the whole
    year). A relation without a date of its own is dated by the earliest
    article that states it. Entities stay when a kept relation or deal touches
    them or an article published by then mentions them. Articles published
    later are left out of ``graph["articles"]``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As :func:`to_networkx` makes it.
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    keep_undated : bool, optional
        Keep relations, deals and entities with no date at all (default True).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph (attribute dicts are copies); ``graph["as_of"]`` is ``date``.

    Raises
    ------
    ValueError
        When ``date`` is not a date in one of those forms.

    Examples
    --------
    >>> G = example_graph()
    >>> H = as_of(G, "2014-09")
    >>> sorted(d["label"] for _, d in H.nodes(data=True) if d["type"] == "Deal")
    ['Alibaba Group and Lions Gate Entertainment: agreement']
    >>> H.has_edge("https://w3id.org/dealgraph/id/org/alibaba", "https://w3id.org/dealgraph/id/org/apple")
    False
    """
    cutoff = _check_date("as_of date", date)
    articles = G.graph.get("articles") or {}
    published = {a: _iso((m or {}).get("published")) for a, m in articles.items()}

    def keep(d) -> bool:
        return keep_undated if d is None else _on_or_before(d, cutoff)

    def edge_date(d) -> str | None:
        own = _iso(d.get("date"))
        if own is not None:
            return own
        dates = [p for s in d.get("sources") or [] if (p := _iso(s.get("published")))]
        if not dates and d.get("article"):
            dates = [p] if (p := published.get(d["article"])) else []
        return min(dates) if dates else None

    dropped_deals = {n for n, d in G.nodes(data=True) if d.get("type") == "Deal" and not keep(_iso(d.get("date")))}
    edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
             if u not in dropped_deals and v not in dropped_deals and keep(edge_date(d))]
    touched = {n for u, v, _, _ in edges for n in (u, v)}

    def keep_node(n, d) -> bool:
        if d.get("type") == "Deal":
            return n not in dropped_deals
        if n in touched:
            return True
        dates = [published.get(a) for a in d.get("articles") or []]
        if any(p is not None and _on_or_before(p, cutoff) for p in dates):
            return True
        return keep_undated and not any(dates) and G.degree(n) == 0

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["articles"] = {a: m for a, m in articles.items() if keep(published[a])}
    H.graph["as_of"] = cutoff
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if keep_node(n, d))
    H.add_edges_from(edges)
    return H


# --------------------------------------------------------------------------
# The analysis view and the backends


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


def rank(G: nx.Graph, *, by: str = "degree", types=None, top: int | None = 10, k: int | None = None,
         seed: int = 0, backend: str = "auto") -> dict[str, list[dict]]:
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
            rows.append({"rank": i, "iri": n, "label": _label(H, n), "type": t, "degree": deg.get(n, 0),
                         "deals": deals.get(n, 0), "pagerank": pr.get(n, 0.0), "betweenness": bc.get(n, 0.0)})
        result[t] = rows
    return result


_METHODS = ("louvain", "leiden")


def communities(G: nx.Graph, *, method: str = "louvain", resolution: float = 1.0, seed: int = 0,
                backend: str = "auto") -> list[dict]:
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


# --------------------------------------------------------------------------
# Paths and neighbourhoods


def _neighbours(G: nx.MultiDiGraph, n):
    yield from G.succ[n]
    yield from G.pred[n]


def _hops_from(G: nx.MultiDiGraph, start, *, stop=None, limit=None):
    """0-1 breadth-first search ignoring direction, where leaving a deal node costs nothing.

    Returns (distance, parent) dicts; stops early once ``stop`` is settled and
    does not go beyond ``limit`` hops.
    """
    deal = {n for n, t in G.nodes(data="type") if t == "Deal"} if G.number_of_nodes() else set()
    dist, parent = {start: 0}, {start: None}
    queue, done = deque([start]), set()
    while queue:
        u = queue.popleft()
        if u in done:
            continue
        done.add(u)
        if u == stop:
            break
        for v in _neighbours(G, u):
            w = 0 if (u in deal and u != start) else 1
            d = dist[u] + w
            if (limit is not None and d > limit) or d >= dist.get(v, math.inf):
                continue
            dist[v], parent[v] = d, u
            if w == 0:
                queue.appendleft(v)
            else:
                queue.append(v)
    return dist, parent


def _best_edge(G: nx.MultiDiGraph, u, v) -> tuple[dict, bool, list[str]]:
    """The most confident relation between u and v (either direction), whether it runs u -> v, all relations."""
    options = [(d, True) for d in (G.succ[u].get(v) or {}).values()]
    options += [(d, False) for d in (G.succ[v].get(u) or {}).values()]
    options.sort(key=lambda o: (-(o[0].get("confidence") or 0), not o[1], str(o[0].get("relation"))))
    return options[0][0], options[0][1], [str(d.get("relation")) for d, _ in options]


def _published(G, article) -> str | None:
    return ((G.graph.get("articles") or {}).get(article) or {}).get("published")


def _deal_info(G, deal) -> dict:
    d = G.nodes[deal]
    return {"iri": deal, "label": d.get("label"), "deal_type": d.get("deal_type"), "status": d.get("status"),
            "date": d.get("date"), "value": d.get("value"), "currency": d.get("currency")}


def _edge_hop(G, u, v) -> dict:
    d, forward, relations = _best_edge(G, u, v)
    article = d.get("article")
    return {
        "source": u, "source_label": _label(G, u), "target": v, "target_label": _label(G, v),
        "relation": d.get("relation"), "label": d.get("label") or str(d.get("relation")).replace("_", " "),
        "forward": forward, "evidence": d.get("evidence"), "article": article,
        "article_title": d.get("article_title"), "published": _published(G, article), "date": d.get("date"),
        "confidence": d.get("confidence"), "relations": relations, "deal": None,
    }


def _deal_hop(G, u, deal, v) -> dict:
    roles_u = set(G.succ[deal].get(u) or {})
    roles_v = set(G.succ[deal].get(v) or {})
    info = _deal_info(G, deal)
    forward = True
    if {"acquirer", "target"} & (roles_u | roles_v):
        relation, forward = "acquired", "target" in roles_v or "acquirer" in roles_u
    elif {"investor", "investee"} & (roles_u | roles_v):
        relation, forward = "invested_in", "investee" in roles_v or "investor" in roles_u
    else:
        relation = "deal_with"
    d = G.nodes[deal]
    article = (d.get("articles") or [None])[0]
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", d.get("deal_type") or "deal").lower()
    label = RELATION_LABELS[relation] if relation != "deal_with" else f"{kind} with"
    return {
        "source": u, "source_label": _label(G, u), "target": v, "target_label": _label(G, v),
        "relation": relation, "label": label, "forward": forward, "evidence": d.get("evidence"),
        "article": article, "article_title": d.get("article_title"), "published": _published(G, article),
        "date": d.get("date"), "confidence": d.get("confidence"), "relations": [relation], "deal": info,
    }


def shortest_path(G: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """The shortest connection between two entities, hop by hop, each with its evidence.

    Relations are followed in either direction; a deal links its parties in one
    hop (``Alibaba Group -partnership with-> Starbucks``, the deal in
    ``hop["deal"]``). Between two nodes with several relations, the most
    confident one explains the hop. Linear in the size of the graph.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As :func:`to_networkx` makes it (the evidence lives on its edges).
    source, target : str
        Labels, aliases or IRIs (see :func:`find_entity`).

    Returns
    -------
    list of dict
        One per hop: ``source``, ``source_label``, ``target``, ``target_label``,
        ``relation``, ``label``, ``forward`` (False when the stored relation
        points back, as in ``Apple <-CEO of- Tim Cook``), ``evidence``,
        ``article``, ``article_title``, ``published``, ``date``,
        ``confidence``, ``relations`` (every relation between the two) and
        ``deal`` (the deal's details for a hop through a deal, else None).
        Empty when source and target are the same node.

    Raises
    ------
    ValueError
        When a name matches no node (with suggestions) or several.
    networkx.NetworkXNoPath
        When the two are not connected.

    See Also
    --------
    path_text, explain_path

    Examples
    --------
    >>> hops = shortest_path(example_graph(), "Jack Ma", "Apple Pay")
    >>> [(h["source_label"], h["label"], h["target_label"]) for h in hops]
    [('Jack Ma', 'CEO of', 'Alibaba Group'), ('Alibaba Group', 'deal with', 'Apple'), ('Apple', 'launched', 'Apple Pay')]
    >>> hops[0]["evidence"]
    'Jack Ma, CEO of the Alibaba Group, said he wants to work with Apple.'
    """
    s, t = find_entity(G, source), find_entity(G, target)
    if not G.is_directed() or not G.is_multigraph():
        raise ValueError("shortest_path needs the MultiDiGraph of to_networkx (the evidence is on its edges)")
    if s == t:
        return []
    dist, parent = _hops_from(G, s, stop=t)
    if t not in dist:
        raise nx.NetworkXNoPath(f"no connection between {_label(G, s)} and {_label(G, t)}")
    path = [t]
    while path[-1] != s:
        path.append(parent[path[-1]])
    path.reverse()
    hops, i = [], 0
    while i < len(path) - 1:
        mid = path[i + 1]
        if G.nodes[mid].get("type") == "Deal" and i + 2 < len(path):  # party -> deal -> party: one hop
            hops.append(_deal_hop(G, path[i], mid, path[i + 2]))
            i += 2
        else:
            hops.append(_edge_hop(G, path[i], mid))
            i += 1
    return hops


def path_text(hops: list[dict]) -> str:
    """A path as one line: ``Jack Ma -CEO of-> Alibaba Group -deal with-> Apple <-CEO of- Tim Cook``.

    Parameters
    ----------
    hops : list of dict
        As :func:`shortest_path` returns them.

    Returns
    -------
    str

    Examples
    --------
    >>> path_text(shortest_path(example_graph(), "Taobao.com", "Lions Gate Entertainment"))
    'Taobao.com -subsidiary of-> Alibaba Group -deal with-> Lions Gate Entertainment'
    >>> path_text([])
    ''
    """
    if not hops:
        return ""
    parts = [hops[0]["source_label"]]
    for h in hops:
        parts.append(f"-{h['label']}->" if h["forward"] else f"<-{h['label']}-")
        parts.append(h["target_label"])
    return " ".join(parts)


def explain_path(hops: list[dict]) -> str:
    """A path with the evidence of each hop: the sentence, the article and its date.

    Parameters
    ----------
    hops : list of dict
        As :func:`shortest_path` returns them.

    Returns
    -------
    str
        The :func:`path_text` line, then one numbered block per hop.

    Examples
    --------
    >>> print(explain_path(shortest_path(example_graph(), "Jack Ma", "Apple")))
    Jack Ma -CEO of-> Alibaba Group -deal with-> Apple
    1. Jack Ma -CEO of-> Alibaba Group
       "Jack Ma, CEO of the Alibaba Group, said he wants to work with Apple."
       -- Jack Ma to work with Apple on online payments (2014-10-29)
    2. Alibaba Group -deal with-> Apple
       "Jack Ma intends to work with Apple on a digital wallet business."
       -- Jack Ma to work with Apple on online payments (2014-10-29)
    """
    lines = [path_text(hops)]
    for i, h in enumerate(hops, 1):
        lines.append(f"{i}. {path_text([h])}")
        if h["deal"]:
            deal = h["deal"]
            lines.append("   deal: " + ", ".join(str(x) for x in (deal["label"], deal["status"], deal["date"]) if x))
        if h["evidence"]:
            lines.append(f"   \"{' '.join(str(h['evidence']).split())}\"")
        cite = h["article_title"] or h["article"]
        if cite:
            lines.append(f"   -- {cite}" + (f" ({h['published']})" if h["published"] else ""))
    return "\n".join(lines)


def ego_network(G: nx.MultiDiGraph, entity: str, *, depth: int = 1) -> nx.MultiDiGraph:
    """Everything within ``depth`` hops of an entity, with every relation among them.

    Hops ignore direction and a deal links its parties in one hop (the deal
    node comes along). Nodes get a ``hops`` attribute; ``graph["center"]`` is
    the entity.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As :func:`to_networkx` makes it.
    entity : str
        Label, alias or IRI (see :func:`find_entity`).
    depth : int, optional
        Hops (default 1; 0 is the entity alone).

    Returns
    -------
    networkx.MultiDiGraph
        The induced subgraph (a copy), in the same shape as ``G``.

    Raises
    ------
    ValueError
        For an unknown entity or a negative depth.

    Examples
    --------
    >>> E = ego_network(example_graph(), "Tim Cook", depth=1)
    >>> sorted(d["label"] for _, d in E.nodes(data=True))
    ['Apple', 'Tim Cook']
    >>> E2 = ego_network(example_graph(), "Apple", depth=1)
    >>> sorted(d["label"] for _, d in E2.nodes(data=True) if d["hops"] == 1 and d["type"] != "Deal")
    ['Alibaba Group', 'Apple Pay', 'Eddy Cue', 'Tim Cook']
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    center = find_entity(G, entity)
    dist, _ = _hops_from(G, center, limit=depth)
    E = G.subgraph(dist).copy()
    for n, d in dist.items():
        E.nodes[n]["hops"] = d
    E.graph["center"] = center
    return E


def to_records(G: nx.MultiDiGraph) -> dict:
    """Nodes and edges as lists of plain dicts (for JSON and tables).

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    dict
        ``{"nodes": [{"iri", "label", "type", ...}], "edges": [{"source",
        "target", "relation", "label", "date", "evidence", "article_title"}]}``;
        node rows also carry ``hops`` when the nodes have it (:func:`ego_network`).

    Examples
    --------
    >>> rec = to_records(ego_network(example_graph(), "Tim Cook"))
    >>> [(e["source_label"], e["label"], e["target_label"]) for e in rec["edges"]]
    [('Tim Cook', 'CEO of', 'Apple')]
    """
    nodes = []
    for n, d in G.nodes(data=True):
        row = {"iri": n, "label": _label(G, n), "type": d.get("type")}
        if "hops" in d:
            row["hops"] = d["hops"]
        nodes.append(row)
    if nodes and "hops" in nodes[0]:
        nodes.sort(key=lambda r: (r.get("hops", 0), str(r["type"]), r["label"]))
    edges = [{"source": u, "source_label": _label(G, u), "target": v, "target_label": _label(G, v),
              "relation": d.get("relation", k), "label": d.get("label") or str(k), "date": d.get("date"),
              "evidence": d.get("evidence"), "article_title": d.get("article_title")}
             for u, v, k, d in G.edges(keys=True, data=True)]
    return {"nodes": nodes, "edges": edges}


def deals_over_time(G: nx.Graph, *, by: str = "year") -> list[dict]:
    """Deals per year (or month): how many, of which type, for how much.

    Parameters
    ----------
    G : networkx graph
        With deal nodes (``type`` "Deal", ``deal_type``, ``date``, ``value``,
        ``currency``) as :func:`to_networkx` makes them.
    by : {"year", "month"}, optional

    Returns
    -------
    list of dict
        ``{"period", "count", "types" (deal type -> count), "value" (currency ->
        total of the known values)}`` in time order, every period from the first
        to the last (empty ones with count 0); a final row with ``period`` None
        counts the deals whose date is missing or too coarse (a bare year, by month).

    Raises
    ------
    ValueError
        For an unknown ``by``.

    Examples
    --------
    >>> [(r["period"], r["count"], r["types"]) for r in deals_over_time(example_graph(), by="month")]
    [('2014-07', 1, {'Agreement': 1}), ('2014-08', 0, {}), ('2014-09', 0, {}), ('2014-10', 1, {'Partnership': 1})]
    """
    width = {"year": 4, "month": 7}.get(by)
    if width is None:
        raise ValueError(f"unknown by {by!r}; expected 'year' or 'month'")
    rows: dict = {}
    for _, d in G.nodes(data=True):
        if d.get("type") != "Deal":
            continue
        date = _iso(d.get("date"))
        period = date[:width] if date and len(date) >= width else None
        row = rows.setdefault(period, {"period": period, "count": 0, "types": Counter(), "value": Counter()})
        row["count"] += 1
        row["types"][d.get("deal_type") or "Deal"] += 1
        if d.get("value") is not None and not (isinstance(d["value"], float) and math.isnan(d["value"])):
            row["value"][d.get("currency") or "USD"] += float(d["value"])
    dated = sorted(p for p in rows if p is not None)
    out = []
    for period in _periods(dated[0], dated[-1], by) if dated else []:
        row = rows.get(period) or {"period": period, "count": 0, "types": Counter(), "value": Counter()}
        out.append({**row, "types": dict(sorted(row["types"].items())), "value": dict(sorted(row["value"].items()))})
    if None in rows:
        row = rows[None]
        out.append({**row, "types": dict(sorted(row["types"].items())), "value": dict(sorted(row["value"].items()))})
    return out


def _periods(first: str, last: str, by: str) -> Iterable[str]:
    if by == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
