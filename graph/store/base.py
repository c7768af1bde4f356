"""The store protocol every backend keeps, and what the backends share.

:class:`BaseStore` holds the questions the pipeline asks of any store
(content hashes, entities to seed a resolver, dumps, an rdflib copy);
:class:`Solutions` and :class:`Triples` are answers read in full;
:func:`io_reason` and :func:`is_full` read I/O failures. The backends are
:mod:`graph.store.embedded` (Oxigraph in this process) and
:mod:`graph.store.remote` (a SPARQL 1.1 endpoint); both import this module
and nothing of each other.

>>> is_full(OSError(28, "No space left on device"))
True
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Dataset

from graph.errors import StoreError
from graph.ns import OUTPUT_PREFIXES, PREFIXES

__all__ = ["BaseStore", "Solutions", "Triples", "io_reason", "is_full", "DEFAULT_STORE"]

DEFAULT_STORE = ".dealgraph"


class BaseStore:
    """What every backend shares: the questions the pipeline asks, copies, ``with``.

    A backend provides ``query`` (returning pyoxigraph ``QuerySolutions``,
    ``QueryBoolean`` or ``QueryTriples``), ``count``, ``named_graphs``,
    ``quads``, ``update``, ``replace_graph``, ``remove_graph``, ``clear``,
    ``load_nquads``, ``flush`` and ``close``: :class:`graph.store.embedded.Store` (embedded
    Oxigraph) and :class:`graph.store.remote.RemoteStore` (any SPARQL 1.1 endpoint) do.
    """

    location: str = ""
    read_only: bool = False

    def query(self, sparql: str, *, substitutions: dict | None = None):
        raise NotImplementedError

    def quads(self) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # --------------------------------------------------------------- shared
    def article_hashes(self, iris: Iterable[str] | None = None) -> dict[str, str]:
        """Content hash of the stored articles (all, or those with the given IRIs), by IRI."""
        values = ""
        if iris is not None:
            iris = list(iris)
            if not iris:
                return {}
            values = "VALUES ?a { " + " ".join(f"<{i}>" for i in iris) + " } "
        rows = self.query(f"SELECT ?a ?h WHERE {{ {values}?a dg:contentHash ?h }}")
        return {r["a"].value: r["h"].value for r in rows}

    def article_hash(self, article_iri: str) -> str | None:
        """The stored content hash of one article, or None when it is not stored."""
        rows = list(self.query(f"SELECT ?h WHERE {{ <{article_iri}> dg:contentHash ?h }} LIMIT 1"))
        return rows[0]["h"].value if rows else None

    def entities(
        self, iris: Iterable[str] | None = None, names: Iterable[str] | None = None
    ) -> Iterator[tuple[str, str, str, set[str]]]:
        """``(iri, label, type, aliases)`` of stored entities, to seed a Resolver.

        With ``iris`` and/or ``names``, only the entities with one of those IRIs or
        with one of those names as label or alias; without them, every entity.
        The look-up is two small queries, each starting from the bound values
        (Oxigraph plans joins from the query text alone, and a single query that
        joined the names with every entity took a minute on a store of 2,000
        articles).
        """
        if iris is None and names is None:
            where = "VALUES ?t { dg:Person dg:Organization dg:Product } ?e a ?t ."
        else:
            wanted = set(iris or ())
            if names:
                found = self.query(
                    "SELECT DISTINCT ?e WHERE { VALUES ?n { "
                    + " ".join(str(ox.Literal(n)) for n in names)
                    + " } ?e rdfs:label|skos:altLabel ?n }"
                )
                wanted |= {r["e"].value for r in found}
            if not wanted:
                return
            where = (
                "VALUES ?e { "
                + " ".join(f"<{i}>" for i in sorted(wanted))
                + " } ?e a ?t . FILTER(?t IN (dg:Person, dg:Organization, dg:Product))"
            )
        found: dict[str, tuple[str, str, set[str]]] = {}
        for r in self.query(
            f"SELECT ?e ?t ?l ?alt WHERE {{ {where} ?e rdfs:label ?l . OPTIONAL {{ ?e skos:altLabel ?alt }} }}"
        ):
            e = r["e"].value
            label, type_, alts = found.setdefault(e, (r["l"].value, r["t"].value.rsplit("#", 1)[1], set()))
            if r["alt"] is not None:
                alts.add(r["alt"].value)
        for e, (label, type_, alts) in found.items():
            yield e, label, type_, alts

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """Serialize the whole store (quads formats) or the union of its graphs (triple formats)."""
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            quads = self.quads()
            return (
                ox.serialize(quads, format=fmt, prefixes=OUTPUT_PREFIXES)
                if fmt == ox.RdfFormat.TRIG
                else ox.serialize(quads, format=fmt)
            )
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self.quads())
        return (
            ox.serialize(triples, format=fmt, prefixes=OUTPUT_PREFIXES)
            if fmt == ox.RdfFormat.TURTLE
            else ox.serialize(triples, format=fmt)
        )

    def rdflib_dataset(self) -> Dataset:
        """An rdflib copy of the store (for small graphs: pyshacl, owlrl, rdflib tools)."""
        ds = Dataset()
        ds.parse(data=self.dump(ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        for p, ns in PREFIXES.items():
            ds.bind(p, ns)
        return ds

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")


class Solutions(list):
    """The answers of a SELECT, read in full: a list of ``pyoxigraph.QuerySolution``.

    ``variables`` lists the projected ``pyoxigraph.Variable`` as
    ``QuerySolutions.variables`` does.
    """

    def __init__(self, variables, rows=()):
        super().__init__(rows)
        self.variables = list(variables)


class Triples(list):
    """The answer of a CONSTRUCT or DESCRIBE, read in full: a list of ``pyoxigraph.Triple``."""


_ROCKSDB_IO = re.compile(r"IO error: (?P<why>[^:]+): While (?P<doing>[^:]+): (?P<file>[^:]+?): (?P=why)")
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def io_reason(e: OSError) -> str:
    """The reason of an I/O failure in a few words, RocksDB's repetitions removed.

    >>> io_reason(OSError("IO error: No space left on device: While appending to file: "
    ...                   "/s/000008.log: No space left on device"))
    'No space left on device (while appending to file /s/000008.log)'
    >>> io_reason(OSError("IO error: DB::Open() failed --- Unable to persist Options file: IO error: "
    ...     "No space left on device: While appending to file: /s/OPTIONS-6.dbtmp: No space left on device"))
    'No space left on device (while appending to file /s/OPTIONS-6.dbtmp)'
    >>> io_reason(OSError(28, "No space left on device"))
    'No space left on device'
    """
    if e.strerror:
        return e.strerror + (f" ({e.filename})" if e.filename else "")
    text = " ".join(str(e).split())
    m = _ROCKSDB_IO.search(text)
    if m:
        return f"{m['why']} (while {m['doing'].lower()} {m['file']})"
    return text.removeprefix("IO error: ") or type(e).__name__


def is_full(error: BaseException) -> bool:
    """True when ``error`` (or its cause) says no write can succeed: disk full, quota, read-only file system.

    >>> is_full(StoreError("cannot write: No space left on device"))
    True
    >>> is_full(OSError(errno.EIO, "Input/output error"))
    False
    """
    while error is not None:
        if isinstance(error, OSError) and error.errno in _CANNOT_WRITE:
            return True
        if any(os.strerror(n) in str(error) for n in _CANNOT_WRITE):
            return True
        error = error.__cause__
    return False
