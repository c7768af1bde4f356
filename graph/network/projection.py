"""The store projected to a ``networkx.MultiDiGraph`` (see :mod:`graph.network` for its shape).

:func:`to_networkx` reads a store in a few SPARQL SELECTs (entities, facts,
deals, no per-node look-ups); :func:`summary` counts what it holds;
:func:`example_graph` is a small graph of the same shape for examples and tests.

>>> summary(example_graph())["nodes"]
11
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter

import networkx as nx

from graph.network import rows
from graph.ns import DG, relation_property
from graph.store import Store

RELATION_LABELS, ENTITY_TYPES = rows.RELATION_LABELS, rows.ENTITY_TYPES  # their home is graph.network.rows


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
        :mod:`graph.network.rows` (about 4 s at a million triples on disk).

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
    fast = rows.embedded_rows(store)  # None unless an embedded store: then the portable queries
    if fast is None:
        queries = {
            "articles": _ARTICLES,
            "types": _TYPES,
            "labels": _LABELS,
            "aliases": _ALIASES,
            "mentions": _MENTIONS,
            "facts": _FACTS,
            "deals": _DEALS,
            "parties": _PARTIES,
        }
        fast = {kind: rows.solution_rows(kind, store.query(q)) for kind, q in queries.items()}
    return rows.from_rows(fast, include_former)


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
        ("Person", "person/jack-ma", "Jack Ma", ["Ma"]),
        ("Person", "person/tim-cook", "Tim Cook", []),
        ("Person", "person/eddy-cue", "Eddy Cue", []),
        ("Organization", "org/alibaba", "Alibaba Group", ["Alibaba"]),
        ("Organization", "org/apple", "Apple", ["Apple Inc."]),
        ("Organization", "org/lions-gate-entertainment", "Lions Gate Entertainment", []),
        ("Organization", "org/taobao-com", "Taobao.com", []),
        ("Organization", "org/tianmao-com", "Tianmao.com", []),
        ("Product", "product/apple-pay", "Apple Pay", []),
    ):
        G.add_node(base + slug, label=label, type=kind, aliases=aliases, articles=[art])

    def fact(s, relation, o, evidence, date="2014-10-29", role=None, confidence=0.9):
        source = {
            "article": art,
            "article_title": title,
            "published": "2014-10-29",
            "evidence": evidence,
            "confidence": confidence,
        }
        G.add_edge(
            base + s,
            base + o,
            key=relation,
            relation=relation,
            label=RELATION_LABELS[relation],
            predicate=str(relation_property(relation)),
            evidence=evidence,
            article=art,
            article_title=title,
            date=date,
            confidence=confidence,
            title=role,
            sources=[source],
        )

    fact(
        "person/jack-ma",
        "ceo_of",
        "org/alibaba",
        "Jack Ma, CEO of the Alibaba Group, said he wants to work with Apple.",
        role="CEO",
    )
    fact(
        "person/tim-cook",
        "ceo_of",
        "org/apple",
        "Tim Cook, the CEO of Apple Inc., said Apple is willing to partner with Alibaba.",
        role="CEO",
    )
    fact(
        "person/eddy-cue",
        "executive_of",
        "org/apple",
        "Eddy Cue, Apple's senior vice president, introduced Apple Pay.",
        role="senior vice president",
        confidence=0.8,
    )
    fact("org/apple", "launched", "product/apple-pay", "Apple launched Apple Pay this month.", date="2014-10")
    fact(
        "org/alibaba",
        "deal_with",
        "org/apple",
        "Jack Ma intends to work with Apple on a digital wallet business.",
        date="2014-10-27",
        confidence=0.7,
    )
    fact(
        "org/alibaba",
        "deal_with",
        "org/lions-gate-entertainment",
        "In July, Alibaba reached an agreement with Lions Gate Entertainment to stream its films.",
        date="2014-07",
    )
    fact(
        "org/taobao-com", "subsidiary_of", "org/alibaba", "Alibaba runs the shopping sites Taobao.com and Tianmao.com."
    )
    fact(
        "org/tianmao-com", "subsidiary_of", "org/alibaba", "Alibaba runs the shopping sites Taobao.com and Tianmao.com."
    )
    for digest, deal_type, status, date, other, evidence in (
        (
            "0000000000000001",
            "Partnership",
            "proposed",
            "2014-10-27",
            "org/apple",
            "Jack Ma intends to work with Apple on a digital wallet business.",
        ),
        (
            "0000000000000002",
            "Agreement",
            "announced",
            "2014-07",
            "org/lions-gate-entertainment",
            "In July, Alibaba reached an agreement with Lions Gate Entertainment to stream its films.",
        ),
    ):
        d = base + "deal/" + digest
        G.add_node(
            d,
            label=f"Alibaba Group and {G.nodes[base + other]['label']}: {deal_type.lower()}",
            type="Deal",
            deal_type=deal_type,
            status=status,
            date=date,
            value=None,
            currency=None,
            evidence=evidence,
            articles=[art],
            article_title=title,
        )
        for party in ("org/alibaba", other):
            G.add_edge(
                d,
                base + party,
                key="party",
                relation="party",
                label="party",
                predicate=str(DG.party),
                evidence=evidence,
                article=art,
                article_title=title,
                date=date,
                confidence=None,
                title=None,
                sources=[],
            )
    return G
