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

>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="ceo_of", relation="ceo_of")
'ceo_of'
>>> summary(G)["edges"]
1
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from graph.ns import DG, relation_from_property
from graph.store import Store

__all__ = ["to_networkx", "summary", "RELATION_LABELS"]

RELATION_LABELS = {
    "ceo_of": "CEO of", "founder_of": "founder of", "chair_of": "chair of",
    "executive_of": "executive of", "board_member_of": "board member of",
    "works_for": "works for", "subsidiary_of": "subsidiary of", "acquired": "acquired",
    "invested_in": "invested in", "deal_with": "deal with", "launched": "launched",
    "party": "party", "acquirer": "acquirer", "target": "target",
    "investor": "investor", "investee": "investee",
}

_ENTITIES = """
SELECT ?e ?t (SAMPLE(?l) AS ?label)
       (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts)
       (GROUP_CONCAT(DISTINCT STR(?a); separator="\\u001f") AS ?arts)
WHERE {
  VALUES ?t { dg:Person dg:Organization dg:Product }
  ?e a ?t ; rdfs:label ?l .
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e dg:mentionedIn ?a }
} GROUP BY ?e ?t
"""

_ARTICLES = """
SELECT ?a ?title ?date ?url ?pub WHERE {
  ?a a dg:Article .
  OPTIONAL { ?a schema:headline ?title } OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a schema:publisher ?pub }
}
"""

_FACTS = """
SELECT ?s ?p ?o ?ev ?conf ?date ?title ?a WHERE {
  ?f a dg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     dg:evidence ?ev ; dg:confidence ?conf ; dg:statedIn ?a .
  OPTIONAL { ?f dg:date ?date } OPTIONAL { ?f dg:title ?title }
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


def _v(term):
    return None if term is None else term.value


def _split(term) -> list[str]:
    return [x for x in (_v(term) or "").split("\x1f") if x]


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """Project the store to a MultiDiGraph (see the module docstring)."""
    G = nx.MultiDiGraph()
    articles = {}
    for r in store.query(_ARTICLES):
        articles[r["a"].value] = {
            "title": _v(r["title"]), "published": _v(r["date"]), "url": _v(r["url"]), "publisher": _v(r["pub"]),
        }
    G.graph["articles"] = articles
    for r in store.query(_ENTITIES):
        G.add_node(
            r["e"].value, label=r["label"].value, type=r["t"].value.rsplit("#", 1)[1],
            aliases=_split(r["alts"]), articles=_split(r["arts"]),
        )
    for r in store.query(_FACTS):
        _add_fact_edge(G, r, articles)
    _add_deals(G, store, articles)
    return G


def _add_fact_edge(G: nx.MultiDiGraph, r, articles: dict) -> None:
    relation = relation_from_property(r["p"].value)
    if relation is None:
        return
    s, o, a = r["s"].value, r["o"].value, r["a"].value
    source = {
        "article": a, "article_title": articles.get(a, {}).get("title"),
        "published": articles.get(a, {}).get("published"),
        "evidence": r["ev"].value, "confidence": float(r["conf"].value),
    }
    if G.has_edge(s, o, key=relation):
        data = G.edges[s, o, relation]
        data["sources"].append(source)
        if source["confidence"] > data["confidence"]:
            data.update(evidence=source["evidence"], article=a, article_title=source["article_title"], confidence=source["confidence"])
        return
    G.add_edge(
        s, o, key=relation, relation=relation, label=RELATION_LABELS[relation], predicate=r["p"].value,
        evidence=source["evidence"], article=a, article_title=source["article_title"],
        date=_v(r["date"]), confidence=source["confidence"], title=_v(r["title"]), sources=[source],
    )


def _add_deals(G: nx.MultiDiGraph, store: Store, articles: dict) -> None:
    for r in store.query(_DEALS):
        d = r["d"].value
        value = _v(r["value"])
        G.add_node(
            d, label=r["label"].value, type="Deal", deal_type=r["type"].value.rsplit("#", 1)[1],
            status=_v(r["status"]), date=_v(r["date"]), value=float(value) if value else None,
            currency=_v(r["cur"]), evidence=_v(r["ev"]), articles=[r["a"].value],
            article_title=articles.get(r["a"].value, {}).get("title"),
        )
    roles: dict[tuple[str, str], str] = {}
    for r in store.query(_PARTIES):
        d, x = r["d"].value, r["x"].value
        role = r["role"].value.rsplit("#", 1)[1]
        if d in G and x in G and roles.get((d, x), "party") == "party":
            roles[(d, x)] = role  # a specific role (acquirer ...) wins over plain "party"
    for (d, x), role in roles.items():
        data = G.nodes[d]
        G.add_edge(
            d, x, key=role, relation=role, label=RELATION_LABELS[role], predicate=str(DG[role]),
            evidence=data.get("evidence"), article=data["articles"][0], article_title=data.get("article_title"),
            date=data.get("date"), confidence=None, title=None, sources=[],
        )


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
