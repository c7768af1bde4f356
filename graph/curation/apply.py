"""Applying the corrections: the embedded store's union, a remote store's curated graph, builds.

An embedded store keeps the union of its article graphs as its default graph
(``graph.store``); :func:`apply` rewrites the nodes the records touch there, in
one transaction.

A remote store (any SPARQL 1.1 endpoint) has no union of dealgraph's own: the
endpoint computes it. So :func:`apply` materialises the curated union as one
more named graph on the endpoint, :data:`graph.ns.CURATED_GRAPH`
(``https://w3id.org/dealgraph/id/curated``): a copy of dealgraph's graphs with
the same corrections applied, written in one update request (drop, copy,
correct), and dropped when no correction is in effect. The remote store reads
it for every query dealgraph sends while it exists (``graph.remote``: the
query's WHERE clause is evaluated inside ``GRAPH <.../id/curated> { }``), so
``dealgraph query``, saved questions and ``dealgraph serve`` on the remote see
what they see on an embedded store. Why a copy and not a rewrite of each query:
the corrections (merges that move triples, retractions that take facts and
shortcut triples out) are the same SPARQL updates as on the embedded store, so
both give the same answers, and any SPARQL 1.1 engine serves the copy as
fast as any graph. The price: the copy is made again (O(triples), on the
server) after each curation command and each build while corrections exist;
a write made outside dealgraph leaves it stale until ``dealgraph curation
--apply``. Raw clients of the endpoint see the article graphs as extracted
(and, in an endpoint's union default graph, the curated copy mixed in): they
should query the curated graph (``FROM <.../id/curated>``).

A build resolves names against the union as extracted (so that the article
graphs never depend on the corrections): :func:`before_build` resets the nodes
the records touch (on a remote store, in the curated copy, and the build's own
queries read the plain union), :func:`after_build` applies them again.

>>> from graph.store import open_store
>>> s = open_store("memory")
>>> apply(s)  # no records: nothing to do
>>> curated_triples(s) is None
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from graph.curation.records import _NOT_CURATED, CURATION_GRAPH, Record, _iri, _lit, records
from graph.curation.state import _FACT_ROWS, Curation, state
from graph.ns import CURATED_GRAPH, ID

_STATE = CURATION_GRAPH  # the graph's own node carries the build bookkeeping (dg:knownNamesApplied)

# ----------------------------------------------------------------- applying


# the records' own links (dg:mergedEntity A ...) stay as written in the union
_NOT_RECORD = f'FILTER(!STRSTARTS(STR(?s), "{ID["curation/"]}"))'
# every graph dealgraph wrote (not an endpoint's own, e.g. Virtuoso's system graphs), but the curated copy
_DEALGRAPH_GRAPHS = f'FILTER(STRSTARTS(STR(?g), "{ID}") && ?g != <{CURATED_GRAPH}>)'


def _materialized(store) -> bool:
    return getattr(store, "_materialized", False) and hasattr(store, "update_default")


def _remote(store) -> bool:
    """A store whose union the endpoint computes (``graph.remote.RemoteStore``): it reads the curated copy."""
    return hasattr(store, "mark_curated")


def _has_curated_copy(store) -> bool:
    return bool(store.query(f"ASK {{ GRAPH <{CURATED_GRAPH}> {{ ?s ?p ?o }} }}"))


def apply(store, st: Curation | None = None, *, reset_only: bool = False) -> None:
    """Apply the active corrections to the store's union (embedded) or curated copy (remote).

    Idempotent. On an embedded store every node a record ever touched is first
    reset to the union of the article graphs, then the active records are
    applied, all in one transaction. On a remote store the curated copy is made
    anew (see the module docstring), or dropped when nothing is in effect.
    ``reset_only`` stops after the reset, for a build (see :func:`before_build`).
    """
    if store.read_only or not (_materialized(store) or _remote(store)):
        return
    st = state(store) if st is None else st
    if _remote(store):
        _apply_remote(store, st, reset_only)
        return
    if not st.touched:
        return
    ops = _reset_ops(st, None)
    if not reset_only:
        ops += _correction_ops(store, st, None)
    store.update_default(" ;\n".join(ops))


def _apply_remote(store, st: Curation, reset_only: bool) -> None:
    cur = _iri(CURATED_GRAPH)
    if store.server is None:
        store.query("ASK {}")  # the first request tells which server it is
    if "virtuoso" in (store.server or "").lower():
        return  # Virtuoso 7 never answers the copy's update: there the projection alone applies them
    if reset_only:
        store.curated_view = False  # the build reads the union as extracted
        if st.touched and _has_curated_copy(store):  # readers keep a copy, as extracted where records touch it
            store.update(" ;\n".join(_reset_ops(st, CURATED_GRAPH)))
        return
    ops = [f"DROP SILENT GRAPH {cur}"]
    if not st.empty:
        ops.append(f"INSERT {{ GRAPH {cur} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_DEALGRAPH_GRAPHS} }}")
        ops += _correction_ops(store, st, CURATED_GRAPH)
    store.update(" ;\n".join(ops))
    store.curated_view = True
    store.mark_curated(not st.empty)


def _modify(target: str | None, body: str) -> str:
    """A DELETE/INSERT ... WHERE on the default graph, or on ``target`` (``WITH``)."""
    return f"WITH {_iri(target)} {body}" if target else body


def _data(target: str | None, verb: str, triples: str) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` of ``triples`` in the default graph or in ``target``."""
    return f"{verb} DATA {{ GRAPH {_iri(target)} {{ {triples} }} }}" if target else f"{verb} DATA {{ {triples} }}"


def _reset_ops(st: Curation, target: str | None) -> list[str]:
    """Every touched node's triples back as the article graphs state them."""
    touched = " ".join(_iri(x) for x in sorted(st.touched))
    return [
        _modify(target, f"DELETE {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {touched} }} ?x ?p ?o }}"),
        _modify(target, f"DELETE {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {touched} }} ?s ?p ?x }}"),
        _modify(
            target,
            f"INSERT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {touched} }} GRAPH ?g {{ ?x ?p ?o }} {_NOT_CURATED} }}",
        ),
        _modify(
            target,
            f"INSERT {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {touched} }} GRAPH ?g {{ ?s ?p ?x }} {_NOT_CURATED} }}",
        ),
    ]


def _correction_ops(store, st: Curation, target: str | None) -> list[str]:
    """The active corrections as updates of the default graph or of ``target``."""
    ops = []
    pairs = " ".join(f"({_iri(a)} {_iri(st.canonical(a))})" for a in sorted(st.merged))
    if pairs:
        ops.append(
            _modify(
                target,
                "DELETE { ?a ?p ?o } INSERT { ?c ?q ?o } WHERE { VALUES (?a ?c) { %s } ?a ?p ?o "
                "BIND(IF(?p = rdfs:label, skos:altLabel, ?p) AS ?q) }" % pairs,
            )
        )
        ops.append(
            _modify(
                target,
                "DELETE { ?s ?p ?a } INSERT { ?s ?p ?c } WHERE { VALUES (?a ?c) { %s } ?s ?p ?a %s }"
                % (pairs, _NOT_RECORD),
            )
        )
        canon = " ".join(sorted({_iri(st.canonical(a)) for a in st.merged}))
        ops.append(_modify(target, f"DELETE {{ ?c ?p ?c }} WHERE {{ VALUES ?c {{ {canon} }} ?c ?p ?c }}"))
        ops.append(
            _data(
                target, "INSERT", " ".join(f"{_iri(a)} owl:sameAs {_iri(st.canonical(a))} ." for a in sorted(st.merged))
            )
        )
    alias_triples = [
        f"{_iri(st.canonical(e))} skos:altLabel {_lit(n)} ." for e, ns in sorted(st.aliases.items()) for n in sorted(ns)
    ]
    if alias_triples:
        ops.append(_data(target, "INSERT", " ".join(alias_triples)))
    ops.extend(_retraction_ops(store, st, target))
    return ops


def _retraction_ops(store, st: Curation, target: str | None) -> list[str]:
    if not st.retracted:
        return []
    ops = []
    nodes = sorted(set(st.retracted) | {d for *_, d in st.retracted.values() if d})
    values = " ".join(_iri(n) for n in nodes)
    ops.append(_modify(target, f"DELETE {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}"))
    ops.append(_modify(target, f"DELETE {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {values} }} ?s ?p ?x {_NOT_RECORD} }}"))
    gone, orphans = _gone(store, st)
    for s, p, o in sorted(gone):
        ops.append(_data(target, "DELETE", f"{_iri(s)} {_iri(p)} {_iri(o)} ."))
    if orphans:
        values = " ".join(_iri(e) for e in sorted(orphans))
        ops.append(_modify(target, f"DELETE {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}"))
        ops.append(
            _modify(target, f"DELETE {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {values} }} ?s ?p ?x {_NOT_RECORD} }}")
        )
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
    for r in store.query(
        "SELECT DISTINCT ?d ?x WHERE { VALUES ?x { "
        + " ".join(_iri(m) for m in sorted(members))
        + " } GRAPH ?g { ?d dg:party ?x } "
        + _NOT_CURATED
        + " }"
    ):
        if r["d"].value not in deals:
            alive_ents.add(st.canonical(r["x"].value))
    gone = set()
    for s, p, o, _, _ in st.retracted.values():
        key = (st.canonical(s), p, st.canonical(o))
        if key not in alive_triples:
            gone.add(key)
    return gone, ends - alive_ents


def curated_triples(store) -> list | None:
    """The union with the corrections (pyoxigraph Triples), or None when there are none to apply.

    What ``dealgraph export --format ttl|nt`` writes. On a remote store, the
    curated copy (None while there is none: ``dealgraph curation --apply``).
    """
    if not records(store):
        return None
    if _remote(store):
        if not _has_curated_copy(store):
            return None
    elif not _materialized(store):
        return None
    return list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))


# ----------------------------------------------------------------- builds


@dataclass
class BuildPlan:
    """What a build needs from the curation: articles to skip, and whether to re-extract all."""

    removed: set[str]
    rebuild: bool
    digest: str
    curated: bool = True  # the store has records: the build ends by applying them again


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
        return BuildPlan(set(), False, digest, curated=False)
    apply(store, state(store, recs), reset_only=True)
    rows = list(
        store.query(f"SELECT ?d WHERE {{ GRAPH {_iri(CURATION_GRAPH)} {{ {_iri(_STATE)} dg:knownNamesApplied ?d }} }}")
    )
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
        store.update(
            f"DELETE WHERE {{ GRAPH {g} {{ {_iri(_STATE)} dg:knownNamesApplied ?d }} }} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{ {_iri(_STATE)} dg:knownNamesApplied {_lit(plan.digest)} }} }}"
        )
    if plan.curated or plan.rebuild:
        apply(store)
