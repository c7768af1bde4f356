"""Serve the graph over HTTP: a SPARQL 1.1 Protocol endpoint, a query page, the view.

:func:`create_app` builds a WSGI application over a store (embedded or
remote); :func:`make_server` puts it behind waitress (a maintained
production WSGI server), which only ``dealgraph serve`` starts;
:func:`request` answers one request in-process (``dealgraph serve --get
PATH`` and the tests).

Routes
    ``/sparql`` (also ``/query``)
        SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` form-encoded
        (``query=`` or ``update=``) or a direct body
        (``application/sparql-query``, ``application/sparql-update``).
        SELECT and ASK answer SPARQL JSON, XML, CSV or TSV, CONSTRUCT and
        DESCRIBE Turtle, N-Triples, JSON-LD or RDF/XML, chosen by the
        ``Accept`` header or a ``format=`` parameter (``json xml csv tsv
        ttl nt jsonld rdfxml``). Without a query: the service description.
        The service base IRI (for relative IRIs) is the endpoint's URL;
        ``default-graph-uri`` / ``named-graph-uri`` set a query's dataset,
        ``using-graph-uri`` / ``using-named-graph-uri`` an update's.
    ``/update``
        SPARQL Update only (``POST``).
    ``/store``
        SPARQL 1.1 Graph Store HTTP Protocol, graphs named indirectly
        (``?graph=IRI``, or ``?default`` for the union): ``GET``/``HEAD`` in
        Turtle, N-Triples, JSON-LD or RDF/XML; with updates allowed, ``PUT``
        (replace), ``POST`` (add; without a graph: a new graph, 201 with its
        IRI in ``Location``) and ``DELETE``. The default graph (the union) is
        read-only.
    ``/``
        A query page for the browser (files in ``graph/resources``, nothing
        from the network) with the saved questions as examples.
    ``/queries.json``
        The saved questions, their parameters bound to the defaults.
    ``/view``
        The interactive view of :mod:`graph.view` for the current store
        (``?focus=LABEL&depth=N&max_nodes=N``).

Limits and safety
    The predeclared prefixes and the union default graph are those of
    :meth:`graph.store.Store.query`. Read-only unless ``allow_update`` is set,
    and then only with ``Authorization: Bearer <token>``. ``SERVICE``
    (federation: the engine would fetch any URL) and ``LOAD`` are refused
    (403) by :func:`graph.sandbox.refused_operation`, and every evaluation
    runs where the kernel forbids network sockets (the worker processes
    whole, the query threads of a memory store), so that not even a
    spelling the check misreads can fetch anything.
    Queries longer than ``max_query_chars`` get 413; results longer than
    ``max_rows`` rows or triples get 400 with a message. At most ``workers``
    queries run at once, at most ``per_client`` of them for one client
    address; a request beyond waits at most ``queue_wait`` seconds behind at
    most ``max_waiting`` others (a free worker goes to the client that runs
    and recently used the least), then gets 503 (or 429 when only its own
    cap held it back), with ``Retry-After``. The server (see
    :func:`make_server`) reads whole requests before the application sees
    them, answers 408 to a request not received within ``request_timeout``
    and 400 to a body cut short. Every route is an exact match: no path
    reaches the file system.

Where queries run
    pyoxigraph cannot cancel a running query, and a hostile query can need
    unbounded time (a cartesian product with ORDER BY), memory, or stack (a
    few thousand nested groups overflow the parser's stack and would take
    the whole process down). So on a store folder (``dealgraph serve``'s
    case) every query and every /view is evaluated in one of ``workers``
    worker processes, each with the store open read-only and an address
    space limit of ``max_memory_mb`` above its start: at ``timeout`` the
    worker is killed and replaced and the answer is 503; a worker that
    runs out of memory or stack dies alone (503 or 400) and is replaced;
    the server itself goes on. With ``allow_update`` the server writes the
    store itself and the workers read consistent checkpoints of it
    (``pyoxigraph.Store.backup``: hard links, made after every update, so
    a reader sees an update whole or not at all, and sees it as soon as the
    update is answered). On a memory or remote store (tests, notebooks,
    ``serve --in-memory``) queries run on ``workers`` threads with a stack
    big enough for any query of ``max_query_chars``; there a blocking query
    that passes the deadline is answered 503 but keeps its thread until it
    ends (use a store folder for a server others can reach).

>>> from graph.store import open_store
>>> app = create_app(open_store("memory"))
>>> r = request(app, "/sparql?query=ASK%20%7B%7D")
>>> r.status, r.headers["Content-Type"], r.body
(200, 'application/sparql-results+json', b'{"head": {}, "boolean": true}\\n')
>>> request(app, "/view/../../etc/passwd").status
404
"""

from __future__ import annotations

import concurrent.futures
import hmac
import io
import json
import logging
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pyoxigraph as ox

from graph import sandbox
from graph.errors import DealGraphError, QueryError, StoreError
from graph.ns import OUTPUT_PREFIXES
from graph.query import Result, bind_parameters, saved_queries, to_json, to_turtle
from graph.sparql_errors import short_syntax_error
from graph.store import Store

__all__ = [
    "create_app", "make_server", "request", "SparqlApp", "Response",
    "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS", "DEFAULT_MAX_QUERY_CHARS",
]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_QUERY_CHARS = 100_000
DEFAULT_MAX_BODY = 10_000_000
DEFAULT_MAX_MEMORY_MB = 2048
DEFAULT_QUEUE_WAIT = 1.0  # seconds a request may wait for a query slot before 503
_STACK_PER_CHAR = 4096  # bytes of thread stack per query character: ~4x the worst case measured
RESOURCES = Path(__file__).resolve().parent / "resources"
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # where ``graph`` imports from, for the workers

# (media type, format key) in order of preference; aliases map to the same key.
_RESULT_TYPES = [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
    ("application/json", "json"), ("application/xml", "xml"), ("text/xml", "xml"),
]
_GRAPH_TYPES = [
    ("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "ttl"), ("application/turtle", "ttl"),
    ("text/plain", "nt"), ("application/json", "jsonld"), ("application/xml", "rdfxml"),
]
_RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
_GRAPH_MEDIA = {"ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
                "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
                "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML)}
_FORMAT_ALIASES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
                   "ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                   "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml"}

_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
             "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_STATIC = {
    "/": ("query_page.html", "text/html; charset=utf-8"),
    "/static/query_page.js": ("query_page.js", "text/javascript; charset=utf-8"),
    "/static/query_page.css": ("query_page.css", "text/css; charset=utf-8"),
}


@dataclass
class Response:
    """An HTTP answer: status code, headers and body."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class _TooLarge(Exception):
    pass


class _WorkerDied(Exception):
    """A query worker process ended while evaluating (out of memory or stack)."""

    def __init__(self, exitcode):
        super().__init__(exitcode)
        self.exitcode = exitcode


_REASONS = {200: "OK", 201: "Created", 204: "No Content", 303: "See Other", 400: "Bad Request",
            401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
            411: "Length Required", 413: "Content Too Large", 415: "Unsupported Media Type",
            429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class SparqlApp:
    """The WSGI application made by :func:`create_app`."""

    def __init__(self, store, *, allow_update=False, token=None, timeout=DEFAULT_TIMEOUT,
                 max_rows=DEFAULT_MAX_ROWS, max_query_chars=DEFAULT_MAX_QUERY_CHARS,
                 max_body=DEFAULT_MAX_BODY, workers=4, isolate=None, max_memory_mb=DEFAULT_MAX_MEMORY_MB,
                 queue_wait=DEFAULT_QUEUE_WAIT, max_waiting=None, per_client=None):
        if allow_update and not token:
            raise ValueError("allow_update needs a token: updates are only accepted with 'Authorization: Bearer <token>'")
        for name, value in (("timeout", timeout), ("max_rows", max_rows), ("max_query_chars", max_query_chars),
                            ("max_body", max_body), ("workers", workers), ("max_memory_mb", max_memory_mb)):
            if not value or value <= 0:
                raise ValueError(f"{name} must be positive, got {value!r}")
        self.store = store
        self.allow_update = allow_update
        self._token = token
        self.timeout = float(timeout)
        self.max_rows = int(max_rows)
        self.max_query_chars = int(max_query_chars)
        self.max_body = int(max_body)
        self.workers = int(workers)
        self.max_memory_mb = int(max_memory_mb)
        self._stack = max(64 * 2**20, _STACK_PER_CHAR * self.max_query_chars)
        # a remote store's queries are HTTP requests to its endpoint (which evaluates them; SERVICE and LOAD are
        # refused by their text before anything is sent): those threads keep the network
        self._pool = _thread_pool(self.workers, self._stack, deny_network=isinstance(store, Store))
        self.admission = _Admission(
            self.workers, wait=queue_wait,
            max_waiting=4 * self.workers if max_waiting is None else int(max_waiting),
            per_client=max(1, self.workers - 1) if per_client is None else int(per_client))
        self._write_lock = threading.Lock()
        on_disk = isinstance(store, Store) and store.location != "memory"
        if isolate is None:
            isolate = on_disk
        if isolate and not on_disk:
            raise ValueError("isolate=True needs a store folder (worker processes open it read-only)")
        self._procs = None
        self._snapshots = None
        if isolate:
            path = store.location
            if not store.read_only:  # we write it: the workers read checkpoints
                parent = Path(store.location).resolve().parent
                self._snapshots = Path(tempfile.mkdtemp(prefix=".dealgraph-serve-", dir=parent))
                path = self._checkpoint_locked()
            self._procs = _QueryProcesses(path, self.workers, self.max_memory_mb, self._stack, self._snapshots)

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            resp = self.handle(environ)
        except _HTTPError as e:
            resp = _error(e.status, str(e), e.headers)
        except Exception:  # noqa: BLE001 - the last line of defence: log it, answer 500, stay up
            log.exception("internal error on %s %s", method, environ.get("PATH_INFO"))
            resp = _error(500, "internal server error (see the server log)")
        headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", **resp.headers}
        body = b"" if method == "HEAD" else resp.body
        headers["Content-Length"] = str(len(resp.body))
        start_response(f"{resp.status} {_REASONS.get(resp.status, 'Unknown')}", list(headers.items()))
        return [body]

    def handle(self, environ) -> Response:
        """Route one request (``environ`` as in WSGI) and return a :class:`Response`."""
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path in ("/sparql", "/query", "/update"):
            allowed = ("POST",) if path == "/update" else ("GET", "HEAD", "POST")
            _allow(method, allowed)
            return self._sparql(environ, method, update_only=path == "/update")
        if path == "/store":
            _allow(method, ("GET", "HEAD", "PUT", "POST", "DELETE"))
            return self._graph_store(environ, method)
        if path in _STATIC:
            _allow(method, ("GET", "HEAD"))
            name, media = _STATIC[path]
            headers = {"Content-Type": media, "Cache-Control": "no-cache"}
            if media.startswith("text/html"):
                headers |= {"Content-Security-Policy": _PAGE_CSP, "X-Frame-Options": "DENY"}
            return Response(200, (RESOURCES / name).read_bytes(), headers)
        if path == "/queries.json":
            _allow(method, ("GET", "HEAD"))
            return Response(200, json.dumps(_examples(), ensure_ascii=False, indent=1).encode("utf-8"),
                            {"Content-Type": "application/json"})
        if path == "/view":
            _allow(method, ("GET", "HEAD"))
            return self._view(environ)
        raise _HTTPError(404, f"not found: {path}; try / (the query page), /sparql or /view")

    # ------------------------------------------------------------------ SPARQL
    def _sparql(self, environ, method, update_only=False) -> Response:
        params = _parse_qs(environ.get("QUERY_STRING", ""))
        kind, text = None, None
        if method == "POST":
            media = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
            body = self._read_body(environ)
            if media == "application/x-www-form-urlencoded":
                form = _parse_qs(_decode(body, "request body"))
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif media == "application/sparql-query":
                kind, text = "query", _decode(body, "query")
            elif media == "application/sparql-update":
                kind, text = "update", _decode(body, "update")
            else:
                raise _HTTPError(415, f"unsupported Content-Type {media or '(none)'!r}; POST application/sparql-query, "
                                      "application/sparql-update or application/x-www-form-urlencoded")
        for k in ("query", "update"):
            if len(params.get(k, [])) > 1:
                raise _HTTPError(400, f"more than one {k} parameter")
            if k in params:
                if kind is not None:
                    raise _HTTPError(400, "give one query or one update per request")
                if method != "POST" and k == "update":
                    raise _HTTPError(400, "updates must be sent with POST")
                kind, text = k, params[k][0]
        if kind is None:
            if update_only:
                raise _HTTPError(400, "no update given: POST update=... or an application/sparql-update body")
            return self._service_description(environ, params)
        if update_only and kind == "query":
            raise _HTTPError(400, "this is the update endpoint; send queries to /sparql")
        if not text.strip():
            raise _HTTPError(400, f"the {kind} is empty")
        if kind == "query" and len(text) > self.max_query_chars:
            raise _HTTPError(413, f"the {kind} is {len(text):,} characters long; this server accepts at most "
                                  f"{self.max_query_chars:,}")
        refused = sandbox.refused_operation(text, update=kind == "update")
        if refused:  # the message; what guarantees it is the evaluation's network filter (graph.sandbox)
            raise _HTTPError(403, sandbox.refusal_message(refused))
        if kind == "update":
            return self._update(environ, text, params)
        return self._query(environ, params, text)

    def _read_body(self, environ) -> bytes:
        if "chunked" in (environ.get("HTTP_TRANSFER_ENCODING") or "").lower():
            raise _HTTPError(411, "chunked request bodies are not supported; send a Content-Length")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _HTTPError(400, "bad Content-Length") from None
        if length < 0:
            raise _HTTPError(400, "bad Content-Length")
        if length > self.max_body:
            raise _HTTPError(413, f"the request body is {length:,} bytes; this server accepts at most {self.max_body:,}")
        return environ["wsgi.input"].read(length) if length else b""

    def _query(self, environ, params, text) -> Response:
        fmt = _requested_format(params)
        for p in ("using-graph-uri", "using-named-graph-uri"):
            if p in params:
                raise _HTTPError(400, f"the {p} parameter is for updates; a query takes default-graph-uri and named-graph-uri")
        dataset = {}
        if "default-graph-uri" in params or "named-graph-uri" in params:
            if not isinstance(self.store, Store):
                raise _HTTPError(400, "default-graph-uri and named-graph-uri are only supported on an embedded store")
            dataset = {"default_graph": params.get("default-graph-uri"), "named_graphs": params.get("named-graph-uri", [])}
        if isinstance(self.store, Store):  # relative IRIs resolve against the endpoint (a remote store has its own)
            dataset["base_iri"] = _base_iri(environ)
        result = self._bounded(("query", text, dataset), "query", _client(environ))
        accept = environ.get("HTTP_ACCEPT", "")
        if result.kind == "graph":
            key = fmt if fmt in _GRAPH_MEDIA else _negotiate(accept, _GRAPH_TYPES, "ttl")
            media, body = _rdf_body(result, key)
            return Response(200, body, {"Content-Type": media, "Cache-Control": "no-store"})
        key = fmt if fmt in _RESULT_MEDIA else _negotiate(accept, _RESULT_TYPES, "json")
        body = to_json(result).encode("utf-8")
        if key != "json":
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format={"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
                                            "tsv": ox.QueryResultsFormat.TSV}[key])
        return Response(200, body, {"Content-Type": _RESULT_MEDIA[key], "Cache-Control": "no-store"})

    def _update(self, environ, text, params=None) -> Response:
        self._authorize(environ)
        params = params or {}
        for p in ("default-graph-uri", "named-graph-uri"):
            if p in params:
                raise _HTTPError(400, f"the {p} parameter is for queries; an update takes using-graph-uri and "
                                      "using-named-graph-uri")
        if "using-graph-uri" in params or "using-named-graph-uri" in params:
            text = _with_using(text, params.get("using-graph-uri", []), params.get("using-named-graph-uri", []))
        self._bounded(("update", text, _base_iri(environ)), "update", _client(environ))
        return Response(204)

    def _authorize(self, environ) -> None:
        """Refuse a write unless updates are on and the request carries the token."""
        if not self.allow_update:
            raise _HTTPError(403, "this endpoint is read-only: updates are refused "
                                  "(start dealgraph serve with --allow-update and a token to accept them)")
        auth = environ.get("HTTP_AUTHORIZATION") or ""
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self._token.encode()):
            raise _HTTPError(401, "updates need 'Authorization: Bearer <token>' with this server's token",
                             {"WWW-Authenticate": 'Bearer realm="dealgraph"'})

    def _checkpoint_locked(self) -> str:
        """A new consistent checkpoint of the store for the workers (call with writes excluded)."""
        target = self._snapshots / f"{time.monotonic_ns()}"
        self.store.backup(target)
        return str(target)

    def _run_here(self, job, deadline):
        """Evaluate ``job`` in this process (a pool thread)."""
        if job[0] == "update":
            with self._write_lock:
                if isinstance(self.store, Store):
                    self.store.update(job[1], base_iri=job[2])
                else:
                    self.store.update(job[1])
                if self._procs is not None:
                    self._procs.publish(self._checkpoint_locked)
            return None
        return _run_job(self.store, job, deadline, self.max_rows)

    def _bounded(self, job, what, client="-"):
        """Run ``job`` on a worker once admitted; map its errors and the deadline to HTTP answers."""
        try:
            self.admission.acquire(client)
        except _Busy as e:
            raise _HTTPError(e.status, str(e), {"Retry-After": "1"}) from None
        started = time.monotonic()
        deadline = started + self.timeout

        def release(_=None):
            self.admission.release(client, time.monotonic() - started)

        try:
            if self._procs is not None and job[0] != "update":
                try:
                    return self._procs.run(job, deadline, self.max_rows)
                finally:
                    release()
            try:
                future = self._pool.submit(self._run_here, job, deadline)
            except RuntimeError:
                release()
                raise _HTTPError(503, "the server is shutting down") from None
            future.add_done_callback(release)
            return future.result(timeout=self.timeout)
        except _WorkerDied as e:
            if e.exitcode == -signal.SIGSEGV:
                raise _HTTPError(400, f"the {what} is too deeply nested to evaluate; simplify it") from None
            raise _HTTPError(503, f"the {what} needed more than this server's memory limit "
                                  f"({self.max_memory_mb:,} MB); narrow it down or add LIMIT", {"Retry-After": "1"}) from None
        except (concurrent.futures.TimeoutError, TimeoutError):
            raise _HTTPError(503, f"the {what} took longer than {self.timeout:g} s, this server's limit; "
                                  "narrow it down or add LIMIT", {"Retry-After": "1"}) from None
        except _TooLarge as e:
            raise _HTTPError(400, str(e)) from None
        except QueryError as e:
            raise _HTTPError(400, str(e)) from None
        except SyntaxError as e:
            raise _HTTPError(400, short_syntax_error(str(e), job[1] if isinstance(job[1], str) else None)) from None
        except StoreError as e:
            status = 403 if "read-only" in str(e) else 500
            raise _HTTPError(status, str(e)) from None
        except DealGraphError as e:
            raise _HTTPError(500, str(e)) from None
        except (OSError, ValueError) as e:
            raise _HTTPError(400, f"{what} failed: {e}") from None

    # ------------------------------------------------------------------ Graph Store HTTP Protocol
    def _graph_store(self, environ, method) -> Response:
        """``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, graphs named by ``?graph=IRI`` or ``?default``."""
        params = _parse_qs(environ.get("QUERY_STRING", ""))
        names = params.get("graph", [])
        if len(names) > 1 or (names and "default" in params):
            raise _HTTPError(400, "name one graph: ?graph=IRI or ?default")
        client = _client(environ)
        if not names and "default" not in params:
            if method != "POST":
                raise _HTTPError(400, "name a graph: ?graph=IRI (a named graph) or ?default (the union of them all)")
            self._authorize(environ)
            iri = f"{_base_iri(environ)}/{uuid.uuid4().hex}"  # a new graph, named by the store
            self._write_graph(environ, "POST", ox.NamedNode(iri), client)
            return Response(201, b"", {"Location": iri, "Content-Type": "text/plain"})
        node = None
        if names:
            try:
                node = ox.NamedNode(names[0])
            except ValueError:
                raise _HTTPError(400, f"the graph IRI is not a valid absolute IRI: {names[0]!r}") from None
        if method in ("GET", "HEAD"):
            return self._read_graph(environ, params, node, client)
        self._authorize(environ)
        if node is None:
            raise _HTTPError(405, "the default graph is the union of the named graphs and cannot be written; "
                                  "write a named graph (?graph=IRI)", {"Allow": "GET, HEAD"})
        existed = self._graph_exists(node, client)
        if method == "DELETE":
            if not existed:
                raise _HTTPError(404, f"no graph {node}")
            self._bounded(("update", f"DROP GRAPH {node}", _base_iri(environ)), "update", client)
            return Response(204)
        self._write_graph(environ, method, node, client)
        return Response(204 if existed else 201)

    def _graph_exists(self, node, client) -> bool:
        return self._bounded(("query", f"ASK {{ GRAPH {node} {{ }} }}", {}), "query", client).boolean

    def _read_graph(self, environ, params, node, client) -> Response:
        fmt = _requested_format(params)
        pattern = "{ ?s ?p ?o }" if node is None else f"{{ GRAPH {node} {{ ?s ?p ?o }} }}"
        result = self._bounded(("query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}", {}), "query", client)
        if node is not None and not result.triples and not self._graph_exists(node, client):
            raise _HTTPError(404, f"no graph {node}")
        key = fmt if fmt in _GRAPH_MEDIA else _negotiate(environ.get("HTTP_ACCEPT", ""), _GRAPH_TYPES, "ttl")
        media, body = _rdf_body(result, key)
        return Response(200, body, {"Content-Type": media, "Cache-Control": "no-store"})

    def _write_graph(self, environ, method, node, client) -> None:
        """PUT (replace) or POST (add to) the graph ``node`` with the triples of the request body."""
        body = self._read_body(environ)
        media = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
        if media == "multipart/form-data" and method == "POST":
            parts = _multipart(environ.get("CONTENT_TYPE", ""), body)
        else:
            parts = [(media, body)]
        triples = []
        for part_media, data in parts:
            if part_media not in _RDF_INPUT:
                raise _HTTPError(415, f"unsupported Content-Type {part_media or '(none)'!r}; send "
                                      + ", ".join(sorted(_RDF_INPUT)))
            try:
                triples += [ox.Triple(q.subject, q.predicate, q.object)
                            for q in ox.parse(data, format=_RDF_INPUT[part_media], base_iri=node.value)]
            except (SyntaxError, ValueError) as e:
                raise _HTTPError(400, f"cannot parse the {part_media} body: {e}") from None
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        steps = [f"DROP SILENT GRAPH {node}"] if method == "PUT" else []
        steps += [f"CREATE SILENT GRAPH {node}", f"INSERT DATA {{ GRAPH {node} {{\n{data}}} }}"]
        self._bounded(("update", " ;\n".join(steps), _base_iri(environ)), "update", client)

    # ------------------------------------------------------------------ others
    def _service_description(self, environ, params) -> Response:
        accept = environ.get("HTTP_ACCEPT", "")
        if _negotiate(accept, [("text/html", "html")] + _GRAPH_TYPES, "ttl") == "html" and "format" not in params:
            return Response(303, b"", {"Location": "/", "Content-Type": "text/plain"})
        fmt = _requested_format(params)
        key = fmt if fmt in _GRAPH_MEDIA else _negotiate(accept, _GRAPH_TYPES, "ttl")
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
        endpoint = f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO') or '/sparql'}"
        try:
            endpoint_term = str(ox.NamedNode(endpoint))
        except ValueError:
            endpoint_term = "<urn:dealgraph:sparql>"
        formats = " , ".join(f"formats:{f}" for f in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
        languages = "sd:SPARQL11Query" + (" , sd:SPARQL11Update" if self.allow_update else "")
        ttl = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            "@prefix formats: <http://www.w3.org/ns/formats/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f"[] a sd:Service ;\n  sd:endpoint {endpoint_term} ;\n  sd:supportedLanguage {languages} ;\n"
            f"  sd:feature sd:UnionDefaultGraph ;\n  sd:resultFormat {formats} ;\n"
            '  rdfs:comment "dealgraph: business news as a knowledge graph. The default graph is the union of '
            'the article graphs; SERVICE and LOAD are refused." .\n'
        )
        media, rdf_format = _GRAPH_MEDIA[key]
        triples = list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
        body = ox.serialize(triples, format=rdf_format, **({"prefixes": OUTPUT_PREFIXES | {
            "sd": "http://www.w3.org/ns/sparql-service-description#", "formats": "http://www.w3.org/ns/formats/"}}
            if rdf_format == ox.RdfFormat.TURTLE else {}))
        return Response(200, body, {"Content-Type": media})

    def _view(self, environ) -> Response:
        params = _parse_qs(environ.get("QUERY_STRING", ""))
        options = {}
        if params.get("focus", [""])[0]:
            options["focus"] = params["focus"][0]
        for name in ("depth", "max_nodes"):
            if name in params:
                try:
                    options[name] = int(params[name][0])
                except ValueError:
                    raise _HTTPError(400, f"{name} must be an integer, got {params[name][0]!r}") from None
                if options[name] < (0 if name == "depth" else 1):
                    raise _HTTPError(400, f"{name} is out of range: {options[name]}")

        page = self._bounded(("view", options), "view", _client(environ))
        return Response(200, page.encode("utf-8"),
                        {"Content-Type": "text/html; charset=utf-8", "X-Frame-Options": "DENY",
                         "Cache-Control": "no-store"})

    def close(self) -> None:
        """Stop the worker processes and threads (running threads finish first)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._procs is not None:
            self._procs.close()
        if self._snapshots is not None:
            shutil.rmtree(self._snapshots, ignore_errors=True)


def create_app(store, *, allow_update=False, token=None, timeout=DEFAULT_TIMEOUT, max_rows=DEFAULT_MAX_ROWS,
               max_query_chars=DEFAULT_MAX_QUERY_CHARS, max_body=DEFAULT_MAX_BODY, workers=4, isolate=None,
               max_memory_mb=DEFAULT_MAX_MEMORY_MB, queue_wait=DEFAULT_QUEUE_WAIT, max_waiting=None,
               per_client=None) -> SparqlApp:
    """A WSGI application serving ``store`` (see the module docstring).

    Parameters
    ----------
    store : graph.store.Store or graph.remote.RemoteStore
        What to serve.
    allow_update : bool
        Accept SPARQL Update (``POST``), only with ``Authorization: Bearer <token>``.
    token : str
        The bearer token; required with ``allow_update``.
    timeout : float
        Seconds a query may run before the answer is 503.
    max_rows : int
        Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in an answer; more is a 400.
    max_query_chars, max_body : int
        Longest query or update text, and largest request body (413 beyond).
    workers : int
        Queries evaluated at the same time.
    isolate : bool, optional
        Evaluate queries in worker processes that are killed at the deadline
        (see the module docstring). Default: yes for a store folder, no for a
        memory or remote store (where it is not possible).
    max_memory_mb : int
        With ``isolate``: the memory a worker may take for one query.
    queue_wait : float
        Seconds a request may wait for a free worker before 503 (with ``Retry-After``).
    max_waiting : int, optional
        Requests that may wait at once (default ``4 * workers``); more get 503 at once.
    per_client : int, optional
        Queries one client (address) may run at once (default ``workers - 1``, at
        least 1); a request beyond waits, then gets 429.

    Raises
    ------
    ValueError
        ``allow_update`` without a token, or a limit that is not positive.

    Examples
    --------
    >>> from graph.store import open_store
    >>> app = create_app(open_store("memory"))
    >>> r = request(app, "/sparql", method="POST", body=b"query=SELECT%20(1%20AS%20%3Fx)%20%7B%7D",
    ...             headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    >>> r.status, r.body
    (200, b'x\\r\\n1\\r\\n')
    >>> r = request(app, "/sparql", method="POST", body=b"INSERT DATA { <x:a> <x:b> <x:c> }",
    ...             headers={"Content-Type": "application/sparql-update"})
    >>> r.status, r.text.split(":")[0]
    (403, 'this endpoint is read-only')
    """
    return SparqlApp(store, allow_update=allow_update, token=token, timeout=timeout, max_rows=max_rows,
                     max_query_chars=max_query_chars, max_body=max_body, workers=workers, isolate=isolate,
                     max_memory_mb=max_memory_mb, queue_wait=queue_wait, max_waiting=max_waiting,
                     per_client=per_client)


# ---------------------------------------------------------------------- admission


class _Busy(Exception):
    """No query slot came free within the wait (503), or the client is at its own cap (429)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _Admission:
    """Who runs next: ``slots`` jobs at once, a short fair queue before them, a cap per client.

    A request waits at most ``wait`` seconds for a slot, behind at most
    ``max_waiting`` others; beyond either it is refused at once (503, or 429
    when the slots were free but its client was at its cap). One client (one
    address) runs at most ``per_client`` jobs at a time, so it cannot hold
    every worker. When a slot comes free it goes to the waiting request whose
    client runs the fewest jobs, then whose client used the least worker time
    lately (decaying with a half-life of ``half_life`` seconds), then the one
    that came first: a client sending cheap queries is not stuck behind one
    that keeps the workers busy.

    >>> a = _Admission(2, per_client=1, max_waiting=4, wait=0.05)
    >>> a.acquire("10.0.0.1"); a.acquire("10.0.0.2")
    >>> try:
    ...     a.acquire("10.0.0.1")
    ... except _Busy as e:
    ...     print(e.status)
    503
    >>> a.release("10.0.0.2", 0.01); a.acquire("10.0.0.3"); a.release("10.0.0.3", 0.01)
    >>> try:
    ...     a.acquire("10.0.0.1")
    ... except _Busy as e:
    ...     print(e.status)
    429
    """

    def __init__(self, slots: int, *, per_client: int, max_waiting: int, wait: float, half_life: float = 10.0):
        for name, value in (("slots", slots), ("per_client", per_client), ("wait", wait)):
            if not value or value <= 0:
                raise ValueError(f"{name} must be positive, got {value!r}")
        if max_waiting < 0:
            raise ValueError(f"max_waiting must not be negative, got {max_waiting!r}")
        self.slots, self.per_client, self.max_waiting, self.wait = slots, per_client, max_waiting, float(wait)
        self._half_life = half_life
        self._cond = threading.Condition()
        self._free = slots
        self._running: dict[str, int] = {}
        self._usage: dict[str, tuple[float, float]] = {}  # client -> (worker seconds, when)
        self._waiting: list[tuple[int, str]] = []
        self._seq = 0

    @property
    def capacity(self) -> int:
        """Requests that can be inside at once: running plus waiting."""
        return self.slots + self.max_waiting

    def _cost(self, client: str, now: float) -> float:
        used, when = self._usage.get(client, (0.0, now))
        return used * 0.5 ** ((now - when) / self._half_life)

    def _may_run(self, client: str) -> bool:
        return self._free > 0 and self._running.get(client, 0) < self.per_client

    def _next(self) -> tuple[int, str] | None:
        now = time.monotonic()
        ready = [t for t in self._waiting if self._may_run(t[1])]
        if not ready:
            return None
        return min(ready, key=lambda t: (self._running.get(t[1], 0), self._cost(t[1], now), t[0]))

    def _take(self, client: str) -> None:
        self._free -= 1
        self._running[client] = self._running.get(client, 0) + 1

    def acquire(self, client: str) -> None:
        """Take a slot for ``client`` or raise :class:`_Busy` (at most ``wait`` seconds)."""
        with self._cond:
            if not self._waiting and self._may_run(client):
                self._take(client)
                return
            if len(self._waiting) >= self.max_waiting:
                raise _Busy(503, f"the server is busy ({self.slots} queries running, {len(self._waiting)} waiting); "
                                 "try again shortly")
            self._seq += 1
            ticket = (self._seq, client)
            self._waiting.append(ticket)
            deadline = time.monotonic() + self.wait
            try:
                while self._next() != ticket:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        if self._free > 0 and self._running.get(client, 0) >= self.per_client:
                            raise _Busy(429, f"this client already runs {self._running[client]} queries, the most "
                                             "this server allows one client; wait for them")
                        raise _Busy(503, f"the server is busy (every query worker is running); waited {self.wait:g} s, "
                                         "try again shortly")
                    self._cond.wait(remaining)
                self._take(client)
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def release(self, client: str, seconds: float) -> None:
        """Give back ``client``'s slot after a job of ``seconds``."""
        with self._cond:
            self._free += 1
            n = self._running.get(client, 1) - 1
            if n > 0:
                self._running[client] = n
            else:
                self._running.pop(client, None)
            now = time.monotonic()
            self._usage[client] = (self._cost(client, now) + seconds, now)
            if len(self._usage) > 4096:  # forget clients whose use has decayed away
                self._usage = {c: u for c, u in self._usage.items() if self._cost(c, now) > 0.01 or c in self._running}
            self._cond.notify_all()


# ---------------------------------------------------------------------- evaluation


def _thread_pool(workers: int, stack: int, deny_network: bool = True) -> concurrent.futures.ThreadPoolExecutor:
    """A pool of ``workers`` threads with ``stack`` bytes of stack each, started now.

    ``threading.stack_size`` applies to threads created while it is set, and
    the executor starts threads lazily: ``workers`` tasks that wait for each
    other make it start them all at once.
    """
    pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="dealgraph-query")
    barrier = threading.Barrier(workers + 1)

    def start():  # each thread denies itself the network (graph.sandbox) before it evaluates anything
        try:
            if deny_network:
                sandbox.deny_network()
        finally:
            barrier.wait()

    with _STACK_LOCK:
        previous = threading.stack_size(stack)
        try:
            started = [pool.submit(start) for _ in range(workers)]
            barrier.wait()
        finally:
            threading.stack_size(previous)
    for f in started:
        if f.exception() is not None:
            pool.shutdown(wait=False)
            raise f.exception()
    return pool


_STACK_LOCK = sandbox.STACK_LOCK


def _run_job(store, job, deadline, max_rows):
    """Evaluate a read job (``("query", text, dataset)`` or ``("view", options)``) on ``store``."""
    if job[0] == "view":
        from graph.network import to_networkx
        from graph.view import to_html

        try:
            return to_html(to_networkx(store), title="dealgraph", **job[1])
        except ValueError as e:
            raise QueryError(str(e)) from e
    _, text, dataset = job
    return _evaluate(store, text, deadline, dataset, max_rows)


def _evaluate(store, text, deadline, dataset, max_rows) -> Result:
    """Run a query on the store, materialising at most ``max_rows`` answers before ``deadline``.

    pyoxigraph's result objects may only be dropped on the thread that made
    them: ``res`` is cleared here, before any exception leaves this frame.
    """
    res = None
    try:
        res = store.query(text, **dataset)
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            triples = []
            for t in res:
                triples.append(t)
                _check_size(len(triples), deadline, "triples", max_rows)
            return Result("graph", triples=triples)
        names = [v.value for v in res.variables]
        terms = []
        for sol in res:
            terms.append(tuple(sol[n] for n in names))
            _check_size(len(terms), deadline, "rows", max_rows)
    except SyntaxError as e:
        raise QueryError(short_syntax_error(str(e), text)) from None
    except (OSError, RuntimeError, ValueError) as e:
        raise QueryError(f"query failed: {sandbox.safe_message(e)}") from None
    finally:
        res = None
    return Result("select", names, [], terms)


def _check_size(n, deadline, what, max_rows):
    if n > max_rows:
        raise _TooLarge(f"the result has more than {max_rows:,} {what}, the limit of this server; "
                        f"add LIMIT (and OFFSET to page) to the query")
    if n % 256 == 0 and time.monotonic() > deadline:
        raise TimeoutError


# The exceptions a worker process may send back, by name.
_SENDABLE = {"QueryError": QueryError, "_TooLarge": _TooLarge, "TimeoutError": TimeoutError,
             "StoreError": StoreError, "ValueError": ValueError}


def _worker_main(fd, memory_mb, stack):  # pragma: no cover - runs in a child process
    """A query worker: open the folder it is told, evaluate jobs one at a time, forever.

    Started by :class:`_QueryProcesses` as ``python -c`` with one end of a
    socket pair (``fd``); jobs and replies travel pickled over it.
    """
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server; it stops us
    try:  # before any store is open: every thread of this process, now and later, is off the network
        sandbox.deny_network(all_threads=True)
    except sandbox.SandboxError as e:  # fail closed: answer every job with the reason, evaluate nothing
        while True:
            try:
                if conn.recv() is None:
                    return
                conn.send(("error", "StoreError", str(e)))
            except (EOFError, OSError, ValueError):
                return
    threading.stack_size(stack)
    worker = threading.Thread(target=_worker_loop, args=(conn, memory_mb), name="dealgraph-query")
    worker.start()
    worker.join()


def _limit_memory(memory_mb):  # pragma: no cover - runs in a child process
    """Cap the address space at what the worker uses now plus ``memory_mb`` (and slack for re-opening)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
        limit = vm + (memory_mb + 512) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, StopIteration):
        pass  # no /proc: no limit; the deadline still holds


def _worker_loop(conn, memory_mb):  # pragma: no cover - runs in a child process
    store, opened, limited = None, None, False
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, job, deadline, max_rows = message
        try:
            if path != opened:
                store = None
                store = Store(ox.Store.read_only(path), path, read_only=True)
                opened = path
                if not limited:  # once the store's threads and caches exist
                    _limit_memory(memory_mb)
                    limited = True
            reply = ("ok", _run_job(store, job, deadline, max_rows))
        except tuple(_SENDABLE.values()) as e:
            reply = ("error", type(e).__name__, str(e))
        except (OSError, RuntimeError) as e:
            reply = ("error", "StoreError", f"cannot read the store: {e}")
        except Exception as e:  # noqa: BLE001 - reported to the server, which answers 500 and goes on
            reply = ("error", "internal", f"{type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: object
    path: str | None = None


class _QueryProcesses:
    """``n`` worker processes evaluating read jobs on a store folder; killed at the deadline."""

    def __init__(self, path, n, memory_mb, stack, snapshots=None):
        self._memory_mb, self._stack = memory_mb, stack
        self._path = path
        self._snapshots = snapshots
        self._lock = threading.Lock()
        self._idle: queue.Queue = queue.Queue()
        self._workers: dict[int, _Worker] = {}
        self._closed = False
        for _ in range(n):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        """Start a worker: a fresh interpreter (no inherited threads or locks, no re-run of ``__main__``)."""
        here, there = socket.socketpair()
        code = f"from graph.server import _worker_main; _worker_main({there.fileno()}, {self._memory_mb}, {self._stack})"
        env = {**os.environ, "MALLOC_ARENA_MAX": "2",  # fewer 64 MB malloc arenas under the address-space cap
               "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([sys.executable, "-c", code], pass_fds=[there.fileno()], env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        there.close()
        worker = _Worker(process, Connection(here.detach()))
        with self._lock:
            self._workers[id(worker)] = worker
        return worker

    def _replace(self, worker: _Worker) -> int | None:
        """Kill ``worker`` (our own child, by PID), reap it, start another in its place."""
        process = worker.process
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)  # our own child; its pid is not reused before we reap it
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        worker.conn.close()
        with self._lock:
            self._workers.pop(id(worker), None)
        if not self._closed:
            self._idle.put(self._spawn())
        self._cleanup()
        code = process.returncode
        reason = "killed at the deadline" if code == -signal.SIGKILL else f"ended with status {code}"
        log.warning("query worker %s %s; started another", process.pid, reason)
        return code

    def publish(self, make) -> None:
        """Make a new checkpoint (``make()`` returns its folder) the one the next jobs read."""
        with self._lock:  # no clean-up lists the snapshots while one is half made
            self._path = make()
        self._cleanup()

    def _cleanup(self) -> None:
        """Delete the checkpoints no worker has open and no job will open."""
        if self._snapshots is None:
            return
        with self._lock:
            keep = {self._path} | {w.path for w in self._workers.values()}
            old = [d for d in self._snapshots.iterdir() if str(d) not in keep]
        for d in old:  # no job can pick these up any more: only the current one is handed out
            shutil.rmtree(d, ignore_errors=True)

    def run(self, job, deadline, max_rows):
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError from None
        path = self._path
        with self._lock:
            worker.path = path  # from now on it may have ``path`` open (and not its old one)
        try:
            worker.conn.send((path, job, deadline, max_rows))
            done = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            reply = worker.conn.recv() if done else None
        except (EOFError, OSError):
            raise _WorkerDied(self._replace(worker)) from None
        if reply is None:
            self._replace(worker)
            raise TimeoutError
        self._idle.put(worker)
        self._cleanup()
        if reply[0] == "ok":
            return reply[1]
        _, name, message = reply
        if name in _SENDABLE:
            raise _SENDABLE[name](message)
        raise DealGraphError(message)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers.values())
        for w in workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in workers:
            try:
                w.process.wait(2)
            except subprocess.TimeoutExpired:
                os.kill(w.process.pid, signal.SIGKILL)
                w.process.wait(5)
            w.conn.close()


# ---------------------------------------------------------------------- serving

DEFAULT_REQUEST_TIMEOUT = 10.0  # seconds a client may take to send one whole request (headers and body)
DEFAULT_IDLE_TIMEOUT = 30  # seconds a keep-alive connection may sit idle
DEFAULT_CONNECTIONS = 200  # open connections in all
DEFAULT_CONNECTIONS_PER_CLIENT = 32  # open connections from one address


def _raw_response(status: int, message: str) -> bytes:
    """A complete ``Connection: close`` HTTP/1.1 answer, for the server's own refusals."""
    body = (message + "\n").encode("utf-8")
    reason = {400: "Bad Request", 408: "Request Timeout", 503: "Service Unavailable"}[status]
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n"
            + ("Retry-After: 1\r\n" if status == 503 else "") + "\r\n")
    return head.encode("ascii") + body


def _channel_class(base, request_timeout: float, per_client: int):
    """waitress's connection class with a deadline on whole requests and a per-address cap.

    waitress reads requests on its I/O thread and hands only complete ones to
    the application threads, so a slow client never holds a query worker; its
    own ``channel_timeout`` counts from the last byte received, though, so a
    client sending one byte now and then would keep its connection for ever.
    Here a request must arrive whole within ``request_timeout`` seconds of its
    first byte (or the answer is 408 and the connection closes), a body that
    ends early (the client closed its side) is answered 400 at once, and one
    address may hold at most ``per_client`` connections (more get 503).
    """

    class Channel(base):
        request_started = None  # time.monotonic() of the first byte of the request being received
        refused = False
        _per_address: dict = {}

        def __init__(self, server, sock, addr, adj, map=None):
            super().__init__(server, sock, addr, adj, map=map)
            self._address = addr[0] if isinstance(addr, tuple) and addr else str(addr)
            with _CHANNELS_LOCK:
                n = self._per_address.get(self._address, 0) + 1
                self._per_address[self._address] = n
            if n > per_client:
                self.refuse(503, f"too many connections from {self._address} (this server allows {per_client}); "
                                 "close some and try again")

        def received(self, data):
            if data and self.request is None and self.request_started is None:
                self.request_started = time.monotonic()
            result = super().received(data)
            if self.request is None:
                self.request_started = None
            return result

        def refuse(self, status: int, message: str) -> None:
            """Answer ``status`` now (on the I/O thread) and close after sending it."""
            if self.refused or self.socket is None:
                return
            self.refused = True
            payload = _raw_response(status, message)
            with self.outbuf_lock:
                self.outbufs[-1].append(payload)
                self.current_outbuf_count += len(payload)
                self.total_outbufs_len += len(payload)
            self.request = None
            self.close_when_flushed = True
            self.server.pull_trigger()

        def check_deadline(self, now: float) -> None:
            started = self.request_started
            if started is not None and not self.requests and now - started > request_timeout:
                self.request_started = None
                self.refuse(408, f"the request did not arrive whole within {request_timeout:g} s")

        def handle_close(self):
            partial = self.request
            if partial is not None and not self.refused and self.socket is not None and partial.headers_finished:
                try:  # the client closed its side in the middle of a body: say so before closing ours
                    self.socket.send(_raw_response(400, "the request body ended before its Content-Length"))
                except OSError:
                    pass
            super().handle_close()

        def del_channel(self, map=None):
            if getattr(self, "_address", None) is not None:
                with _CHANNELS_LOCK:
                    n = self._per_address.get(self._address, 1) - 1
                    if n > 0:
                        self._per_address[self._address] = n
                    else:
                        self._per_address.pop(self._address, None)
                self._address = None
            super().del_channel(map)

    return Channel


_CHANNELS_LOCK = threading.Lock()


def make_server(app, host="127.0.0.1", port=7878, *, request_timeout=DEFAULT_REQUEST_TIMEOUT,
                idle_timeout=DEFAULT_IDLE_TIMEOUT, connections=DEFAULT_CONNECTIONS,
                connections_per_client=DEFAULT_CONNECTIONS_PER_CLIENT, threads=None):
    """A waitress server for ``app`` on ``host:port``: call ``run()``, and ``close()`` after.

    waitress reads and writes every connection on one I/O thread and runs the
    application on ``threads`` threads (default: enough for every query slot
    and every queued request of ``app``, plus four for pages and refusals).
    See :func:`_channel_class` for the deadlines; request bodies larger than
    ``app.max_body`` get 413 before they are read.
    """
    from waitress.channel import HTTPChannel
    from waitress.server import BaseWSGIServer, create_server

    for name, value in (("request_timeout", request_timeout), ("idle_timeout", idle_timeout),
                        ("connections", connections), ("connections_per_client", connections_per_client)):
        if not value or value <= 0:
            raise ValueError(f"{name} must be positive, got {value!r}")
    if threads is None:
        admission = getattr(app, "admission", None)
        threads = (admission.capacity if admission is not None else 8) + 4
    server = create_server(
        app, host=host, port=port, threads=threads, ident="dealgraph",
        channel_timeout=int(max(1, idle_timeout)), cleanup_interval=1, connection_limit=int(connections),
        max_request_body_size=getattr(app, "max_body", DEFAULT_MAX_BODY), max_request_header_size=65536,
        expose_tracebacks=False, clear_untrusted_proxy_headers=True, asyncore_use_poll=True,
    )
    channel = _channel_class(HTTPChannel, float(request_timeout), int(connections_per_client))
    listeners = [s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)] or [server]
    for listener in listeners:
        listener.channel_class = channel
        plain = listener.maintenance

        def maintenance(now, plain=plain, listener=listener):
            plain(now)
            clock = time.monotonic()
            for ch in list(listener.active_channels.values()):
                if isinstance(ch, channel):
                    ch.check_deadline(clock)

        listener.maintenance = maintenance
    return server


def request(app, path, *, method="GET", headers=None, body=b"") -> Response:
    """Answer one request in-process (no socket) and return the :class:`Response`.

    ``path`` may carry a query string (``/sparql?query=...``).
    """
    environ: dict = {}
    setup_testing_defaults(environ)
    raw_path, _, query = path.partition("?")
    environ.update({
        "REQUEST_METHOD": method.upper(), "PATH_INFO": urllib.parse.unquote(raw_path, "latin-1"),
        "QUERY_STRING": query, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "7878", "HTTP_HOST": "127.0.0.1:7878",
    })
    for k, v in (headers or {}).items():
        key = k.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = v
    captured = {}

    def start_response(status, header_list, exc_info=None):
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = dict(header_list)

    data = b"".join(app(environ, start_response))
    return Response(captured["status"], data, captured["headers"])


# ---------------------------------------------------------------------- helpers


_RDF_INPUT = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
              "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
              "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}


def _rdf_body(result: Result, key: str) -> tuple[str, bytes]:
    """The media type and bytes of a graph answer in the format ``key`` (``ttl nt jsonld rdfxml``)."""
    media, rdf_format = _GRAPH_MEDIA[key]
    if rdf_format == ox.RdfFormat.TURTLE:
        return media, to_turtle(result).encode("utf-8")
    return media, ox.serialize(result.triples, format=rdf_format)


def _multipart(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """The (media type, bytes) of each part of a ``multipart/form-data`` body.

    >>> body = b'--b\\r\\nContent-Type: text/turtle\\r\\n\\r\\n<x:a> <x:b> <x:c> .\\r\\n--b--\\r\\n'
    >>> _multipart("multipart/form-data; boundary=b", body)
    [('text/turtle', b'<x:a> <x:b> <x:c> .')]
    """
    import email.parser
    import email.policy

    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise _HTTPError(400, "the multipart/form-data body has no parts (is the boundary right?)")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True) or b""
        parts.append((part.get_content_type(), payload))
    return parts


_HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")


def _base_iri(environ) -> str:
    """The service's base IRI: this endpoint's URL (the SPARQL protocol allows it), from a plain Host only.

    >>> _base_iri({"HTTP_HOST": "127.0.0.1:7878", "PATH_INFO": "/sparql"})
    'http://127.0.0.1:7878/sparql'
    >>> _base_iri({"HTTP_HOST": "x> } ; DROP ALL #", "PATH_INFO": "/sparql"})
    'http://localhost/sparql'
    """
    host = environ.get("HTTP_HOST") or ""
    if not _HOST.fullmatch(host):
        host = "localhost"
    scheme = "https" if environ.get("wsgi.url_scheme") == "https" else "http"
    path = environ.get("PATH_INFO") if environ.get("PATH_INFO") in ("/sparql", "/query", "/update", "/store") else "/sparql"
    return f"{scheme}://{host}{path}"


# Tokens of a SPARQL update, enough to find its operations' WHERE keywords (see _with_using).
_UPDATE_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"|' r"'(?:[^'\\\n\r]|\\.)*'" r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*|[ \t\r\n]+)'
    r"|(?P<open>\{)|(?P<close>\})|(?P<semi>;)"
    r"|(?P<word>(?:\\.|[^ \t\r\n{};\"'<>#\\()\[\],])+)|(?P<other>.)",
    re.S,
)


def _with_using(update: str, default: list[str], named: list[str]) -> str:
    """``update`` with the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` applied.

    By the SPARQL 1.1 Protocol they set the dataset of every operation with a
    ``WHERE`` clause, as ``USING`` / ``USING NAMED`` would: so the clauses are
    written before each such ``WHERE`` (outside braces, strings, IRIs and
    comments). An update that names its own dataset (``USING``, ``WITH``) is
    refused, as the protocol asks, and so is ``DELETE WHERE``, whose short
    form has no place for ``USING``. Oxigraph then parses the result: a
    misreading here can only make it fail to parse.

    >>> _with_using("INSERT { ?s a <x:T> } WHERE { ?s a <x:U> }", ["x:g"], ["x:h"])
    'INSERT { ?s a <x:T> }  USING <x:g> USING NAMED <x:h> WHERE { ?s a <x:U> }'
    >>> _with_using("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["x:g"], [])
    Traceback (most recent call last):
    ...
    graph.server._HTTPError: the update names its own dataset (WITH); give either that or using-graph-uri / using-named-graph-uri, not both
    """
    try:
        clause = "".join(f" USING {ox.NamedNode(g)}" for g in default) + "".join(
            f" USING NAMED {ox.NamedNode(g)}" for g in named)
    except ValueError as e:
        raise _HTTPError(400, f"using-graph-uri / using-named-graph-uri: {e}") from None
    out, depth, last = [], 0, None
    for m in _UPDATE_TOKEN.finditer(update):
        kind, token = m.lastgroup, m.group()
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and depth == 0:
            word = token.upper()
            if word in ("WITH", "USING"):
                raise _HTTPError(400, f"the update names its own dataset ({word}); give either that or "
                                      "using-graph-uri / using-named-graph-uri, not both")
            if word == "WHERE":
                if last == "DELETE":
                    raise _HTTPError(400, "using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE; "
                                          "write DELETE { ... } WHERE { ... }")
                out.append(clause + " ")
        if kind != "skip":
            last = token.upper() if kind == "word" and depth == 0 else kind
        out.append(token)
    return "".join(out)


def _client(environ) -> str:
    """Who sent the request, for the per-client limits: the peer's address."""
    return environ.get("REMOTE_ADDR") or "-"


def _error(status, message, headers=None) -> Response:
    return Response(status, (message.rstrip() + "\n").encode("utf-8"),
                    {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", **(headers or {})})


def _allow(method, allowed):
    if method not in allowed:
        raise _HTTPError(405, f"method {method} not allowed here; use {' or '.join(allowed)}",
                         {"Allow": ", ".join(allowed)})


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _HTTPError(400, f"the {what} is not valid UTF-8") from None


def _parse_qs(text: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=100,
                                     encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _HTTPError(400, "the parameters are not valid UTF-8") from None
    except ValueError as e:
        raise _HTTPError(400, f"bad parameters: {e}") from None


def _requested_format(params) -> str | None:
    if "format" not in params:
        return None
    value = params["format"][0].strip().lower()
    if value not in _FORMAT_ALIASES:
        raise _HTTPError(400, f"unknown format {value!r}; expected one of {', '.join(sorted(set(_FORMAT_ALIASES)))}")
    return _FORMAT_ALIASES[value]


def _negotiate(accept: str, offers, default: str) -> str:
    """The offer the Accept header likes best (ties: the server's order); ``default`` when none fits."""
    ranges = []
    for part in accept.split(","):
        media, *options = [x.strip() for x in part.split(";")]
        if not media:
            continue
        q = 1.0
        for opt in options:
            name, _, value = opt.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    best, best_score = default, 0.0
    for media, key in offers:
        main = media.split("/")[0]
        for candidate, bonus in ((media, 2e-6), (f"{main}/*", 1e-6), ("*/*", 0.0)):
            qs = [rq for r, rq in ranges if r == candidate]
            if qs:  # the most specific range that matches decides
                if qs[0] > 0 and qs[0] + bonus > best_score:
                    best, best_score = key, qs[0] + bonus
                break
    return best


def _examples() -> list[dict]:
    out = []
    for sq in saved_queries().values():
        defaults = {k: v for k, v in sq.params.items() if v}
        text = bind_parameters(sq.sparql, defaults) if defaults else sq.sparql
        out.append({"name": sq.name, "description": sq.description, "params": sq.params, "sparql": text,
                    "template": sq.sparql})  # the page binds "params" into "template" itself, once each
    return out
