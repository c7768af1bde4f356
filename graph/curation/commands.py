"""The curation commands: merge, alias, retract, remove an article, known names, undo, share."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.curation.apply import _STATE, apply
from graph.curation.records import (
    _NOT_CURATED,
    CURATION_GRAPH,
    KNOWN_TYPES,
    CurationError,
    Record,
    _iri,
    _lit,
    _mark_undone,
    _short,
    _unquote,
    _write_record,
    records,
    resolve_entity,
)
from graph.curation.state import _FACT_ROWS, Curation, state
from graph.ns import DG, ID, RELATIONS, relation_from_property, relation_property

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
        hits = [
            r
            for r in records(store, active_only=True)
            if r.kind == "Merge"
            and len(set(iris) & {r.first("canonical"), *r.values.get("mergedEntity", [])}) >= min(2, len(iris))
        ]
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
    record = _write_record(
        store, "AliasAddition", [("dg:aboutEntity", _iri(iri)), ("dg:aliasName", _lit(alias_name.strip()))], by, note
    )
    apply(store)
    return record


def _fact_iri(fact: str) -> str:
    fact = fact.strip()
    if re.match(r"https?://", fact):
        return fact
    return str(ID[fact if fact.startswith("fact/") else f"fact/{fact}"])


def retract(
    store,
    *,
    fact: str | None = None,
    subject: str | None = None,
    relation: str | None = None,
    object: str | None = None,
    by: str | None = None,
    note: str | None = None,
    undo: bool = False,
):
    """Retract a fact: one fact node by id (``fact``), or a triple by names (every article stating it).

    The fact stays in its article graph; the curated graph leaves it out (see
    the module docstring). ``relation`` is a relation name (``ceo_of``) or a
    property (``ceoOf``). With ``undo=True`` the matching active retractions are
    undone (a list of them is returned).
    """
    if fact:
        f = _fact_iri(fact)
        if not bool(store.query(f"ASK {{ GRAPH ?g {{ {_iri(f)} a dg:Fact }} {_NOT_CURATED} }}")):
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
            if not any(
                (st.canonical(fs), fp, st.canonical(fo))
                in ((cs, p, co), (co, p, cs) if p == str(DG.dealWith) else (cs, p, co))
                for fs, fp, fo in _facts_about(store, st, [s, o])
            ):
                raise CurationError(f"no fact {subject} {relation} {object} in the store")
    if undo:
        wanted = {k: v for k, v in ((p.split(":")[1], _unquote(o)) for p, o in props)}
        hits = [
            r
            for r in records(store, active_only=True)
            if r.kind == "Retraction" and all(r.first(k) == v for k, v in wanted.items())
        ]
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


def _facts_about(store, st: Curation, iris: list[str]) -> list[tuple[str, str, str]]:
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
    rows = store.query(
        "SELECT ?a ?src WHERE { GRAPH ?g { ?a a dg:Article OPTIONAL { ?a dg:sourcePath ?src } "
        "OPTIONAL { ?a schema:headline ?t } OPTIONAL { ?a schema:url ?u } "
        f"FILTER(?a IN ({', '.join(_iri(c) for c in candidates)}) || ?src = {_lit(article)} "
        f"|| ?t = {_lit(article)} || ?u = {_lit(article)}) }} {_NOT_CURATED} }}"
    )
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
        hits = [
            r
            for r in records(store, active_only=True)
            if r.kind == "ArticleRemoval"
            and (
                article in (r.first("removedSource"), r.first("removedArticle"))
                or r.first("removedArticle") == str(ID[f"article/{article}"])
                or (Path(article).exists() and r.first("removedArticle") in _file_articles(article))
            )
        ]
        if not hits:
            raise CurationError(f"no active removal of {article!r}")
        _mark_undone(store, hits, by)
        return hits
    a, src = _article_of(store, article)
    props = [("dg:removedArticle", _iri(a))] + ([("dg:removedSource", _lit(src))] if src else [])
    graph_iri = str(ID["graph/" + a[len(str(ID["article/"])) :]])
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


# ----------------------------------------------------------------- sharing


def export_curation(store) -> str:
    """The curation graph as Turtle: a small file to share (see :func:`import_curation`)."""
    from graph.ns import OUTPUT_PREFIXES

    triples = [
        t for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(CURATION_GRAPH)} {{ ?s ?p ?o }} }}")
    ]
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
