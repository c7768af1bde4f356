"""The rows :func:`graph.network.to_networkx` reads, and how they become nodes and edges.

The projection asks a store for eight kinds of rows (articles, entity types,
labels, aliases, mentions, facts, deals, deal roles) and :func:`from_rows`
turns them into a ``networkx.MultiDiGraph``. Two ways to get the rows:

- from an embedded store (:func:`embedded_rows`): each property of a fact or a
  deal is a subquery of its own, so Oxigraph reads it in one sequential scan
  and joins the scans in a hash table. Written the natural way (``?f a dg:Fact ;
  rdf:subject ?s ; rdf:predicate ?p ...``) the engine joins a fact's ten
  properties one index seek at a time, and on the on-disk store each seek is a
  RocksDB iterator: at 1M triples the facts took 2.6 s that way and take about
  1 s this way; the whole projection went from 8-11 s to about 3 s
  (``python -m benchmarks.network_bench --projection``). The default graph is the
  materialised union there (each triple once), so no DISTINCT is needed;
- from any other store (a remote endpoint, an old store read through
  Oxigraph's union): the portable queries of ``graph.network``, DISTINCT where
  an endpoint's union may repeat a triple.

:func:`from_rows` puts the rows in one canonical order first (articles and
entities by IRI, facts by subject, relation, object, article and evidence,
deals by IRI, type and label, deal roles by deal, party and role), so the
graph, down to its node order, each edge's ``sources``, its ``date`` and
``title`` (the first fact's) and the evidence kept when two sources are equally
confident, is the same from either path and whatever order the engine answered
in.

>>> from graph.store import open_store
>>> s = open_store("memory")
>>> s.update("INSERT DATA { GRAPH <urn:a> { <urn:x> a dg:Organization ; rdfs:label 'X' ; dg:mentionedIn <urn:a> } }")
>>> G = from_rows(embedded_rows(s))
>>> G.nodes["urn:x"]["label"], G.nodes["urn:x"]["articles"]
('X', ['urn:a'])
"""

from __future__ import annotations

import operator

import networkx as nx

from graph.ns import DG, PREFIXES, relation_from_property

__all__ = [
    "EMBEDDED_QUERIES",
    "ENTITY_TYPES",
    "KINDS",
    "RELATION_LABELS",
    "embedded_rows",
    "from_rows",
    "solution_rows",
]

#: The kinds of rows, and the columns of each (the variables of its query, in order).
KINDS = {
    "articles": ("a", "title", "date", "url", "pub"),
    "types": ("e", "t"),
    "labels": ("e", "l"),
    "aliases": ("e", "l"),
    "mentions": ("e", "a"),
    "facts": ("s", "p", "o", "ev", "conf", "date", "title", "former", "a"),
    "deals": ("d", "type", "label", "status", "date", "value", "cur", "ev", "conf", "a"),
    "parties": ("d", "role", "x"),
}

RELATION_LABELS = {
    "ceo_of": "CEO of",
    "founder_of": "founder of",
    "chair_of": "chair of",
    "executive_of": "executive of",
    "board_member_of": "board member of",
    "works_for": "works for",
    "subsidiary_of": "subsidiary of",
    "acquired": "acquired",
    "invested_in": "invested in",
    "deal_with": "deal with",
    "launched": "launched",
    "offers": "offers",
    "party": "party",
    "acquirer": "acquirer",
    "target": "target",
    "investor": "investor",
    "investee": "investee",
}
ENTITY_TYPES = ("Organization", "Person", "Product")
ROLE_RELATIONS = ("party", "acquirer", "target", "investor", "investee")
_TYPE_ORDER = {t: i for i, t in enumerate(ENTITY_TYPES)}
_ROLE_ORDER = {str(DG[r]): i for i, r in enumerate(ROLE_RELATIONS)}


def _sub(var: str, path: str, value: str, optional: bool = False) -> str:
    """One property as a subquery: the engine scans it once and hash-joins it on ``?var``."""
    return f"{'OPTIONAL ' if optional else ''}{{ SELECT ?{var} ?{value} WHERE {{ ?{var} {path} ?{value} }} }}"


def _select(kind: str, where: str) -> str:
    return f"SELECT {' '.join('?' + c for c in KINDS[kind])} WHERE {{ {where} }}"


#: The queries :func:`embedded_rows` asks, by kind.
EMBEDDED_QUERIES = {
    "articles": _select(
        "articles",
        "{ ?a a dg:Article } "
        + " ".join(
            _sub("a", p, v, optional=True)
            for p, v in (
                ("schema:headline", "title"),
                ("schema:datePublished", "date"),
                ("schema:url", "url"),
                ("schema:publisher", "pub"),
            )
        ),
    ),
    "types": _select("types", "VALUES ?t { dg:Person dg:Organization dg:Product } ?e a ?t"),
    "labels": _select("labels", "?e rdfs:label ?l"),
    "aliases": _select("aliases", "?e skos:altLabel ?l"),
    "mentions": _select("mentions", "?e dg:mentionedIn ?a"),
    "facts": _select(
        "facts",
        "{ ?f a dg:Fact } "
        + " ".join(
            [
                _sub("f", p, v)
                for p, v in (
                    ("rdf:subject", "s"),
                    ("rdf:predicate", "p"),
                    ("rdf:object", "o"),
                    ("dg:evidence", "ev"),
                    ("dg:confidence", "conf"),
                    ("dg:statedIn", "a"),
                )
            ]
            + [
                _sub("f", p, v, optional=True)
                for p, v in (("dg:date", "date"), ("dg:title", "title"), ("dg:former", "former"))
            ]
        ),
    ),
    "deals": _select(
        "deals",
        "{ ?d a dg:Deal ; a ?type FILTER(?type != dg:Deal) } "
        + " ".join(
            [_sub("d", p, v) for p, v in (("rdfs:label", "label"), ("dg:statedIn", "a"))]
            + [
                _sub("d", p, v, optional=True)
                for p, v in (
                    ("dg:status", "status"),
                    ("dg:date", "date"),
                    ("dg:value", "value"),
                    ("dg:currency", "cur"),
                    ("dg:evidence", "ev"),
                    ("dg:confidence", "conf"),
                )
            ]
        ),
    ),
    "parties": _select(
        "parties", "VALUES ?role { dg:party dg:acquirer dg:target dg:investor dg:investee } ?d ?role ?x"
    ),
}


def embedded_rows(store) -> dict[str, list[tuple]] | None:
    """Every kind of row from an embedded store (strings, None where unbound), or None for any other store."""
    from graph.store import Store

    if not isinstance(store, Store) or not getattr(store, "_materialized", False):
        return None
    inner = store._s  # read here, on this thread: these fixed queries need no sandbox
    return {
        kind: _values(inner.query(q, prefixes=PREFIXES), kind in _ALL_BOUND) for kind, q in EMBEDDED_QUERIES.items()
    }


_ALL_BOUND = {"types", "labels", "aliases", "mentions", "parties"}  # no OPTIONAL: every term bound
_VALUE = operator.attrgetter("value")


def _values(solutions, all_bound: bool) -> list[tuple]:
    if all_bound:
        return [tuple(map(_VALUE, r)) for r in solutions]
    return [tuple([None if t is None else t.value for t in r]) for r in solutions]


def solution_rows(kind: str, solutions) -> list[tuple]:
    """pyoxigraph solutions of a query for ``kind`` as rows of strings (None where unbound).

    >>> from graph.store import open_store
    >>> solution_rows("labels", open_store("memory").query("SELECT ?e ?l WHERE { VALUES (?e ?l) { (<urn:x> 'X') } }"))
    [('urn:x', 'X')]
    """
    columns = KINDS[kind]
    return [tuple(None if (t := r[c]) is None else t.value for c in columns) for r in solutions]


# Sort keys from columns always bound (C-level, no None): articles by IRI; facts by subject, relation,
# object, article (an edge's sources in article order), evidence, confidence; deals by IRI, type, label, article.
_ARTICLE_ORDER = operator.itemgetter(0)
_FACT_ORDER = operator.itemgetter(0, 1, 2, 8, 3, 4)
_DEAL_ORDER = operator.itemgetter(0, 1, 2, 9)


def from_rows(rows: dict[str, list[tuple]], include_former: bool = False) -> nx.MultiDiGraph:
    """The (uncurated) projection: nodes, edges and ``G.graph["articles"]`` from the rows of every kind."""
    G = nx.MultiDiGraph()
    articles = {}
    for a, title, date, url, pub in sorted(rows["articles"], key=_ARTICLE_ORDER):
        articles[a] = {"title": title, "published": date, "url": url, "publisher": pub}
    G.graph["articles"] = articles
    _add_entities(G, rows)
    _add_facts(G, rows["facts"], articles, include_former)
    _add_deals(G, rows, articles)
    return G


def _add_entities(G: nx.MultiDiGraph, rows: dict) -> None:
    types: dict[str, str] = {}
    for e, t in rows["types"]:
        t = t.rsplit("#", 1)[1]
        if e not in types or _TYPE_ORDER[t] < _TYPE_ORDER[types[e]]:  # one type, the same every run
            types[e] = t
    names: dict[str, list[str]] = {e: [] for e in types}
    for e, label in rows["labels"]:
        if e in names:
            names[e].append(label)
    labels = {e: max(ls, key=lambda s: (len(s), s)) for e, ls in names.items() if ls}  # the fullest name
    for e, alias in rows["aliases"]:
        if e in names:
            names[e].append(alias)
    mentions: dict[str, list[str]] = {e: [] for e in types}
    for e, a in rows["mentions"]:
        if e in mentions:
            mentions[e].append(a)
    for e in sorted(types):
        if e not in labels:
            continue  # an entity needs a name (the SHACL shapes say so too)
        label = labels[e]
        G.add_node(
            e,
            label=label,
            type=types[e],
            aliases=sorted({n for n in names[e] if n != label}),
            articles=sorted(mentions[e]),
        )


def _add_facts(G: nx.MultiDiGraph, rows: list[tuple], articles: dict, include_former: bool) -> None:
    """An edge per (subject, relation, object); each fact stating it adds a source, the most confident one its evidence."""
    relations: dict[str, str | None] = {}
    edges: dict[tuple[str, str, str], dict] = {}
    for s, p, o, ev, conf, date, title, former, a in sorted(rows, key=_FACT_ORDER):
        former = former in ("true", "1")  # dg:former
        if former and not include_former:
            continue
        relation = relations[p] if p in relations else relations.setdefault(p, relation_from_property(p))
        if relation is None:
            continue
        meta = articles.get(a) or {}
        confidence = float(conf)
        source = {
            "article": a,
            "article_title": meta.get("title"),
            "published": meta.get("published"),
            "evidence": ev,
            "confidence": confidence,
        }
        key = f"former {relation}" if former else relation
        data = edges.get((s, o, key))
        if data is not None:
            data["sources"].append(source)
            if confidence > data["confidence"]:
                data.update(evidence=ev, article=a, article_title=source["article_title"], confidence=confidence)
            continue
        data = {
            "relation": relation,
            "label": ("former " if former else "") + RELATION_LABELS[relation],
            "predicate": p,
            "evidence": ev,
            "article": a,
            "article_title": source["article_title"],
            "date": date,
            "confidence": confidence,
            "title": title,
            "sources": [source],
        }
        if former:
            data["former"] = True
        edges[(s, o, key)] = data
    G.add_edges_from((s, o, key, data) for (s, o, key), data in edges.items())


def _add_deals(G: nx.MultiDiGraph, rows: dict, articles: dict) -> None:
    for d, type_, label, status, date, value, cur, ev, _, a in sorted(rows["deals"], key=_DEAL_ORDER):
        G.add_node(
            d,
            label=label,
            type="Deal",
            deal_type=type_.rsplit("#", 1)[1],
            status=status,
            date=date,
            value=float(value) if value else None,
            currency=cur,
            evidence=ev,
            articles=[a],
            article_title=articles.get(a, {}).get("title"),
        )
    roles: dict[tuple[str, str], str] = {}
    for d, role, x in sorted(rows["parties"], key=lambda r: (r[0], r[2], _ROLE_ORDER.get(r[1], 99), r[1])):
        if d in G and x in G and roles.get((d, x), "party") == "party":
            roles[(d, x)] = role.rsplit("#", 1)[1]  # a specific role (acquirer ...) wins over plain "party"
    predicates = {role: str(DG[role]) for role in ROLE_RELATIONS}
    nodes = G.nodes
    G.add_edges_from(
        (
            d,
            x,
            role,
            {
                "relation": role,
                "label": RELATION_LABELS[role],
                "predicate": predicates[role],
                "evidence": nodes[d].get("evidence"),
                "article": nodes[d]["articles"][0],
                "article_title": nodes[d].get("article_title"),
                "date": nodes[d].get("date"),
                "confidence": None,
                "title": None,
                "sources": [],
            },
        )
        for (d, x), role in roles.items()
    )
