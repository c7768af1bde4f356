"""The embedded store: Oxigraph in this process, on disk (RocksDB) or in memory.

Why pyoxigraph directly and not rdflib's API over it: at 1M triples loading is
3.5x faster than rdflib in memory, a 1-hop question 600x, the 2-hop question with
its join order written out more than 900x, and the store lives on disk
(benchmarks/). ``Store.rdflib_dataset()`` still gives an rdflib view for
small graphs.

Each article is written with one SPARQL update (drop its named graph, insert
the new one), which Oxigraph applies atomically: a reader never sees half an
article, and a crash leaves either the old or the new graph.

The default graph is the union of the article graphs, kept materialised
(each triple once) by every write in that same update. Oxigraph's own union
of named graphs repeats a triple once per graph that states it, so a
question about a company in k articles joined k^n rows: at 1M triples the
natural 2-hop question took 83 s that way and takes under 1 ms on the
materialised union (benchmarks/). The price: each triple is stored twice,
and a bulk load does twice the work. Exports, ``count`` and ``quads`` show
the named graphs only. Stores written by dealgraph before this (format 1)
are upgraded in place when opened for writing, and queried through
Oxigraph's union when opened read-only.

One writer or many readers
    RocksDB lets one process write a folder; pyoxigraph documents that opening
    it read-only while another process writes is undefined behaviour. So a
    store folder carries a lock file (``dealgraph.lock``, ``flock``): a
    read-write open holds it exclusively, a read-only open holds it shared,
    and an open that would break the rule fails at once with a
    :class:`StoreError` that says who holds the store and how to run both
    (build through ``dealgraph serve --allow-update``, or serve a snapshot
    with ``--in-memory``). The kernel drops the lock when a process dies,
    even by SIGKILL.

A folder that is damaged (RocksDB reports corruption), locked, or written by
a newer dealgraph (``dealgraph-store.json``) gives one readable
:class:`StoreError`.

>>> s = open_memory()
>>> s.count()
0
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph import sandbox
from graph.errors import QueryError, StoreError
from graph.ns import PREFIXES
from graph.store.base import BaseStore, Solutions, Triples, io_reason, is_full

try:  # POSIX; elsewhere RocksDB's own lock is the only guard
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["Store", "open_disk", "open_memory", "FORMAT_VERSION"]

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 1: the default graph empty, queried as Oxigraph's union; 2: the union materialised
_MARKER = "dealgraph-store.json"
_LOCK = "dealgraph.lock"
_OURS = {_LOCK, _MARKER + ".tmp"}  # files we may create before the marker exists
_HOW_TO_SHARE = (
    "to read while building, run both through a server: `dealgraph serve --store {path} --allow-update "
    "--token T`, then `DEALGRAPH_TOKEN=T dealgraph build ... --store http://127.0.0.1:7878/sparql`; "
    "or serve a snapshot with `dealgraph serve --in-memory`"
)


class Store(BaseStore):
    """The graph in a pyoxigraph store; see the module docstring."""

    def __init__(self, inner: ox.Store, location: str, read_only: bool = False, lock=None, materialized: bool = True):
        self._s = inner
        self.location = location
        self.read_only = read_only
        self._lock = lock  # the open lock file (released by close, or by the kernel at exit)
        self._materialized = materialized  # False only for a format-1 store opened read-only
        self.write_error: StoreError | None = None  # the first write the engine refused (see ``_write``)

    # --------------------------------------------------------------- reading
    def query(
        self,
        sparql: str,
        *,
        substitutions: dict | None = None,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ):
        """Run SPARQL; returns pyoxigraph solutions, a boolean or triples.

        The default graph is the union of the article graphs. ``default_graph``
        / ``named_graphs`` (graph IRIs) set the dataset as the SPARQL
        protocol's ``default-graph-uri`` / ``named-graph-uri`` do; an IRI that
        is not valid raises ``ValueError``. ``base_iri`` resolves relative IRIs.

        Raises :class:`StoreError` only for store failures; syntax errors surface
        as ``SyntaxError`` for ``graph.query`` to report.

        The query is evaluated on a thread that cannot open network sockets
        (:mod:`graph.sandbox`), so ``SERVICE`` fails (``SERVICE SILENT``
        answers one empty solution) and nothing is fetched. Called from such
        a thread (the server's query threads and worker processes), it returns
        pyoxigraph's lazy results; from any other thread, the answers are
        read there in full and come back as :class:`Solutions` (a list of
        ``QuerySolution`` with ``variables``), :class:`Triples` (a list of
        ``Triple``) or a ``QueryBoolean``; engine errors then carry no URL or
        remote text (:func:`graph.sandbox.safe_message`).

        >>> s = open_memory()
        >>> s.update("INSERT DATA { GRAPH <urn:g> { <urn:a> rdfs:label 'A' } }")
        >>> [r["l"].value for r in s.query("SELECT ?l WHERE { ?x rdfs:label ?l }")]
        ['A']
        >>> s.query("SELECT * WHERE { SERVICE <http://127.0.0.1:65530/> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        PermissionError: the query or update needs the network (SERVICE or LOAD), which dealgraph never uses
        """
        kwargs: dict = {"prefixes": PREFIXES}
        if base_iri is not None:
            kwargs["base_iri"] = base_iri
        if substitutions:
            kwargs["substitutions"] = substitutions
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif not self._materialized:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None or default_graph is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
        if sandbox.network_denied():
            return self._s.query(sparql, **kwargs)
        return sandbox.run_isolated(_read_all, self._s, sparql, kwargs)

    def count(self) -> int:
        """Number of quads in the named graphs (the materialised union, which curation rewrites, not counted)."""
        rows = self._s.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))["n"].value)

    def named_graphs(self) -> list[str]:
        return [g.value for g in self._s.named_graphs()]

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the article graphs, graph by graph."""
        for g in self._s.named_graphs():
            yield from self._s.quads_for_pattern(None, None, None, g)

    # --------------------------------------------------------------- writing
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update (common prefixes predeclared) in one transaction.

        ``base_iri`` resolves relative IRIs (the SPARQL protocol's service base IRI).

        The materialised union follows in the same transaction: for the named
        graphs the update names (``GRAPH <g>``, ``WITH <g>``) by their
        triples, and by rebuilding it whole when the update may touch graphs
        it does not name (``GRAPH ?g``, ``DROP ALL``, ``MOVE``, ...).

        Raises ``SyntaxError`` for a malformed update, :class:`StoreError`
        when the store is read-only or cannot be written, and
        :class:`~graph.errors.QueryError` for a ``LOAD`` (or ``SERVICE``):
        updates run on a thread that cannot reach the network.
        """
        self._check_writable()
        graphs = _graphs_written(sparql)
        body = _STRINGS_AND_IRIS.sub(_drop_comment, sparql).rstrip().rstrip(";")  # ours follow after one ';'
        if graphs is None:
            sparql = f"{body}\n;\n{_REBUILD_UNION}"
        elif graphs:
            sparql = f"{_forget(graphs)} ;\n{body}\n;\n{_remember(graphs)}"
        self._write(sparql, base_iri)

    def update_default(self, sparql: str) -> None:
        """Run an update that writes the materialised default graph itself, in one transaction.

        Unlike :meth:`update`, the union is not kept equal to the named graphs
        afterwards: ``graph.curation`` writes its corrections there.
        """
        self._check_writable()
        self._write(sparql)

    def replace_graph(self, graph: Graph) -> None:
        """Atomically replace the named graph ``graph.identifier`` with ``graph``."""
        self._check_writable()
        g = str(graph.identifier)
        body = graph.serialize(format="nt")
        self._write(
            f"{_forget([g])} ;\nDROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }} ;\n{_remember([g])}"
        )

    def remove_graph(self, iri: str) -> None:
        self._check_writable()
        self._write(f"{_forget([iri])} ;\nDROP SILENT GRAPH <{iri}>")

    def clear(self) -> None:
        self._check_writable()
        self._s.clear()

    def load_nquads(self, data: bytes) -> None:
        """Bulk-load N-Quads (the fast path for large imports), the union included.

        Not atomic: a failure part-way leaves part of the data loaded. On disk
        the input is cut into one piece per core, loaded side by side (RocksDB
        takes concurrent bulk loads; about 1.8x faster on 2 cores).
        """
        self._check_writable()
        if not self._materialized:
            self._bulk(data, ox.RdfFormat.N_QUADS)
            return
        if self.location == "memory" and len(self._s) == 0:
            # every graph is new: Oxigraph writes their triples out 2.5x faster than Python
            # can (but 7x slower than Python from RocksDB, hence memory only)
            self._bulk(data, ox.RdfFormat.N_QUADS)
            triples = b"".join(
                self._s.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) for g in self._s.named_graphs()
            )
        else:
            # the triples are written out by this thread while the quads load on others
            loading = self._bulk(data, ox.RdfFormat.N_QUADS, wait=False)
            triples = ox.serialize(
                _as_triples(ox.parse(data, format=ox.RdfFormat.N_QUADS)), format=ox.RdfFormat.N_TRIPLES
            )
            loading()
        self._bulk(triples, ox.RdfFormat.N_TRIPLES)

    def _bulk(self, data: bytes, fmt: ox.RdfFormat, wait: bool = True) -> Callable[[], None] | None:
        """Bulk-load ``data``, in one thread per piece; with ``wait=False``, return a function that waits."""
        pieces = _split_lines(data, 1 if self.location == "memory" else (os.cpu_count() or 1))
        errors: list[BaseException] = []

        def load(piece: bytes) -> None:
            try:
                self._s.bulk_load(piece, format=fmt)
            except BaseException as e:  # re-raised on the caller's thread
                errors.append(e)

        workers = [threading.Thread(target=load, args=(p,)) for p in pieces]
        for w in workers:
            w.start()

        def join() -> None:
            for w in workers:
                w.join()
            if errors:
                raise errors[0]

        if not wait:
            return join
        join()
        return None

    def _write(self, sparql: str, base_iri: str | None = None) -> None:
        """Apply one update atomically, on a thread that cannot open network sockets.

        ``LOAD`` fails and ``LOAD SILENT`` loads nothing. The update is applied
        whole or not at all, so a failure leaves the store as the previous
        write left it; an engine I/O failure becomes one readable
        :class:`StoreError`. The first failure is kept in ``write_error``: once
        RocksDB cannot append to its log (a full disk), it refuses every later
        write of this process, and ``close`` then skips the flush that would
        only fail again.
        """
        try:
            sandbox.run_isolated(self._s.update, sparql, prefixes=PREFIXES, base_iri=base_iri)
        except OSError as e:
            if str(e).startswith("Permission denied (os error 13)") or sandbox.refused_operation(sparql, update=True):
                raise QueryError(sandbox.NETWORK_REFUSED) from None
            raise self._failed(e) from e

    def _failed(self, e: OSError) -> StoreError:
        message = f"cannot write to the store at {self.location}: {io_reason(e)}"
        if self.write_error is None:
            self.write_error = StoreError(message)  # a copy never raised: no traceback holding the engine alive
        return StoreError(message)

    def _materialize(self) -> None:
        """Fill the default graph with the union of the named graphs (upgrading a format-1 store)."""
        self._s.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in _as_triples(self.quads()))
        self._materialized = True

    def backup(self, target: str | Path) -> None:
        """Write a consistent checkpoint of the store to the new folder ``target``.

        Hard links where possible, so it is cheap; the checkpoint opens with
        ``pyoxigraph.Store.read_only`` while this store goes on writing.
        Raises :class:`StoreError` for a memory store or when it fails.
        """
        if self.location == "memory":
            raise StoreError("a memory store has no folder to back up")
        try:
            self._s.backup(str(target))
        except (OSError, RuntimeError) as e:
            raise StoreError(f"cannot back up the store at {self.location}: {e}") from e

    def flush(self) -> None:
        """Write the engine's memory tables to disk; :class:`StoreError` when it cannot.

        Not needed for durability: every committed update is already in
        RocksDB's log, which the next open replays.
        """
        if not self.read_only and self._s is not None:
            try:
                self._s.flush()
            except OSError as e:
                raise self._failed(e) from e

    def close(self) -> None:
        """Flush and close; the lock is released even when the flush fails.

        After a refused write (``write_error``) the flush is skipped: the
        engine would refuse it too, and what was committed is in its log.
        A flush that fails here raises :class:`StoreError` once the store is closed.
        """
        try:
            if self._s is not None and self.write_error is None:
                self.flush()
        finally:
            self._s = None  # pyoxigraph closes the database when the object is dropped
            if self._lock is not None:
                self._lock.close()  # releases the flock, after the database is closed
                self._lock = None


def _read_all(inner: ox.Store, sparql: str, kwargs: dict):
    """Evaluate and read the whole answer on this thread (pyoxigraph's lazy results may not leave it)."""
    res = None
    try:
        res = inner.query(sparql, **kwargs)
        if isinstance(res, ox.QueryBoolean):
            return res
        if isinstance(res, ox.QueryTriples):
            return Triples(res)
        return Solutions(res.variables, res)
    except (OSError, RuntimeError, ValueError) as e:
        raise type(e)(sandbox.safe_message(e)) from None
    finally:
        res = None  # dropped here, on the thread that made it


# ------------------------------------------------------------ the union
# One SPARQL update keeps the default graph equal to the union of the named
# graphs: before the writes, drop from it the triples that only the written
# graphs state; after them, copy those graphs' triples back in.

_REBUILD_UNION = "DROP SILENT DEFAULT ;\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_STRINGS_AND_IRIS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*|<[^<>"{}|^`\\\s]*>'
)
_NAMES_GRAPH = re.compile(r"\b(?:GRAPH|WITH)\s+(\S+)", re.I)
_UNSURE = re.compile(r"\b(?:ALL|NAMED|DEFAULT|ADD|MOVE|COPY|USING)\b", re.I)


def _graphs_written(sparql: str) -> list[str] | None:
    """The named graphs an update names, or None when it may write graphs it does not name.

    Conservative by design: anything unusual (a graph variable, a prefixed
    name, ``DROP ALL``, ``MOVE``, ...) answers None, which rebuilds the union.
    """
    iris: list[str] = []

    def mask(m: re.Match) -> str:
        if m.group(0).startswith("<"):
            iris.append(m.group(0)[1:-1])
            return f"<{len(iris) - 1}>"
        return '""'

    text = _STRINGS_AND_IRIS.sub(mask, sparql)
    if _UNSURE.search(text):
        return None
    graphs = []
    for m in _NAMES_GRAPH.finditer(text):
        ref = re.fullmatch(r"<(\d+)>", m.group(1))
        if ref is None:
            return None
        graphs.append(iris[int(ref.group(1))])
    return sorted(set(graphs))


def _drop_comment(m: re.Match) -> str:
    return "" if m.group(0).startswith("#") else m.group(0)


def _forget(graphs: list[str]) -> str:
    values = " ".join(f"<{g}>" for g in graphs)
    others = ", ".join(f"<{g}>" for g in graphs)
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h NOT IN ({others})) }} }}"
    )


def _remember(graphs: list[str]) -> str:
    values = " ".join(f"<{g}>" for g in graphs)
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"


def _as_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    return (ox.Triple(q.subject, q.predicate, q.object) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))


def _split_lines(data: bytes, n: int) -> list[bytes]:
    """``data`` cut into at most ``n`` pieces at line ends (N-Quads and N-Triples are line-based)."""
    if n <= 1 or len(data) < 1_000_000:
        return [data]
    pieces, start = [], 0
    for i in range(1, n):
        cut = data.find(b"\n", max(start, len(data) * i // n)) + 1
        if cut <= 0:
            break
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return [p for p in pieces if p]


_ROCKSDB_FILE = re.compile(r"\d+\.(?:sst|log|blob)|MANIFEST-\d+|OPTIONS-\d+|IDENTITY")


def _damage(path: Path) -> str | None:
    """What is wrong with a store folder whose RocksDB files lost their root, or None.

    RocksDB starts from ``CURRENT``, which names the live ``MANIFEST``. When
    ``CURRENT`` is gone, opening the folder for writing would create a new,
    empty database over the old files (a fresh ``CURRENT`` and ``MANIFEST``),
    so this is checked before anything in the folder is touched.
    """
    try:
        names = {p.name for p in path.iterdir()}
    except OSError:
        return None  # RocksDB reports it
    data = sorted(n for n in names if _ROCKSDB_FILE.fullmatch(n))
    if not data:
        return None  # nothing written yet (a crash between the marker and RocksDB's first files)
    if "CURRENT" not in names:
        return f"its database file CURRENT is missing (the folder still holds {len(data)} data files)"
    try:
        current = (path / "CURRENT").read_bytes()
    except OSError:
        return None
    manifest = current.decode("ascii", "replace").strip()
    if not re.fullmatch(r"MANIFEST-\d+", manifest):
        return "its database file CURRENT does not name a MANIFEST"
    if manifest not in names:
        return f"its database file CURRENT names {manifest}, which is missing"
    return None


def open_memory(location: str = "memory", read_only: bool = False) -> Store:
    """A new, empty store in memory (``read_only`` is ignored: there is nothing to protect)."""
    return Store(ox.Store(), "memory")


def _holder(f) -> str:
    """Who holds the lock, as its holder wrote it (``pid N: command``), or ''."""
    try:
        f.seek(0)
        info = json.loads(f.read() or "{}")
        return f" (pid {int(info['pid'])}: {str(info.get('command', ''))[:80]})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _acquire(path: Path, exclusive: bool):
    """Take the store's flock: exclusive to write, shared to read; StoreError when it is taken.

    Returns the open lock file (closing it releases the lock), or None where
    locking is impossible (no fcntl, a folder the reader cannot write to).
    """
    if fcntl is None:
        return None
    try:
        f = open(path / _LOCK, "a+", encoding="utf-8")
    except OSError:
        if exclusive:
            raise
        return None  # a read-only folder: nobody can be writing it through us
    try:
        fcntl.flock(f, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        who = _holder(f)
        f.close()
        share = _HOW_TO_SHARE.format(path=path)
        if not exclusive:
            raise StoreError(
                f"the store at {path} is busy: a build is writing to it{who}, and reading it meanwhile could show "
                f"a half-written state. Wait for the build to finish; {share}"
            ) from None
        # exclusive wanted: either a writer (it wrote its pid) or readers (shared holders) have it
        probe_writer = who and _writer_active(path)
        what = (
            f"being written by another dealgraph process{who}"
            if probe_writer
            else "open for reading by another process (a `dealgraph serve` or `dealgraph query`)"
        )
        raise StoreError(
            f"the store at {path} is in use: it is {what}. Wait for it to finish or stop it; {share}"
        ) from None
    if exclusive:
        command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:2]]) if sys.argv and sys.argv[0] else "python"
        f.seek(0)
        f.truncate()
        f.write(json.dumps({"pid": os.getpid(), "command": command}) + "\n")
        f.flush()
    return f


def _writer_active(path: Path) -> bool:
    """True when the lock is held exclusively (a shared request fails too)."""
    try:
        with open(path / _LOCK, encoding="utf-8") as g:
            try:
                fcntl.flock(g, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(g, fcntl.LOCK_UN)
            return False
    except OSError:
        return False


def _write_marker(path: Path) -> None:
    """Write ``dealgraph-store.json`` atomically (a crash leaves it whole or absent)."""
    tmp = path / (_MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps({"format": FORMAT_VERSION}) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path / _MARKER)


def open_disk(location: str, read_only: bool = False) -> Store:
    """Open (or create) the store folder ``location``; :class:`StoreError` when it cannot be used safely."""
    path = Path(location)
    marker = path / _MARKER
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder")
    if path.is_dir() and not marker.exists() and {p.name for p in path.iterdir()} - _OURS:
        raise StoreError(f"{path} exists but is not a dealgraph store (no {_MARKER}); choose another --store")
    version = FORMAT_VERSION
    if marker.exists():
        try:
            version = json.loads(marker.read_text("utf-8")).get("format")
        except (OSError, ValueError, AttributeError) as e:
            raise StoreError(f"the store at {path} is damaged: {_MARKER} is unreadable ({e})") from e
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise StoreError(
                f"the store at {path} has format {version}, newer than this dealgraph understands "
                f"({FORMAT_VERSION}); upgrade dealgraph"
            )
    elif read_only:
        raise StoreError(f"no store at {path}; run `dealgraph build` first")
    if path.is_dir() and (damage := _damage(path)):
        raise StoreError(
            f"the store at {path} is damaged: {damage}. Nothing in it was changed. Restore the folder from a "
            "backup, or move it away and run `dealgraph build` again to rebuild the store"
        )
    try:
        if not read_only:
            path.mkdir(parents=True, exist_ok=True)
        lock = _acquire(path, exclusive=not read_only)
        if not read_only and not marker.exists():
            _write_marker(path)  # before RocksDB's files, so a crash never leaves an unmarked store
    except OSError as e:
        raise StoreError(f"cannot open the store at {path}: {e}") from e
    try:
        inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as e:
        if lock is not None:
            lock.close()
        msg = str(e)
        if is_full(e):
            raise StoreError(f"cannot open the store at {path}: {io_reason(e)}") from e
        if re.search(r"corrupt", msg, re.I) or isinstance(e, RuntimeError):
            raise StoreError(
                f"the store at {path} is damaged ({msg.splitlines()[0][:200] if msg else type(e).__name__}); "
                "rebuild it: move the folder away and run `dealgraph build` again"
            ) from e
        if re.search(r"lock", msg, re.I):
            raise StoreError(
                f"the store at {path} is in use by another dealgraph process (a build or a server); "
                "wait for it to finish, or query through `dealgraph serve`"
            ) from e
        raise StoreError(f"cannot open the store at {path}: {msg}") from e
    store = Store(inner, str(path), read_only, lock, materialized=version >= 2)
    if version < 2 and not read_only:
        _upgrade(store, path)
    return store


def _upgrade(store: Store, path: Path) -> None:
    """Format 1 -> 2: materialise the union, then say so in the marker (a crash in between redoes it)."""
    log.warning(
        "upgrading the store at %s (format 1 -> %d): materialising the union of its graphs", path, FORMAT_VERSION
    )
    store._s.update("DROP SILENT DEFAULT")
    store._materialize()
    store._s.flush()
    _write_marker(path)
