"""Write an article and its facts as RDF, one named graph per article.

The shape of the output is documented in ``ontology/MODEL.md`` (the contract with
the store, the saved queries, the network projection and the SHACL shapes).

>>> from datetime import date
>>> from graph.sources import Article
>>> from graph.extract import Fact
>>> art = Article(id="a1", source="a1.txt", text="...", title="T", published=date(2016, 6, 13))
>>> fact = Fact("a1.txt", "Microsoft", "Organization", "acquired", "LinkedIn", "Organization",
...             "Microsoft agreed to buy LinkedIn.", 0.8, "2016-06-13", "announced", "Acquisition",
...             26.2e9, "USD")
>>> g = article_graph(art, [fact], Resolver())
>>> str(g.identifier)
'https://w3id.org/dealgraph/id/graph/a1'
>>> (URIRef(ID["org/microsoft"]), DG.acquired, URIRef(ID["org/linkedin"])) in g
True

A past role is a fact node marked ``dg:former``, with no plain triple:

>>> past = Fact("a1.txt", "Ann Lee", "Person", "ceo_of", "Acme", "Organization",
...             "Ann Lee was chief executive of Acme until 2019.", 0.7, former=True, end="2019")
>>> g = article_graph(art, [past], Resolver())
>>> (URIRef(ID["person/ann-lee"]), DG.ceoOf, URIRef(ID["org/acme"])) in g
False
>>> sorted(str(o) for o in g.objects(None, DG.endDate)), len(list(g.subjects(DG.former, Literal(True))))
(['2019'], 1)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef

from graph import __version__
from graph.extract import Fact
from graph.ns import DG, ID, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, relation_property
from graph.resolve import Entity, Resolver
from graph.sources import Article

__all__ = ["article_iri", "graph_iri", "article_graph", "to_dataset", "date_literal", "source_path_text", "Resolver"]

_CLASS = {"Person": DG.Person, "Organization": DG.Organization, "Product": DG.Product}


def article_iri(article: Article) -> URIRef:
    return URIRef(ID[f"article/{article.id}"])


def graph_iri(article: Article) -> URIRef:
    return URIRef(ID[f"graph/{article.id}"])


def date_literal(value: str | None) -> Literal | None:
    """An ISO date at day, month or year precision as the matching XSD literal.

    >>> date_literal("2014-07").datatype == XSD.gYearMonth
    True
    """
    if not value:
        return None
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value))
    return Literal(value, datatype=kind) if kind else None


def source_path_text(source: str) -> str:
    """A file path as text RDF can hold: unchanged when it is valid Unicode.

    On Linux a file name is bytes, and Python keeps a byte that is not UTF-8
    as a lone surrogate (``os.fsdecode``), which no RDF serialisation can
    write. Such a path is written with each of those bytes as ``%XX`` and
    each ``%`` as ``%25``, as in a ``file:`` URI, so that
    ``urllib.parse.unquote_to_bytes`` gives back the exact bytes of the name.
    Any other lone surrogate (none comes from a file name) becomes U+FFFD.

    >>> source_path_text("data/deal.txt")
    'data/deal.txt'
    >>> import os, urllib.parse
    >>> name = os.fsdecode(b"news/caf\\xe9 50%.txt")
    >>> source_path_text(name)
    'news/caf%E9 50%25.txt'
    >>> urllib.parse.unquote_to_bytes(source_path_text(name)) == os.fsencode(name)
    True
    """
    try:
        source.encode("utf-8")
        return source
    except UnicodeEncodeError:
        pass
    out = []
    for c in source:
        if "\udc80" <= c <= "\udcff":
            out.append(f"%{ord(c) - 0xDC00:02X}")
        elif c == "%":
            out.append("%25")
        elif "\ud800" <= c <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out)


def _hash_iri(kind: str, *parts: object) -> URIRef:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return URIRef(ID[f"{kind}/{digest}"])


def _describe_article(g: Graph, article: Article) -> URIRef:
    a = article_iri(article)
    g.add((a, RDF.type, DG.Article))
    g.add((a, RDF.type, SCHEMA.NewsArticle))
    if article.title:
        g.add((a, SCHEMA.headline, Literal(article.title)))
    if article.published:
        g.add((a, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)))
    for prop, value in (
        (SCHEMA.publisher, article.publisher),
        (SCHEMA.author, article.author),
        (SCHEMA.url, article.url),
    ):
        if value:
            g.add((a, prop, Literal(value)))
    g.add((a, DG.sourcePath, Literal(source_path_text(article.source))))
    g.add((a, DG.contentHash, Literal(article.content_hash)))
    g.add((a, DG.wordCount, Literal(article.words, datatype=XSD.integer)))
    gi = graph_iri(article)
    g.add((gi, RDF.type, PROV.Bundle))
    g.add((gi, PROV.wasDerivedFrom, a))
    g.add(
        (
            gi,
            PROV.generatedAtTime,
            Literal(
                datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                datatype=XSD.dateTime,
            ),
        )
    )
    g.add((gi, DG.extractor, Literal(f"dealgraph {__version__}")))
    return a


def _describe_entity(g: Graph, ent: Entity, a: URIRef, names: Iterable[str]) -> URIRef:
    e = URIRef(ent.iri)
    g.add((e, RDF.type, _CLASS[ent.type]))
    g.add((e, RDFS.label, Literal(ent.label)))
    for n in names:
        if n != ent.label:
            g.add((e, SKOS.altLabel, Literal(n)))
    g.add((e, DG.mentionedIn, a))
    return e


def _decimal(x: float) -> Literal:
    return Literal(Decimal(str(round(x, 3))).normalize() if x < 1e6 else Decimal(int(x)), datatype=XSD.decimal)


def _add_fact(g: Graph, fact: Fact, s: URIRef, o: URIRef, a: URIRef, article: Article) -> URIRef:
    """The fact node, and the plain triple (the shortcut) unless the role is over:
    a past role is only a fact node, marked ``dg:former true`` (and ``dg:endDate``)."""
    p = relation_property(fact.relation)
    former = fact.former
    if not former:
        g.add((s, p, o))
    f = _hash_iri("fact", article.id, s, p, o)
    g.add((f, RDF.type, DG.Fact))
    g.add((f, RDF.type, RDF.Statement))
    g.add((f, RDF.subject, s))
    g.add((f, RDF.predicate, p))
    g.add((f, RDF.object, o))
    g.add((f, DG.evidence, Literal(fact.evidence)))
    g.add((f, DG.confidence, _decimal(fact.confidence)))
    g.add((f, DG.statedIn, a))
    if (d := date_literal(fact.date)) is not None:
        g.add((f, DG.date, d))
    if fact.title:
        g.add((f, DG.title, Literal(fact.title)))
    if former:
        g.add((f, DG.former, Literal(True)))
        if (end := date_literal(fact.end)) is not None:
            g.add((f, DG.endDate, end))
    return f


_ROLES = {"acquired": (DG.acquirer, DG.target), "invested_in": (DG.investor, DG.investee)}


def _add_deal(
    g: Graph, fact: Fact, s: URIRef, o: URIRef, f: URIRef, a: URIRef, labels: tuple[str, str], article: Article
) -> None:
    parties = sorted((s, o)) if fact.relation == "deal_with" else [s, o]
    deal = _hash_iri("deal", article.id, fact.relation, *parties)
    deal_type = fact.deal_type or "Agreement"
    g.add((deal, RDF.type, DG.Deal))
    g.add((deal, RDF.type, DG[deal_type]))
    g.add((deal, RDFS.label, Literal(f"{labels[0]} and {labels[1]}: {deal_type.lower()}")))
    for party in parties:
        g.add((deal, DG.party, party))
    if fact.relation in _ROLES:
        g.add((deal, _ROLES[fact.relation][0], s))
        g.add((deal, _ROLES[fact.relation][1], o))
    if fact.status:
        g.add((deal, DG.status, Literal(fact.status)))
    if (d := date_literal(fact.date)) is not None:
        g.add((deal, DG.date, d))
    if fact.value is not None:
        g.add((deal, DG.value, _decimal(fact.value)))
        g.add((deal, DG.currency, Literal(fact.currency or "USD")))
    g.add((deal, DG.evidence, Literal(fact.evidence)))
    g.add((deal, DG.confidence, _decimal(fact.confidence)))
    g.add((deal, DG.statedIn, a))
    g.add((f, DG.aboutDeal, deal))


def article_graph(article: Article, facts: list[Fact], resolver: Resolver) -> Graph:
    """The named graph of one article: its metadata, entities, facts and deals."""
    g = Graph(identifier=graph_iri(article))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    a = _describe_article(g, article)
    for fact in facts:
        se = resolver.resolve(fact.subject, fact.subject_type, fact.aliases.get("subject", []))
        oe = resolver.resolve(fact.object, fact.object_type, fact.aliases.get("object", []))
        if se.iri == oe.iri:
            continue
        s = _describe_entity(g, se, a, [fact.subject, *fact.aliases.get("subject", [])])
        o = _describe_entity(g, oe, a, [fact.object, *fact.aliases.get("object", [])])
        f = _add_fact(g, fact, s, o, a, article)
        if fact.relation in ("acquired", "invested_in", "deal_with"):
            _add_deal(g, fact, s, o, f, a, (se.label, oe.label), article)
    return g


def to_dataset(graphs: Iterable[Graph]) -> Dataset:
    """Gather article graphs into one rdflib Dataset (for export or small uses)."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for g in graphs:
        target = ds.graph(g.identifier)
        for t in g:
            target.add(t)
    return ds
