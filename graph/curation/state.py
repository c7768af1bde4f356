"""The active corrections, resolved against the article graphs: :class:`Curation`, :func:`state`."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.curation.records import _ENTITY_TYPES, _NOT_CURATED, Record, _iri, _lit, records
from graph.ns import DG

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
        rows = store.query(
            "SELECT DISTINCT ?e ?t ?l WHERE { GRAPH ?g { ?e a ?t ; rdfs:label ?l } " + _NOT_CURATED + " "
            f"VALUES ?t {{ {_ENTITY_TYPES} }} FILTER(LCASE(STR(?l)) IN ({', '.join(_lit(n) for n in sorted(names))})) }}"
        )
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
    for r in store.query(
        "SELECT DISTINCT ?e ?t WHERE { VALUES ?e { "
        + " ".join(_iri(i) for i in sorted(iris))
        + f" }} GRAPH ?g {{ ?e a ?t }} {_NOT_CURATED} VALUES ?t {{ {_ENTITY_TYPES} }} }}"
    ):
        out.setdefault(r["e"].value, set()).add(r["t"].value)
    return out


# the fact nodes about some entities (or with those IRIs): %(x)s is a list of IRIs
_FACT_ROWS = (
    """SELECT DISTINCT ?f ?s ?p ?o ?a ?d ?former WHERE {
  { VALUES ?x { %%(x)s } GRAPH ?h { ?f rdf:subject ?x } } UNION { VALUES ?x { %%(x)s } GRAPH ?h { ?f rdf:object ?x } }
  UNION { VALUES ?f { %%(x)s } }
  GRAPH ?g { ?f a dg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dg:statedIn ?a .
    OPTIONAL { ?f dg:aboutDeal ?d } OPTIONAL { ?f dg:former ?former } }
  %s
}"""
    % _NOT_CURATED
)


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
            by_triple.append(
                (r.first("retractedSubject"), r.first("retractedPredicate"), r.first("retractedObject"), r.active)
            )
    if not by_id and not by_triple:
        return
    keys = set(by_id)
    for s, _, o, _ in by_triple:
        keys |= st.members(st.canonical(s)) | st.members(st.canonical(o))
    rows = list(store.query(_FACT_ROWS % {"x": " ".join(_iri(k) for k in sorted(keys))}))
    facts = {
        r["f"].value: (
            r["s"].value,
            r["p"].value,
            r["o"].value,
            r["a"].value,
            r["d"].value if r["d"] is not None else None,
        )
        for r in rows
    }
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
