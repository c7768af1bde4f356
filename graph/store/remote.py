"""A remote SPARQL 1.1 endpoint as a dealgraph store.

``open_store("http://host:7878/query")`` lands here. The endpoint can be any
SPARQL 1.1 Protocol server: Oxigraph server, Virtuoso, Apache Jena Fuseki,
GraphDB, QLever, Amazon Neptune. :class:`RemoteStore` offers the methods of
:class:`graph.store.embedded.Store` that build, query, network, view, export and
validate use, and answers with the same pyoxigraph types (``QuerySolutions``,
``QueryBoolean``, ``QueryTriples``, ``Quad``), so callers do not notice the
difference.

URLs and credentials
    The query URL is the one given (extra URL parameters are kept, e.g.
    ``?default-graph-uri=...``). The update URL is ``update_url``, else
    ``$DEALGRAPH_UPDATE_URL``, else derived: ``.../query`` becomes
    ``.../update`` (Oxigraph, Fuseki), ``.../repositories/ID`` becomes
    ``.../repositories/ID/statements`` (GraphDB, RDF4J), anything else is used
    for both (Virtuoso's and Neptune's ``/sparql``). Credentials come from the
    environment only: ``$DEALGRAPH_TOKEN`` (a bearer token) or
    ``$DEALGRAPH_USER`` / ``$DEALGRAPH_PASSWORD`` (HTTP Basic); they never
    appear in messages.

Writes
    ``replace_graph`` queues one ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH
    <g> { ... } }`` per article; queued articles go out together in one SPARQL
    Update request once about ``batch_bytes`` are waiting, and on ``flush()``,
    ``close()`` or the next read. A server that applies a request atomically
    (Oxigraph, Fuseki, GraphDB) never shows half an article.
    ``load_nquads`` sends ``INSERT DATA`` requests of ``batch_quads`` quads.

No federation through the endpoint
    ``query`` and ``update`` refuse ``SERVICE`` and ``LOAD`` before anything is
    sent (:class:`~graph.errors.QueryError`, by
    :func:`graph.sandbox.refused_operation`): dealgraph never asks a server to
    fetch from the network on its behalf. What the endpoint's own server does
    with the queries it is sent is up to that server.

The union default graph
    dealgraph's questions expect the default graph to be the union of the
    article graphs. Virtuoso, GraphDB, QLever and Neptune do that already;
    Oxigraph server does it per request with its ``union-default-graph``
    parameter, which this module adds when the server says it is Oxigraph;
    Fuseki needs ``tdb2:unionDefaultGraph true`` in its dataset configuration.
    ``count``, ``named_graphs`` and ``quads`` only look at dealgraph's named
    graphs (under ``graph.ns.ID``), not at the server's own (Virtuoso keeps its
    system graphs beside the data).

Virtuoso
    Its anonymous ``/sparql`` endpoint needs ``GRANT SPARQL_UPDATE TO "SPARQL"``
    to write; ``/sparql-auth`` asks for HTTP Digest, answered with
    ``$DEALGRAPH_USER`` / ``$DEALGRAPH_PASSWORD``. Its ASK answers (a row of
    ``__ASK_RETVAL``) are read as booleans.

>>> store = open_remote("http://127.0.0.1:7878/query", read_only=True)
>>> store.update_url
'http://127.0.0.1:7878/update'
"""

from __future__ import annotations

import base64
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Graph

from graph.bindings import bind_values, in_graph
from graph.errors import QueryError, StoreError
from graph.ns import CURATED_GRAPH, ID, PREFIXES
from graph.sandbox import refusal_message, refused_operation
from graph.store.base import BaseStore

__all__ = ["RemoteStore", "open_remote", "derive_update_url"]

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.95, text/turtle;q=0.9, "
    "application/sparql-results+xml;q=0.8, text/tab-separated-values;q=0.7, application/rdf+xml;q=0.5"
)
# dealgraph's graphs, not the server's own, nor the curated copy of the union (graph.curation)
_OURS = f'FILTER(STRSTARTS(STR(?g), "{ID}") && ?g != <{CURATED_GRAPH}>)'
_CURATED_RECHECK = 2.0  # seconds: how long a server on this store trusts what it learnt of the curated graph
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)


def derive_update_url(query_url: str) -> str:
    """The usual update URL of a query URL (see the module docstring).

    >>> derive_update_url("http://localhost:3030/ds/query")
    'http://localhost:3030/ds/update'
    >>> derive_update_url("http://localhost:7200/repositories/news")
    'http://localhost:7200/repositories/news/statements'
    >>> derive_update_url("http://localhost:8890/sparql")
    'http://localhost:8890/sparql'
    """
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path
    if path.endswith("/query"):
        path = path[: -len("query")] + "update"
    elif re.search(r"/repositories/[^/]+/?$", path):
        path = path.rstrip("/") + "/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _prologue(sparql: str) -> str:
    """PREFIX lines for the predeclared prefixes the text does not declare itself."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    # on the query's first line, so that the endpoint's error positions match the user's lines
    return "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items() if p not in declared)


def _substitute(sparql: str, substitutions: dict) -> str:
    """Bind variables with VALUES blocks (:func:`graph.bindings.bind_values`; every SPARQL 1.1 engine reads them)."""
    terms = {}
    for k, v in substitutions.items():
        name = k.value if isinstance(k, ox.Variable) else str(k)
        terms[name] = str(v if isinstance(v, (ox.NamedNode, ox.BlankNode, ox.Literal)) else ox.Literal(str(v)))
    return bind_values(sparql, terms)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


class RemoteStore(BaseStore):
    """A SPARQL 1.1 endpoint used as a dealgraph store; see the module docstring."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        read_only: bool = False,
        timeout: float = 60.0,
        batch_bytes: int = 1_000_000,
        batch_quads: int = 20_000,
        headers: dict[str, str] | None = None,
    ):
        parts = urllib.parse.urlsplit(query_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) SPARQL endpoint URL: {query_url!r}")
        if parts.username or parts.password:
            raise StoreError(
                "do not put credentials in the store URL; set DEALGRAPH_USER and DEALGRAPH_PASSWORD "
                "(or DEALGRAPH_TOKEN) in the environment"
            )
        self.query_url = query_url
        self.update_url = update_url or os.environ.get("DEALGRAPH_UPDATE_URL") or derive_update_url(query_url)
        self.location = query_url
        self.read_only = read_only
        self.timeout = timeout
        self.batch_bytes = batch_bytes
        self.batch_quads = batch_quads
        self.requests = 0  # HTTP requests sent (tests and benchmarks read it)
        self._headers = {"User-Agent": "dealgraph"} | _auth_headers() | (headers or {})
        self._opener = _opener(query_url, self.update_url)
        self._pending: list[str] = []
        self._pending_bytes = 0
        self._oxigraph: bool | None = None
        self.server: str | None = None  # the endpoint's Server header, once probed
        self._closed = False
        self.curated_view = True  # read the curated graph when there is one (False: a build, graph.curation)
        self._curated: tuple[bool, float] | None = None  # (the endpoint has it, when that was learnt)

    # --------------------------------------------------------------- HTTP
    def _post(self, url: str, form: dict[str, str], accept: str | None = None):
        """POST a form; return ``(media type, body bytes, headers)`` or raise."""
        self.requests += 1
        data = urllib.parse.urlencode(form).encode("utf-8")
        headers = dict(self._headers)
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return _media_type(resp.headers.get("Content-Type")), resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            detail = e.read(2000).decode("utf-8", "replace").strip()
            e.close()
            if e.code in (401, 403):
                raise StoreError(
                    f"the SPARQL endpoint at {url} refused access (HTTP {e.code}); "
                    "set DEALGRAPH_USER and DEALGRAPH_PASSWORD, or DEALGRAPH_TOKEN"
                ) from None
            raise _HTTPFailure(e.code, e.reason, detail) from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"cannot reach the SPARQL endpoint at {url}: {reason}") from e

    def _is_oxigraph(self) -> bool:
        if self._oxigraph is None:
            self._probe()
        return self._oxigraph

    def _probe(self) -> None:
        """One request: which server this is, and whether it holds the curated graph (graph.curation)."""
        ask = f"ASK {{ GRAPH <{CURATED_GRAPH}> {{ ?s ?p ?o }} }}"
        try:
            media, body, headers = self._post(self.query_url, {"query": ask}, "application/sparql-results+json")
        except _HTTPFailure as e:
            raise StoreError(f"the SPARQL endpoint at {self.query_url} does not answer queries: {e}") from None
        self.server = headers.get("Server") or ""
        self._oxigraph = self.server.lower().startswith("oxigraph")
        try:
            present = bool(
                _boolean_if_ask(ox.parse_query_results(body, format=_RESULTS.get(media, ox.QueryResultsFormat.JSON)))
            )
        except (SyntaxError, ValueError):
            present = False
        self._curated = (present, time.monotonic())

    def _reads_curated(self) -> bool:
        """Whether queries read the curated graph: it exists (asked again after ``_CURATED_RECHECK`` s) and
        this store is not building (``curated_view``)."""
        if not self.curated_view:
            return False
        if self._curated is None or time.monotonic() - self._curated[1] > _CURATED_RECHECK:
            self._probe()
        return self._curated[0]

    def mark_curated(self, present: bool) -> None:
        """Say that the curated graph now exists or not (``graph.curation`` wrote or dropped it)."""
        self._curated = (present, time.monotonic())

    def _query_url(self) -> str:
        if "union-default-graph" in self.query_url or not self._is_oxigraph():
            return self.query_url
        return self.query_url + ("&" if urllib.parse.urlsplit(self.query_url).query else "?") + "union-default-graph"

    # --------------------------------------------------------------- reading
    def query(self, sparql: str, *, substitutions: dict | None = None):
        """Run SPARQL on the endpoint; returns pyoxigraph solutions, a boolean or triples.

        The predeclared prefixes are added. Raises ``ValueError`` when the
        endpoint rejects the query (HTTP 400, with its message),
        :class:`StoreError` when it cannot be reached or fails, and
        :class:`~graph.errors.QueryError` for ``SERVICE`` or ``LOAD`` (nothing
        is sent).

        >>> store = open_remote("http://127.0.0.1:65530/query", read_only=True)
        >>> store.query("SELECT * WHERE { ?s ?p ?o .SERVICE <http://10.0.0.1/> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        graph.errors.QueryError: federated queries (SERVICE) are refused: dealgraph never fetches from the network
        >>> store.requests
        0
        """
        _refuse(sparql)
        self._check_open()
        self.flush()
        if substitutions:
            sparql = _substitute(sparql, substitutions)
        if self._reads_curated():  # the union with the corrections (graph.curation)
            sparql = in_graph(sparql, CURATED_GRAPH)
        try:
            media, body, _ = self._post(self._query_url(), {"query": _prologue(sparql) + sparql}, _ACCEPT)
        except _HTTPFailure as e:
            if 400 <= e.code < 500:
                raise ValueError(f"the SPARQL endpoint rejected the query: {e}") from None
            raise StoreError(f"the SPARQL endpoint at {self.query_url} failed: {e}") from None
        try:
            if media in _RESULTS:
                return _boolean_if_ask(ox.parse_query_results(body, format=_RESULTS[media]))
            if media in _GRAPHS:
                # Parsed into a scratch store and read back, so that callers get a
                # real ``QueryTriples`` as from the embedded store.
                scratch = ox.Store()
                scratch.load(body, format=_GRAPHS[media], to_graph=ox.DefaultGraph())
                return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        except SyntaxError as e:
            raise StoreError(f"the SPARQL endpoint at {self.query_url} sent an unreadable {media} answer: {e}") from e
        raise StoreError(f"the SPARQL endpoint at {self.query_url} answered with an unexpected type {media!r}")

    def count(self) -> int:
        """Number of quads in dealgraph's named graphs (not the server's own, e.g. Virtuoso's system graphs)."""
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}"))
        return int(rows[0]["n"].value) if rows else 0

    def named_graphs(self) -> list[str]:
        """dealgraph's named graphs on the endpoint."""
        return [r["g"].value for r in self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")]

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of dealgraph's named graphs (one request)."""
        for r in self.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}"):
            yield ox.Quad(r["s"], r["p"], r["o"], r["g"])

    # --------------------------------------------------------------- writing
    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update (predeclared prefixes added), after the queued writes.

        ``LOAD`` and ``SERVICE`` are refused (:class:`~graph.errors.QueryError`), nothing sent.
        """
        _refuse(sparql, update=True)
        self._check_writable()
        self.flush()
        self._send_update(_prologue(sparql) + sparql)

    def replace_graph(self, graph: Graph) -> None:
        """Replace the named graph ``graph.identifier`` (queued; see the module docstring)."""
        self._check_writable()
        g = f"<{graph.identifier}>"
        body = graph.serialize(format="nt")
        self._queue(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")

    def remove_graph(self, iri: str) -> None:
        self._check_writable()
        self._queue(f"DROP SILENT GRAPH {ox.NamedNode(iri)}")

    def clear(self) -> None:
        """Drop dealgraph's article graphs (not the endpoint's other graphs)."""
        self._check_writable()
        for g in self.named_graphs():
            if g.startswith(str(ID)):
                self.remove_graph(g)
        self.flush()

    def load_nquads(self, data: bytes) -> None:
        """Insert N-Quads in requests of ``batch_quads`` quads."""
        self._check_writable()
        self.flush()
        chunk: list[ox.Quad] = []
        for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            chunk.append(quad)
            if len(chunk) >= self.batch_quads:
                self._send_update(_insert_data(chunk))
                chunk = []
        if chunk:
            self._send_update(_insert_data(chunk))

    def flush(self) -> None:
        """Send the queued writes, all in one request."""
        if self._pending:
            ops, self._pending, self._pending_bytes = self._pending, [], 0
            self._send_update(" ;\n".join(ops))

    def close(self) -> None:
        if not self._closed:
            self.flush()
            self._closed = True

    def _queue(self, op: str) -> None:
        self._check_open()
        self._pending.append(op)
        self._pending_bytes += len(op)
        if self._pending_bytes >= self.batch_bytes:
            self.flush()

    def _send_update(self, text: str) -> None:
        try:
            self._post(self.update_url, {"update": text})
        except _HTTPFailure as e:
            raise StoreError(f"the SPARQL endpoint at {self.update_url} refused the update: {e}") from None

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the store at {self.location} is closed")


class _HTTPFailure(Exception):
    def __init__(self, code: int, reason: str, detail: str):
        self.code = code
        super().__init__(f"HTTP {code} {reason}" + (f": {detail}" if detail else ""))


def _refuse(sparql: str, update: bool = False) -> None:
    operation = refused_operation(sparql, update=update)
    if operation:
        raise QueryError(refusal_message(operation))


def _auth_headers() -> dict[str, str]:
    token = os.environ.get("DEALGRAPH_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("DEALGRAPH_USER")
    if user:
        pair = f"{user}:{os.environ.get('DEALGRAPH_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def _boolean_if_ask(results):
    """Virtuoso answers ASK with one row of ``__ASK_RETVAL`` (0 or 1), not a boolean: make it one."""
    if not isinstance(results, ox.QuerySolutions) or [v.value for v in results.variables] != ["__ASK_RETVAL"]:
        return results
    rows = list(results)
    value = bool(rows) and rows[0]["__ASK_RETVAL"] is not None and rows[0]["__ASK_RETVAL"].value not in ("0", "false")
    answer = b'{"head": {}, "boolean": %s}' % (b"true" if value else b"false")
    return ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)


def _opener(*urls: str) -> urllib.request.OpenerDirector:
    """An opener that also answers an HTTP Digest challenge (Virtuoso's ``/sparql-auth``) with
    ``$DEALGRAPH_USER`` / ``$DEALGRAPH_PASSWORD``; Basic and bearer credentials go in the headers."""
    user = os.environ.get("DEALGRAPH_USER")
    if not user or os.environ.get("DEALGRAPH_TOKEN"):
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in urls:
        passwords.add_password(None, url, user, os.environ.get("DEALGRAPH_PASSWORD", ""))
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))


def _insert_data(quads: list[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = []
    for g, lines in by_graph.items():
        body = "\n".join(lines)
        parts.append(f"GRAPH {g} {{\n{body}\n}}" if g else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def open_remote(
    url: str, read_only: bool = False, *, update_url: str | None = None, timeout: float = 60.0
) -> RemoteStore:
    """Open the SPARQL 1.1 endpoint at ``url`` as a store; see the module docstring.

    Nothing is sent until the first read or write.
    """
    return RemoteStore(url, update_url, read_only=read_only, timeout=timeout)
