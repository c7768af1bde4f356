"""Curation: corrections to the graph, kept as data beside it.

The extracted article graphs are never edited. What a person corrects is
written as records in one named graph of its own, :data:`CURATION_GRAPH`
(``https://w3id.org/dealgraph/id/curation``), each record a ``dg:Curation``
with who made it (``prov:wasAttributedTo`` a ``prov:Agent``) and when
(``prov:generatedAtTime``); an undone record stays, with
``prov:invalidatedAtTime`` and ``dg:undoneBy``:

=====================  ============================================================
record                 says
=====================  ============================================================
``dg:Merge``           ``dg:canonical`` E and ``dg:mergedEntity`` A, B...: one entity
                       from now on, E; the others' names become E's aliases
``dg:AliasAddition``   ``dg:aboutEntity`` E is also called ``dg:aliasName`` N (and an
                       entity of E's type labelled N is folded into E)
``dg:Retraction``      a fact is wrong: ``dg:retractedFact`` F (one fact node), or
                       ``dg:retractedSubject`` / ``dg:retractedPredicate`` /
                       ``dg:retractedObject`` (every article's fact of that triple)
``dg:ArticleRemoval``  ``dg:removedArticle``: its graph was dropped, and builds skip it
``dg:KnownName``       ``dg:knownName`` N has ``dg:knownType`` T: a user gazetteer
                       entry the extractor reads on the next build
=====================  ============================================================

Where the corrections take effect (:func:`apply`, :func:`curate_networkx`):

- An embedded store keeps its default graph as the union of the article graphs
  (``graph.store``); :func:`apply` rewrites that union with the corrections
  (merged entities' triples moved to the one entity, rdfs:label of the others
  becoming skos:altLabel, ``A owl:sameAs E``; retracted facts, their deals and
  their shortcut triples taken out). Every SPARQL question (``dealgraph
  query``, saved questions, the server), the projection to networkx and what
  sits on it (``analyze``, ``view``, ``info``, networkx exports) read it. It runs
  after each curation command and at the end of each build, so a rebuild or
  ``build --force`` keeps the corrections.
- :func:`graph.network.to_networkx` also applies them to the projected graph
  (:func:`curate_networkx`): a no-op on an embedded store, and the place they
  take effect for a remote store, whose union the endpoint computes itself.

RDF exports in one graph (Turtle, N-Triples) carry the corrected union; those
with the graphs (TriG, N-Quads, JSON-LD) carry the article graphs as extracted
plus the curation graph, so whoever loads them gets both. :func:`export_curation` and
:func:`import_curation` move the curation alone, as a small Turtle file.

>>> from graph.store import open_store
>>> s = open_store("memory")
>>> _ = s.update('INSERT DATA { GRAPH <urn:g> { id:org\\\\/a a dg:Organization ; rdfs:label "Acme" . '
...              'id:org\\\\/b a dg:Organization ; rdfs:label "Acme Corp" ; dg:acquired id:org\\\\/c . '
...              'id:org\\\\/c a dg:Organization ; rdfs:label "Widget" } }')
>>> merge(s, ["Acme", "Acme Corp"], by="ann").kind
'Merge'
>>> [r["x"].value for r in s.query("SELECT ?x WHERE { ?x dg:acquired ?y }")]
['https://w3id.org/dealgraph/id/org/a']
>>> [r.kind for r in records(s)]
['Merge']
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from graph.errors import DealGraphError
from graph.ns import DG, ID, RELATIONS, relation_from_property, relation_property

__all__ = [
    "CURATION_GRAPH", "KNOWN_TYPES", "CurationError", "Record", "Curation", "merge", "alias", "retract",
    "remove_article", "add_known_names", "read_known_names", "known_names", "records", "state", "apply",
    "curate_networkx", "export_curation", "import_curation", "undo", "resolve_entity", "before_build",
    "after_build", "curated_triples", "names_of",
]

CURATION_GRAPH = str(ID["curation"])
_STATE = CURATION_GRAPH  # the graph's own node carries the build bookkeeping (dg:knownNamesApplied)
KNOWN_TYPES = ("Organization", "Person", "Product", "Place", "NotEntity")
_KINDS = ("Merge", "AliasAddition", "Retraction", "ArticleRemoval", "KnownName")
_ENTITY_TYPES = "dg:Person dg:Organization dg:Product"


class CurationError(DealGraphError):
    """A curation command that cannot be done as asked (an unknown name, an ambiguous one ...)."""


# ----------------------------------------------------------------- records


@dataclass
class Record:
    """One curation record as stored: ``kind`` is a class name (``Merge``, ``Retraction`` ...)."""

    iri: str
    kind: str
    by: str = ""
    at: str = ""
    undone_at: str | None = None
    undone_by: str | None = None
    note: str | None = None
    values: dict[str, list[str]] = field(default_factory=dict)  # property local name -> values

    @property
    def id(self) -> str:
        """The short id the CLI shows and accepts (the last part of the IRI)."""
        return self.iri.rsplit("/", 1)[-1]

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def first(self, prop: str) -> str | None:
        vals = self.values.get(prop)
        return vals[0] if vals else None

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "by": self.by, "at": self.at, "undone_at": self.undone_at,
                "undone_by": self.undone_by, "note": self.note, **{k: sorted(v) for k, v in sorted(self.values.items())}}

    def describe(self, names: dict[str, str] | None = None) -> str:
        """One line for people: what the record says, with labels for IRIs."""
        names = names or {}

        def n(iri: str | None) -> str:
            return names.get(iri or "", _short(iri or ""))

        v = self.values
        if self.kind == "Merge":
            return f"merge {n(self.first('canonical'))} <- " + ", ".join(sorted(n(x) for x in v.get("mergedEntity", [])))
        if self.kind == "AliasAddition":
            return f"alias {n(self.first('aboutEntity'))} = {self.first('aliasName')!r}"
        if self.kind == "Retraction":
            if self.first("retractedFact"):
                return f"retract fact {_short(self.first('retractedFact'))}"
            rel = relation_from_property(self.first("retractedPredicate") or "") or _short(self.first("retractedPredicate") or "")
            return f"retract {n(self.first('retractedSubject'))} {rel} {n(self.first('retractedObject'))}"
        if self.kind == "ArticleRemoval":
            return f"remove article {self.first('removedSource') or _short(self.first('removedArticle') or '')}"
        if self.kind == "KnownName":
            return f"known name {self.first('knownName')!r} is {self.first('knownType')}"
        return self.kind


def _short(iri: str) -> str:
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")  # orders records


def _when(at: str) -> datetime:
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)


def _curator(by: str | None) -> str:
    if by:
        return by
    try:
        return os.environ.get("DEALGRAPH_CURATOR") or getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "unknown"


def _agent_iri(by: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", by.lower()).strip("-") or hashlib.sha1(by.encode()).hexdigest()[:8]
    return str(ID[f"agent/{slug}"])


def _lit(value: str) -> str:
    return str(ox.Literal(value))


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def _write_record(store, kind: str, props: list[tuple[str, str]], by: str | None, note: str | None = None) -> Record:
    """Insert one record (``props``: (predicate CURIE, term in SPARQL syntax)) into the curation graph."""
    who = _curator(by)
    at = _now()
    iri = str(ID[f"curation/{kind[0].lower()}-{uuid.uuid4().hex[:12]}"])
    agent = _agent_iri(who)
    body = [f"{_iri(iri)} a dg:{kind}, dg:Curation ; prov:wasAttributedTo {_iri(agent)} ; "
            f"prov:generatedAtTime {_lit(at)}^^xsd:dateTime"]
    body += [f" ; {p} {o}" for p, o in props]
    if note:
        body.append(f" ; rdfs:comment {_lit(note)}")
    body.append(f" .\n{_iri(agent)} a prov:Agent ; rdfs:label {_lit(who)} .")
    store.update(f"INSERT DATA {{ GRAPH {_iri(CURATION_GRAPH)} {{ {''.join(body)} }} }}")
    values: dict[str, list[str]] = {}
    for p, o in props:
        values.setdefault(p.split(":", 1)[1], []).append(_unquote(o))
    return Record(iri, kind, who, at, note=note, values=values)


def _unquote(term: str) -> str:
    if term.startswith("<"):
        return term[1:-1]
    if term.startswith('"'):
        return json.loads(term.split('"^^')[0] + '"' if '"^^' in term else term)
    return term


_RECORDS = """
SELECT ?r ?kind ?p ?o ?by ?at ?undoneAt ?undoneBy ?note WHERE {
  GRAPH <%s> {
    ?r a dg:Curation ; a ?kind ; ?p ?o .
    FILTER(?kind != dg:Curation)
    OPTIONAL { ?r prov:wasAttributedTo/rdfs:label ?by } OPTIONAL { ?r prov:generatedAtTime ?at }
    OPTIONAL { ?r prov:invalidatedAtTime ?undoneAt } OPTIONAL { ?r dg:undoneBy/rdfs:label ?undoneBy }
    OPTIONAL { ?r rdfs:comment ?note }
  }
}
""" % CURATION_GRAPH


def records(store, *, active_only: bool = False) -> list[Record]:
    """Every curation record in the store, oldest first (``active_only``: not undone)."""
    found: dict[str, Record] = {}
    for row in store.query(_RECORDS):
        kind = row["kind"].value.rsplit("#", 1)[-1]
        if kind not in _KINDS:
            continue
        r = found.setdefault(row["r"].value, Record(row["r"].value, kind))
        r.by = row["by"].value if row["by"] is not None else r.by
        r.at = row["at"].value if row["at"] is not None else r.at
        if row["undoneAt"] is not None:
            r.undone_at = row["undoneAt"].value
        if row["undoneBy"] is not None:
            r.undone_by = row["undoneBy"].value
        if row["note"] is not None:
            r.note = row["note"].value
        p = row["p"].value
        if p.startswith(str(DG)) and p != str(DG.undoneBy):
            vals = r.values.setdefault(p[len(str(DG)):], [])
            if row["o"].value not in vals:
                vals.append(row["o"].value)
    out = sorted(found.values(), key=lambda r: (_when(r.at), r.iri))
    return [r for r in out if r.active] if active_only else out


def undo(store, record_ids: Iterable[str], *, by: str | None = None) -> list[Record]:
    """Mark records undone (they stay, with when and by whom), then :func:`apply` again."""
    wanted = set(record_ids)
    hits = [r for r in records(store, active_only=True) if r.id in wanted or r.iri in wanted]
    missing = wanted - {r.id for r in hits} - {r.iri for r in hits}
    if missing:
        raise CurationError(f"no active curation record {', '.join(sorted(missing))}; `dealgraph curation` lists them")
    _mark_undone(store, hits, by)
    apply(store)
    return hits


def _mark_undone(store, hits: list[Record], by: str | None) -> None:
    if not hits:
        return
    who = _curator(by)
    agent = _agent_iri(who)
    at = _now()
    triples = "".join(f"{_iri(r.iri)} prov:invalidatedAtTime {_lit(at)}^^xsd:dateTime ; dg:undoneBy {_iri(agent)} . "
                      for r in hits)
    store.update(f"INSERT DATA {{ GRAPH {_iri(CURATION_GRAPH)} {{ {triples}{_iri(agent)} a prov:Agent ; "
                 f"rdfs:label {_lit(who)} . }} }}")
    for r in hits:
        r.undone_at, r.undone_by = at, who


# ----------------------------------------------------------------- names


def resolve_entity(store, name: str) -> tuple[str, str, str]:
    """``(iri, label, type)`` of the entity called ``name`` in the article graphs.

    An IRI is taken as it is; otherwise a label matches before an alias, an exact
    spelling before another case. Raises :class:`CurationError` when nothing or
    more than one entity matches.
    """
    if re.match(r"https?://", name):
        rows = list(store.query(f"SELECT ?t ?l WHERE {{ GRAPH ?g {{ {_iri(name)} a ?t ; rdfs:label ?l }} "
                                f"VALUES ?t {{ {_ENTITY_TYPES} }} }} LIMIT 1"))
        if not rows:
            raise CurationError(f"no entity {name} in the store")
        return name, rows[0]["l"].value, rows[0]["t"].value.rsplit("#", 1)[1]
    query = ("SELECT DISTINCT ?e ?t ?l ?how WHERE { GRAPH ?g { ?e a ?t ; rdfs:label ?l . "
             "{ ?e rdfs:label ?n BIND(0 AS ?how) } UNION { ?e skos:altLabel ?n BIND(1 AS ?how) } %s } "
             f"VALUES ?t {{ {_ENTITY_TYPES} }} }}")
    rows = list(store.query(query % f"FILTER(?n = {_lit(name)})"))
    if not rows:
        rows = list(store.query(query % f"FILTER(LCASE(STR(?n)) = {_lit(name.lower())})"))
    if not rows:
        close = _close_names(store, name)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise CurationError(f"no entity named {name!r} in the store{hint}")
    best = min(int(r["how"].value) for r in rows)
    hits = {r["e"].value: (r["l"].value, r["t"].value.rsplit("#", 1)[1]) for r in rows if int(r["how"].value) == best}
    if len(hits) > 1:
        listed = ", ".join(f"{iri} ({label}, {type_})" for iri, (label, type_) in sorted(hits.items()))
        raise CurationError(f"{name!r} names {len(hits)} entities: {listed}; give the IRI instead")
    (iri, (label, type_)), = hits.items()
    return iri, label, type_


def _close_names(store, name: str) -> list[str]:
    import difflib

    labels = [r["l"].value for r in store.query(
        f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?e a ?t ; rdfs:label ?l }} VALUES ?t {{ {_ENTITY_TYPES} }} }}")]
    return difflib.get_close_matches(name, labels, n=3, cutoff=0.6)


def _labels(store, iris: Iterable[str]) -> dict[str, str]:
    iris = sorted(set(iris))
    if not iris:
        return {}
    rows = store.query("SELECT ?e ?l WHERE { VALUES ?e { " + " ".join(_iri(i) for i in iris) + " } GRAPH ?g { ?e rdfs:label ?l } }")
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r["e"].value, r["l"].value)
    return out


def names_of(store, recs: list[Record]) -> dict[str, str]:
    """Labels of the entities the records name, by IRI (for :meth:`Record.describe`)."""
    return _labels(store, [v for r in recs for vs in r.values.values() for v in vs if v.startswith(str(ID))])


# ----------------------------------------------------------------- commands


def merge(store, names: list[str], *, by: str | None = None, note: str | None = None, undo: bool = False):
    """Make ``names`` one entity, the first one (the others' names become its aliases).

    With ``undo=True``, the active merges among these entities are undone
    instead (a list of the undone records is returned). Raises
    :class:`CurationError` for fewer than two entities, an unknown or ambiguous
    name, or entities of different types.
    """
    if len(names) < 2:
        raise CurationError("give at least two names to merge (the first one is kept)")
    found = [resolve_entity(store, n) for n in names]
    iris = list(dict.fromkeys(iri for iri, _, _ in found))
    if undo:
        hits = [r for r in records(store, active_only=True) if r.kind == "Merge"
                and len(set(iris) & {r.first("canonical"), *r.values.get("mergedEntity", [])}) >= min(2, len(iris))]
        if not hits:
            raise CurationError(f"no active merge of {', '.join(repr(n) for n in names)}")
        _mark_undone(store, hits, by)
        apply(store)
        return hits
    if len(iris) < 2:
        raise CurationError(f"{', '.join(repr(n) for n in names)} already name one entity ({iris[0]})")
    types = {t for _, _, t in found}
    if len(types) > 1:
        listed = ", ".join(f"{label} ({t})" for _, label, t in found)
        raise CurationError(f"cannot merge entities of different types: {listed}")
    props = [("dg:canonical", _iri(iris[0]))] + [("dg:mergedEntity", _iri(i)) for i in iris[1:]]
    record = _write_record(store, "Merge", props, by, note)
    apply(store)
    return record


def alias(store, name: str, alias_name: str, *, by: str | None = None, note: str | None = None) -> Record:
    """Give the entity ``name`` the alias ``alias_name``; an entity of its type so labelled is folded into it."""
    iri, label, _ = resolve_entity(store, name)
    if not alias_name.strip():
        raise CurationError("the alias is empty")
    record = _write_record(store, "AliasAddition", [("dg:aboutEntity", _iri(iri)), ("dg:aliasName", _lit(alias_name.strip()))], by, note)
    apply(store)
    return record


def _fact_iri(fact: str) -> str:
    fact = fact.strip()
    if re.match(r"https?://", fact):
        return fact
    return str(ID[fact if fact.startswith("fact/") else f"fact/{fact}"])


def retract(store, *, fact: str | None = None, subject: str | None = None, relation: str | None = None,
            object: str | None = None, by: str | None = None, note: str | None = None, undo: bool = False):
    """Retract a fact: one fact node by id (``fact``), or a triple by names (every article stating it).

    The fact stays in its article graph; the curated graph leaves it out (see
    the module docstring). ``relation`` is a relation name (``ceo_of``) or a
    property (``ceoOf``). With ``undo=True`` the matching active retractions are
    undone (a list of them is returned).
    """
    if fact:
        f = _fact_iri(fact)
        if not bool(store.query(f"ASK {{ GRAPH ?g {{ {_iri(f)} a dg:Fact }} }}")):
            raise CurationError(f"no fact {_short(f)} in the store")
        props = [("dg:retractedFact", _iri(f))]
    else:
        if not (subject and relation and object):
            raise CurationError("give a fact id (--id), or SUBJECT RELATION OBJECT")
        s = resolve_entity(store, subject)[0]
        o = resolve_entity(store, object)[0]
        p = _property(relation)
        props = [("dg:retractedSubject", _iri(s)), ("dg:retractedPredicate", _iri(p)), ("dg:retractedObject", _iri(o))]
        if not undo:
            st = state(store)
            cs, co = st.canonical(s), st.canonical(o)
            if not any((st.canonical(fs), fp, st.canonical(fo)) in ((cs, p, co), (co, p, cs) if p == str(DG.dealWith) else (cs, p, co))
                       for fs, fp, fo in _facts_about(store, st, [s, o])):
                raise CurationError(f"no fact {subject} {relation} {object} in the store")
    if undo:
        wanted = {k: v for k, v in ((p.split(':')[1], _unquote(o)) for p, o in props)}
        hits = [r for r in records(store, active_only=True) if r.kind == "Retraction"
                and all(r.first(k) == v for k, v in wanted.items())]
        if not hits:
            raise CurationError("no active retraction of that fact")
        _mark_undone(store, hits, by)
        apply(store)
        return hits
    record = _write_record(store, "Retraction", props, by, note)
    apply(store)
    return record


def _property(relation: str) -> str:
    if relation in RELATIONS:
        return str(relation_property(relation))
    local = relation.removeprefix("dg:")
    if relation_from_property(str(DG[local])):
        return str(DG[local])
    if relation.startswith(str(DG)) and relation_from_property(relation):
        return relation
    raise CurationError(f"unknown relation {relation!r}; expected one of {', '.join(RELATIONS)}")


def _facts_about(store, st: "Curation", iris: list[str]) -> list[tuple[str, str, str]]:
    ents = set()
    for i in iris:
        ents |= st.members(st.canonical(i))
    rows = store.query(_FACT_ROWS % {"x": " ".join(_iri(e) for e in sorted(ents))})
    return [(r["s"].value, r["p"].value, r["o"].value) for r in rows]


def _article_of(store, article: str) -> tuple[str, str | None]:
    """``(article IRI, source path)`` of a stored article named by file, IRI, id, source path or title."""
    candidates: list[str] = []
    path = Path(article)
    if path.exists():
        from graph.rdf import article_iri
        from graph.sources import Article, iter_articles

        candidates = [str(article_iri(a)) for a in iter_articles([path]) if isinstance(a, Article)]
    if re.match(r"https?://", article):
        candidates.append(article)
    candidates.append(str(ID[f"article/{article}"]))
    rows = store.query("SELECT ?a ?src WHERE { GRAPH ?g { ?a a dg:Article OPTIONAL { ?a dg:sourcePath ?src } "
                       "OPTIONAL { ?a schema:headline ?t } OPTIONAL { ?a schema:url ?u } "
                       f"FILTER(?a IN ({', '.join(_iri(c) for c in candidates)}) || ?src = {_lit(article)} "
                       f"|| ?t = {_lit(article)} || ?u = {_lit(article)}) }} }}")
    hits = {r["a"].value: (r["src"].value if r["src"] is not None else None) for r in rows}
    if not hits:
        raise CurationError(f"no stored article {article!r} (give its file, source path, id, IRI or title)")
    if len(hits) > 1:
        raise CurationError(f"{article!r} names {len(hits)} articles: {', '.join(sorted(hits))}")
    return next(iter(hits.items()))


def remove_article(store, article: str, *, by: str | None = None, note: str | None = None, undo: bool = False):
    """Drop an article's named graph (and so what only it stated); later builds skip it.

    With ``undo=True`` the removal is undone: the next build reads the article again.
    """
    if undo:
        hits = [r for r in records(store, active_only=True) if r.kind == "ArticleRemoval"
                and (article in (r.first("removedSource"), r.first("removedArticle"))
                     or r.first("removedArticle") == str(ID[f"article/{article}"])
                     or (Path(article).exists() and r.first("removedArticle") in _file_articles(article)))]
        if not hits:
            raise CurationError(f"no active removal of {article!r}")
        _mark_undone(store, hits, by)
        return hits
    a, src = _article_of(store, article)
    props = [("dg:removedArticle", _iri(a))] + ([("dg:removedSource", _lit(src))] if src else [])
    graph_iri = str(ID["graph/" + a[len(str(ID["article/"])):]])
    record = _write_record(store, "ArticleRemoval", props, by, note)
    store.remove_graph(graph_iri)
    store.flush()
    apply(store)
    return record


def _file_articles(path: str) -> set[str]:
    from graph.rdf import article_iri
    from graph.sources import Article, iter_articles

    return {str(article_iri(a)) for a in iter_articles([Path(path)]) if isinstance(a, Article)}


def read_known_names(path: str | Path) -> dict[str, str]:
    """Read a user gazetteer: ``{name: type}``.

    JSON in the shape of ``graph/resources/gazetteer.json`` (``{"Organization":
    ["Activision Blizzard"], ...}``), or text lines ``NAME<TAB>TYPE`` /
    ``NAME,TYPE`` (``#`` lines and a ``name,type`` header skipped). Types:
    :data:`KNOWN_TYPES`. Raises :class:`CurationError` naming the line of a bad entry.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "names.csv"
    >>> _ = p.write_text("name,type\\nActivision Blizzard,Organization\\n")
    >>> read_known_names(p)
    {'Activision Blizzard': 'Organization'}
    """
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeError) as e:
        raise CurationError(f"cannot read {path}: {e}") from None
    out: dict[str, str] = {}

    def add(name: str, type_: str, where: str) -> None:
        name, type_ = name.strip(), type_.strip()
        match = {t.lower(): t for t in KNOWN_TYPES}.get(type_.lower())
        if not name or match is None:
            raise CurationError(f"{path}{where}: expected a name and one of {', '.join(KNOWN_TYPES)}, got {type_!r}")
        out[name] = match

    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as e:
            raise CurationError(f"{path} is not valid JSON: {e}") from None
        for type_, names in data.items():
            if type_.startswith("_"):
                continue
            if not isinstance(names, list):
                raise CurationError(f"{path}: {type_!r} must list names")
            for n in names:
                add(str(n), type_, f" ({type_})")
        return out
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.rsplit(",", 1)
        if len(parts) != 2:
            raise CurationError(f"{path}:{i}: expected NAME,TYPE or NAME<TAB>TYPE")
        if i == 1 and [p.strip().lower() for p in parts] == ["name", "type"]:
            continue
        add(parts[0], parts[1], f":{i}")
    return out


def add_known_names(store, names: dict[str, str], *, by: str | None = None, note: str | None = None) -> list[Record]:
    """Record user gazetteer entries (``{name: type}``); the next build re-extracts with them."""
    current = {n: t for t, ns in known_names(store).items() for n in ns}
    new = {n: t for n, t in names.items() if current.get(n) != t}
    if not new:
        return []
    old = [r for r in records(store, active_only=True) if r.kind == "KnownName" and r.first("knownName") in new]
    _mark_undone(store, old, by)  # an entry given again with another type replaces the old one
    out = []
    for n, t in new.items():
        out.append(_write_record(store, "KnownName", [("dg:knownName", _lit(n)), ("dg:knownType", _lit(t))], by, note))
    return out


def known_names(store) -> dict[str, set[str]]:
    """The user gazetteer in the store, by type (the shape ``graph.extract`` reads)."""
    out: dict[str, set[str]] = {}
    for r in records(store, active_only=True):
        if r.kind == "KnownName" and r.first("knownName") and r.first("knownType"):
            out.setdefault(r.first("knownType"), set()).add(r.first("knownName"))
    return out


# ----------------------------------------------------------------- the state


@dataclass
class Curation:
    """The active corrections, resolved: what :func:`apply` and :func:`curate_networkx` do."""

    merged: dict[str, str] = field(default_factory=dict)  # entity -> the entity it is now part of
    aliases: dict[str, set[str]] = field(default_factory=dict)  # entity -> extra names
    retracted: dict[str, tuple[str, str, str, str, str | None]] = field(default_factory=dict)
    # fact -> (subject, predicate, object, article, deal) as stated, entities not yet canonical
    removed: set[str] = field(default_factory=set)  # article IRIs
    touched: set[str] = field(default_factory=set)  # every node a record (active or undone) may have changed

    def canonical(self, iri: str) -> str:
        seen = set()
        while iri in self.merged and iri not in seen:
            seen.add(iri)
            iri = self.merged[iri]
        return iri

    def members(self, iri: str) -> set[str]:
        """``iri`` and every entity merged into it."""
        return {iri} | {a for a in self.merged if self.canonical(a) == iri}

    @property
    def empty(self) -> bool:
        return not (self.merged or self.aliases or self.retracted)


def state(store, recs: list[Record] | None = None) -> Curation:
    """Resolve the records in the store against its article graphs."""
    recs = records(store) if recs is None else recs
    st = Curation()
    if not recs:
        return st
    folds: list[tuple[str, str, bool]] = []  # (entity, alias name, active): entities so labelled fold into it
    for r in recs:
        if r.kind == "Merge":
            ents = [r.first("canonical"), *r.values.get("mergedEntity", [])]
            st.touched.update(e for e in ents if e)
            if r.active and r.first("canonical"):
                for a in r.values.get("mergedEntity", []):
                    if st.canonical(r.first("canonical")) != a:  # never a cycle
                        st.merged[a] = r.first("canonical")
        elif r.kind == "AliasAddition" and r.first("aboutEntity") and r.first("aliasName"):
            st.touched.add(r.first("aboutEntity"))
            folds.append((r.first("aboutEntity"), r.first("aliasName"), r.active))
        elif r.kind == "ArticleRemoval" and r.active and r.first("removedArticle"):
            st.removed.add(r.first("removedArticle"))
    if folds:
        names = {n.lower() for _, n, _ in folds}
        rows = store.query("SELECT DISTINCT ?e ?t ?l WHERE { GRAPH ?g { ?e a ?t ; rdfs:label ?l } "
                           f"VALUES ?t {{ {_ENTITY_TYPES} }} FILTER(LCASE(STR(?l)) IN ({', '.join(_lit(n) for n in sorted(names))})) }}")
        labelled = [(r["e"].value, r["t"].value, r["l"].value.lower()) for r in rows]
        types = _types(store, {e for e, _, _ in folds})
        for e, n, active in folds:
            for other, t, label in labelled:
                if label == n.lower() and other != e and t in types.get(e, ()):
                    st.touched.add(other)
                    if active and st.canonical(e) != other:
                        st.merged.setdefault(other, e)
            if active:
                st.aliases.setdefault(e, set()).add(n)
    _retractions(store, st, recs)
    return st


def _types(store, iris: set[str]) -> dict[str, set[str]]:
    if not iris:
        return {}
    out: dict[str, set[str]] = {}
    for r in store.query("SELECT DISTINCT ?e ?t WHERE { VALUES ?e { " + " ".join(_iri(i) for i in sorted(iris)) +
                         f" }} GRAPH ?g {{ ?e a ?t }} VALUES ?t {{ {_ENTITY_TYPES} }} }}"):
        out.setdefault(r["e"].value, set()).add(r["t"].value)
    return out


# the fact nodes about some entities (or with those IRIs): %(x)s is a list of IRIs
_FACT_ROWS = """SELECT DISTINCT ?f ?s ?p ?o ?a ?d ?former WHERE {
  { VALUES ?x { %(x)s } GRAPH ?h { ?f rdf:subject ?x } } UNION { VALUES ?x { %(x)s } GRAPH ?h { ?f rdf:object ?x } }
  UNION { VALUES ?f { %(x)s } }
  GRAPH ?g { ?f a dg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dg:statedIn ?a .
    OPTIONAL { ?f dg:aboutDeal ?d } OPTIONAL { ?f dg:former ?former } }
}"""


def _retractions(store, st: Curation, recs: list[Record]) -> None:
    """Find the fact nodes each retraction covers, in the article graphs."""
    by_id: dict[str, bool] = {}
    by_triple: list[tuple[str, str, str, bool]] = []
    for r in recs:
        if r.kind != "Retraction":
            continue
        if r.first("retractedFact"):
            by_id[r.first("retractedFact")] = by_id.get(r.first("retractedFact"), False) or r.active
        elif r.first("retractedSubject") and r.first("retractedPredicate") and r.first("retractedObject"):
            by_triple.append((r.first("retractedSubject"), r.first("retractedPredicate"), r.first("retractedObject"), r.active))
    if not by_id and not by_triple:
        return
    keys = set(by_id)
    for s, _, o, _ in by_triple:
        keys |= st.members(st.canonical(s)) | st.members(st.canonical(o))
    rows = list(store.query(_FACT_ROWS % {"x": " ".join(_iri(k) for k in sorted(keys))}))
    facts = {r["f"].value: (r["s"].value, r["p"].value, r["o"].value, r["a"].value,
                            r["d"].value if r["d"] is not None else None) for r in rows}
    wanted: dict[tuple[str, str, str], bool] = {}
    for s, p, o, active in by_triple:
        cs, co = st.canonical(s), st.canonical(o)
        for key in ((cs, p, co), (co, p, cs)) if p == str(DG.dealWith) else ((cs, p, co),):
            wanted[key] = wanted.get(key, False) or active
    for f, (s, p, o, a, d) in facts.items():
        active = by_id.get(f)
        key = (st.canonical(s), p, st.canonical(o))
        if key in wanted:
            active = (active or False) or wanted[key]
        if active is None:
            continue
        st.touched.update(x for x in (f, s, o, d) if x)
        if active:
            st.retracted[f] = (s, p, o, a, d)


# ----------------------------------------------------------------- applying


# the records' own links (dg:mergedEntity A ...) stay as written in the union
_NOT_RECORD = f'FILTER(!STRSTARTS(STR(?s), "{ID["curation/"]}"))'


def _materialized(store) -> bool:
    return getattr(store, "_materialized", False) and hasattr(store, "update_default")


def apply(store, st: Curation | None = None, *, reset_only: bool = False) -> None:
    """Rewrite an embedded store's default graph (the union) with the active corrections.

    Idempotent: every node a record ever touched is first reset to the union of
    the article graphs, then the active records are applied, all in one
    transaction. A remote store has no union of its own to rewrite: there the
    projection applies them (:func:`curate_networkx`). ``reset_only`` stops after
    the reset: a build resolves names against the union as extracted, so that
    the article graphs never depend on the corrections (an undone merge comes
    apart again).
    """
    if not _materialized(store) or store.read_only:
        return
    st = state(store) if st is None else st
    if not st.touched:
        return
    ops = []
    touched = " ".join(_iri(x) for x in sorted(st.touched))
    ops.append(f"DELETE {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {touched} }} ?x ?p ?o }}")
    ops.append(f"DELETE {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {touched} }} ?s ?p ?x }}")
    ops.append(f"INSERT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {touched} }} GRAPH ?g {{ ?x ?p ?o }} }}")
    ops.append(f"INSERT {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {touched} }} GRAPH ?g {{ ?s ?p ?x }} }}")
    if reset_only:
        store.update_default(" ;\n".join(ops))
        return
    pairs = " ".join(f"({_iri(a)} {_iri(st.canonical(a))})" for a in sorted(st.merged))
    if pairs:
        ops.append("DELETE { ?a ?p ?o } INSERT { ?c ?q ?o } WHERE { VALUES (?a ?c) { %s } ?a ?p ?o "
                   "BIND(IF(?p = rdfs:label, skos:altLabel, ?p) AS ?q) }" % pairs)
        ops.append("DELETE { ?s ?p ?a } INSERT { ?s ?p ?c } WHERE { VALUES (?a ?c) { %s } ?s ?p ?a %s }" % (pairs, _NOT_RECORD))
        canon = " ".join(sorted({_iri(st.canonical(a)) for a in st.merged}))
        ops.append(f"DELETE {{ ?c ?p ?c }} WHERE {{ VALUES ?c {{ {canon} }} ?c ?p ?c }}")
        ops.append("INSERT DATA { " + " ".join(f"{_iri(a)} owl:sameAs {_iri(st.canonical(a))} ." for a in sorted(st.merged)) + " }")
    alias_triples = [f"{_iri(st.canonical(e))} skos:altLabel {_lit(n)} ." for e, ns in sorted(st.aliases.items()) for n in sorted(ns)]
    if alias_triples:
        ops.append("INSERT DATA { " + " ".join(alias_triples) + " }")
    ops.extend(_retraction_ops(store, st))
    store.update_default(" ;\n".join(ops))


def _retraction_ops(store, st: Curation) -> list[str]:
    if not st.retracted:
        return []
    ops = []
    nodes = sorted(set(st.retracted) | {d for *_, d in st.retracted.values() if d})
    values = " ".join(_iri(n) for n in nodes)
    ops.append(f"DELETE {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}")
    ops.append(f"DELETE {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {values} }} ?s ?p ?x {_NOT_RECORD} }}")
    gone, orphans = _gone(store, st)
    for s, p, o in sorted(gone):
        ops.append(f"DELETE DATA {{ {_iri(s)} {_iri(p)} {_iri(o)} }}")
    if orphans:
        values = " ".join(_iri(e) for e in sorted(orphans))
        ops.append(f"DELETE {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}")
        ops.append(f"DELETE {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {values} }} ?s ?p ?x {_NOT_RECORD} }}")
    return ops


def _gone(store, st: Curation) -> tuple[set[tuple[str, str, str]], set[str]]:
    """The shortcut triples no fact states any more, and the entities no fact or deal names any more (canonical IRIs)."""
    ends = {st.canonical(x) for s, _, o, _, _ in st.retracted.values() for x in (s, o)}
    members = set().union(*(st.members(e) for e in ends))
    rows = store.query(_FACT_ROWS % {"x": " ".join(_iri(m) for m in sorted(members))})
    alive_triples, alive_ents = set(), set()
    for r in rows:
        if r["f"].value in st.retracted:
            continue
        s, p, o = st.canonical(r["s"].value), r["p"].value, st.canonical(r["o"].value)
        alive_ents |= {s, o}
        if r["former"] is None:
            alive_triples.add((s, p, o))
    deals = {d for *_, d in st.retracted.values() if d}
    for r in store.query("SELECT DISTINCT ?d ?x WHERE { VALUES ?x { " + " ".join(_iri(m) for m in sorted(members)) +
                         " } GRAPH ?g { ?d dg:party ?x } }"):
        if r["d"].value not in deals:
            alive_ents.add(st.canonical(r["x"].value))
    gone = set()
    for s, p, o, _, _ in st.retracted.values():
        key = (st.canonical(s), p, st.canonical(o))
        if key not in alive_triples:
            gone.add(key)
    return gone, ends - alive_ents


def curate_networkx(G, st: Curation) -> None:
    """Apply the corrections to a graph from :func:`graph.network.to_networkx`, in place.

    Merged entities become one node (the canonical one; the others' names join
    its ``aliases``, their edges move to it), aliases are added, and retracted
    facts, their deals and entities left with no fact are dropped. On a graph
    projected from an embedded store (already curated) this changes nothing.
    """
    if st.empty:
        return
    nodes = G.nodes
    for a in sorted(st.merged):
        c = st.canonical(a)
        if a not in G:
            continue
        if c not in G:
            G.add_node(c, **dict(nodes[a]))
        data = nodes[c]
        data["aliases"] = sorted(set(data.get("aliases", [])) | set(nodes[a].get("aliases", [])) | {nodes[a].get("label")}
                                 - {data.get("label"), None})
        data["articles"] = sorted(set(data.get("articles", [])) | set(nodes[a].get("articles", [])))
        for _, v, k, d in list(G.out_edges(a, keys=True, data=True)):
            _move_edge(G, c, c if v == a else v, k, d)
        for u, _, k, d in list(G.in_edges(a, keys=True, data=True)):
            if u != a:
                _move_edge(G, u, c, k, d)
        G.remove_node(a)
    for e, ns in st.aliases.items():
        c = st.canonical(e)
        if c in G:
            nodes[c]["aliases"] = sorted(set(nodes[c].get("aliases", [])) | (set(ns) - {nodes[c].get("label")}))
    ends = set()
    for f, (s, p, o, article, deal) in st.retracted.items():
        s, o = st.canonical(s), st.canonical(o)
        ends |= {s, o}
        relation = relation_from_property(p)
        if deal and deal in G:
            G.remove_node(deal)
        for key in (relation, f"former {relation}"):
            for u, v in ((s, o), (o, s)) if p == str(DG.dealWith) else ((s, o),):
                if G.has_edge(u, v, key):
                    d = G.edges[u, v, key]
                    d["sources"] = [x for x in d.get("sources", []) if x.get("article") != article]
                    if not d["sources"]:
                        G.remove_edge(u, v, key)
                    elif d.get("article") == article:
                        best = max(d["sources"], key=lambda x: x["confidence"])
                        d.update(evidence=best["evidence"], article=best["article"],
                                 article_title=best["article_title"], confidence=best["confidence"])
    for e in ends:
        if e in G and G.degree(e) == 0:
            G.remove_node(e)


def _move_edge(G, u, v, key, data) -> None:
    if u == v:
        return
    if G.has_edge(u, v, key):
        d = G.edges[u, v, key]
        seen = {(x.get("article"), x.get("evidence")) for x in d.get("sources", [])}
        d.setdefault("sources", []).extend(x for x in data.get("sources", []) if (x.get("article"), x.get("evidence")) not in seen)
        return
    G.add_edge(u, v, key=key, **data)


def curated_triples(store) -> list | None:
    """The default graph with the corrections (pyoxigraph Triples), or None when there are none to apply.

    What ``dealgraph export --format ttl|nt`` writes. None on a remote store,
    whose union the endpoint computes as extracted.
    """
    if not _materialized(store) or not records(store):
        return None
    return list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))


# ----------------------------------------------------------------- builds


@dataclass
class BuildPlan:
    """What a build needs from the curation: articles to skip, and whether to re-extract all."""

    removed: set[str]
    rebuild: bool
    digest: str


def _digest(names: dict[str, set[str]]) -> str:
    text = json.dumps({t: sorted(ns) for t, ns in sorted(names.items())}, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def before_build(store) -> BuildPlan:
    """Hand the user gazetteer to the extractor; say what the build must skip or redo.

    When the known names changed since the last build, every article is
    extracted again (their facts may change).
    """
    from graph.extract import set_known_names

    recs = records(store)
    names = known_names_from(recs)
    set_known_names(names)
    digest = _digest(names)
    if not recs:
        return BuildPlan(set(), False, digest)
    apply(store, state(store, recs), reset_only=True)
    rows = list(store.query(f"SELECT ?d WHERE {{ GRAPH {_iri(CURATION_GRAPH)} {{ {_iri(_STATE)} dg:knownNamesApplied ?d }} }}"))
    applied = rows[0]["d"].value if rows else _digest({})
    removed = {r.first("removedArticle") for r in recs if r.kind == "ArticleRemoval" and r.active}
    return BuildPlan(removed, digest != applied, digest)


def known_names_from(recs: list[Record]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in recs:
        if r.kind == "KnownName" and r.active and r.first("knownName") and r.first("knownType"):
            out.setdefault(r.first("knownType"), set()).add(r.first("knownName"))
    return out


def after_build(store, plan: BuildPlan) -> None:
    """Remember which known names the store was built with, and apply the corrections again.

    The extractor gets its own gazetteer back (another store's build, or
    ``dealgraph extract``, must not see this store's names).
    """
    from graph.extract import set_known_names

    set_known_names({})
    if getattr(store, "write_error", None) is not None:
        return  # the embedded store refuses writes now; the build said so
    if plan.rebuild:
        g = _iri(CURATION_GRAPH)
        store.update(f"DELETE WHERE {{ GRAPH {g} {{ {_iri(_STATE)} dg:knownNamesApplied ?d }} }} ;\n"
                     f"INSERT DATA {{ GRAPH {g} {{ {_iri(_STATE)} dg:knownNamesApplied {_lit(plan.digest)} }} }}")
    apply(store)


# ----------------------------------------------------------------- sharing


def export_curation(store) -> str:
    """The curation graph as Turtle: a small file to share (see :func:`import_curation`)."""
    from graph.ns import OUTPUT_PREFIXES

    triples = [t for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(CURATION_GRAPH)} {{ ?s ?p ?o }} }}")]
    prefixes = {**OUTPUT_PREFIXES, "cur": str(ID["curation/"]), "agent": str(ID["agent/"])}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def import_curation(store, text: str) -> int:
    """Add the records of an exported curation file (Turtle) to the store; returns how many are new.

    Records keep their IRIs, so importing the same file twice adds nothing.
    The build bookkeeping of the other store is not imported.
    """
    try:
        triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except SyntaxError as e:
        raise CurationError(f"the curation file is not valid Turtle: {e}") from None
    triples = [t for t in triples if not (t.subject.value == _STATE)]
    if not any(t.predicate.value.endswith("#type") and t.object.value == str(DG.Curation) for t in triples):
        raise CurationError("the file holds no curation records (dg:Curation)")
    before = {r.iri for r in records(store)}
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    store.update(f"INSERT DATA {{ GRAPH {_iri(CURATION_GRAPH)} {{\n{body}\n}} }}")
    apply(store)
    return len({r.iri for r in records(store)} - before)
