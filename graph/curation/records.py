"""Curation records: writing them, reading them back, and the names they use.

Each record is a ``dg:Curation`` in :data:`CURATION_GRAPH` with who (``prov:wasAttributedTo``)
and when (``prov:generatedAtTime``); see :mod:`graph.curation`.

>>> Record("https://w3id.org/dealgraph/id/curation/m-0a1b2c3d4e5f", "Merge").id
'm-0a1b2c3d4e5f'
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from graph.errors import DealGraphError
from graph.ns import CURATED_GRAPH, DG, ID, relation_from_property

CURATION_GRAPH = str(ID["curation"])
KNOWN_TYPES = ("Organization", "Person", "Product", "Place", "NotEntity")
_KINDS = ("Merge", "AliasAddition", "Retraction", "ArticleRemoval", "KnownName")
_ENTITY_TYPES = "dg:Person dg:Organization dg:Product"
# a remote store's curated copy of the union is one of its named graphs: never an article graph
_NOT_CURATED = f"FILTER(?g != <{CURATED_GRAPH}>)"


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
        return {
            "id": self.id,
            "kind": self.kind,
            "by": self.by,
            "at": self.at,
            "undone_at": self.undone_at,
            "undone_by": self.undone_by,
            "note": self.note,
            **{k: sorted(v) for k, v in sorted(self.values.items())},
        }

    def describe(self, names: dict[str, str] | None = None) -> str:
        """One line for people: what the record says, with labels for IRIs."""
        names = names or {}

        def n(iri: str | None) -> str:
            return names.get(iri or "", _short(iri or ""))

        v = self.values
        if self.kind == "Merge":
            return f"merge {n(self.first('canonical'))} <- " + ", ".join(
                sorted(n(x) for x in v.get("mergedEntity", []))
            )
        if self.kind == "AliasAddition":
            return f"alias {n(self.first('aboutEntity'))} = {self.first('aliasName')!r}"
        if self.kind == "Retraction":
            if self.first("retractedFact"):
                return f"retract fact {_short(self.first('retractedFact'))}"
            rel = relation_from_property(self.first("retractedPredicate") or "") or _short(
                self.first("retractedPredicate") or ""
            )
            return f"retract {n(self.first('retractedSubject'))} {rel} {n(self.first('retractedObject'))}"
        if self.kind == "ArticleRemoval":
            return f"remove article {self.first('removedSource') or _short(self.first('removedArticle') or '')}"
        if self.kind == "KnownName":
            return f"known name {self.first('knownName')!r} is {self.first('knownType')}"
        return self.kind


def _short(iri: str) -> str:
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")  # orders records


def _when(at: str) -> datetime:
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


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
    body = [
        f"{_iri(iri)} a dg:{kind}, dg:Curation ; prov:wasAttributedTo {_iri(agent)} ; "
        f"prov:generatedAtTime {_lit(at)}^^xsd:dateTime"
    ]
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


_RECORDS = (
    """
SELECT ?r ?kind ?p ?o ?by ?at ?undoneAt ?undoneBy ?note WHERE {
  GRAPH <%s> {
    ?r a dg:Curation ; a ?kind ; ?p ?o .
    FILTER(?kind != dg:Curation)
    OPTIONAL { ?r prov:wasAttributedTo/rdfs:label ?by } OPTIONAL { ?r prov:generatedAtTime ?at }
    OPTIONAL { ?r prov:invalidatedAtTime ?undoneAt } OPTIONAL { ?r dg:undoneBy/rdfs:label ?undoneBy }
    OPTIONAL { ?r rdfs:comment ?note }
  }
}
"""
    % CURATION_GRAPH
)


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
            vals = r.values.setdefault(p[len(str(DG)) :], [])
            if row["o"].value not in vals:
                vals.append(row["o"].value)
    out = sorted(found.values(), key=lambda r: (_when(r.at), r.iri))
    return [r for r in out if r.active] if active_only else out


def _mark_undone(store, hits: list[Record], by: str | None) -> None:
    if not hits:
        return
    who = _curator(by)
    agent = _agent_iri(who)
    at = _now()
    triples = "".join(
        f"{_iri(r.iri)} prov:invalidatedAtTime {_lit(at)}^^xsd:dateTime ; dg:undoneBy {_iri(agent)} . " for r in hits
    )
    store.update(
        f"INSERT DATA {{ GRAPH {_iri(CURATION_GRAPH)} {{ {triples}{_iri(agent)} a prov:Agent ; "
        f"rdfs:label {_lit(who)} . }} }}"
    )
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
        rows = list(
            store.query(
                f"SELECT ?t ?l WHERE {{ GRAPH ?g {{ {_iri(name)} a ?t ; rdfs:label ?l }} {_NOT_CURATED} "
                f"VALUES ?t {{ {_ENTITY_TYPES} }} }} LIMIT 1"
            )
        )
        if not rows:
            raise CurationError(f"no entity {name} in the store")
        return name, rows[0]["l"].value, rows[0]["t"].value.rsplit("#", 1)[1]
    query = (
        "SELECT DISTINCT ?e ?t ?l ?how WHERE { GRAPH ?g { ?e a ?t ; rdfs:label ?l . "
        "{ ?e rdfs:label ?n BIND(0 AS ?how) } UNION { ?e skos:altLabel ?n BIND(1 AS ?how) } %s } "
        f"{_NOT_CURATED} VALUES ?t {{ {_ENTITY_TYPES} }} }}"
    )
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
    ((iri, (label, type_)),) = hits.items()
    return iri, label, type_


def _close_names(store, name: str) -> list[str]:
    import difflib

    labels = [
        r["l"].value
        for r in store.query(
            f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?e a ?t ; rdfs:label ?l }} {_NOT_CURATED} VALUES ?t {{ {_ENTITY_TYPES} }} }}"
        )
    ]
    return difflib.get_close_matches(name, labels, n=3, cutoff=0.6)


def _labels(store, iris: Iterable[str]) -> dict[str, str]:
    iris = sorted(set(iris))
    if not iris:
        return {}
    rows = store.query(
        "SELECT ?e ?l WHERE { VALUES ?e { "
        + " ".join(_iri(i) for i in iris)
        + " } GRAPH ?g { ?e rdfs:label ?l } "
        + _NOT_CURATED
        + " }"
    )
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r["e"].value, r["l"].value)
    return out


def names_of(store, recs: list[Record]) -> dict[str, str]:
    """Labels of the entities the records name, by IRI (for :meth:`Record.describe`)."""
    return _labels(store, [v for r in recs for vs in r.values.values() for v in vs if v.startswith(str(ID))])
