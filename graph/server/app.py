"""The WSGI application: routes, the SPARQL 1.1 Protocol and Graph Store Protocol, :func:`create_app`.

See :mod:`graph.server` for the routes and the limits.

>>> from graph.store import open_store
>>> from graph.server import request
>>> request(create_app(open_store("memory")), "/nowhere").status
404
"""

from __future__ import annotations

import concurrent.futures
import hmac
import json
import logging
import shutil
import signal
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pyoxigraph as ox

from graph import sandbox
from graph.errors import DealGraphError, QueryError, StoreError
from graph.ns import OUTPUT_PREFIXES
from graph.query import to_json
from graph.server.admission import _Admission, _Busy
from graph.server.messages import (
    _REASONS,
    Response,
    _allow,
    _client,
    _decode,
    _error,
    _HTTPError,
    _parse_qs,
)
from graph.server.negotiation import (
    _GRAPH_MEDIA,
    _GRAPH_TYPES,
    _RDF_INPUT,
    _RESULT_MEDIA,
    _RESULT_TYPES,
    _multipart,
    _negotiate,
    _rdf_body,
    _requested_format,
)
from graph.server.pages import _PAGE_CSP, _STATIC, RESOURCES, _examples
from graph.server.protocol import _base_iri, _with_using
from graph.server.workers import (
    _QueryProcesses,
    _run_job,
    _thread_pool,
    _TooLarge,
    _WorkerDied,
)
from graph.sparql_errors import short_syntax_error
from graph.store import Store

log = logging.getLogger(__name__)


DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_QUERY_CHARS = 100_000
DEFAULT_MAX_BODY = 10_000_000
DEFAULT_MAX_MEMORY_MB = 2048
DEFAULT_QUEUE_WAIT = 1.0  # seconds a request may wait for a query slot before 503
_STACK_PER_CHAR = 4096  # bytes of thread stack per query character: ~4x the worst case measured


class SparqlApp:
    """The WSGI application made by :func:`create_app`."""

    def __init__(
        self,
        store,
        *,
        allow_update=False,
        token=None,
        timeout=DEFAULT_TIMEOUT,
        max_rows=DEFAULT_MAX_ROWS,
        max_query_chars=DEFAULT_MAX_QUERY_CHARS,
        max_body=DEFAULT_MAX_BODY,
        workers=4,
        isolate=None,
        max_memory_mb=DEFAULT_MAX_MEMORY_MB,
        queue_wait=DEFAULT_QUEUE_WAIT,
        max_waiting=None,
        per_client=None,
    ):
        if allow_update and not token:
            raise ValueError(
                "allow_update needs a token: updates are only accepted with 'Authorization: Bearer <token>'"
            )
        for name, value in (
            ("timeout", timeout),
            ("max_rows", max_rows),
            ("max_query_chars", max_query_chars),
            ("max_body", max_body),
            ("workers", workers),
            ("max_memory_mb", max_memory_mb),
        ):
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
            self.workers,
            wait=queue_wait,
            max_waiting=4 * self.workers if max_waiting is None else int(max_waiting),
            per_client=max(1, self.workers - 1) if per_client is None else int(per_client),
        )
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
            return Response(
                200,
                json.dumps(_examples(), ensure_ascii=False, indent=1).encode("utf-8"),
                {"Content-Type": "application/json"},
            )
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
                raise _HTTPError(
                    415,
                    f"unsupported Content-Type {media or '(none)'!r}; POST application/sparql-query, "
                    "application/sparql-update or application/x-www-form-urlencoded",
                )
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
            raise _HTTPError(
                413,
                f"the {kind} is {len(text):,} characters long; this server accepts at most {self.max_query_chars:,}",
            )
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
            raise _HTTPError(
                413, f"the request body is {length:,} bytes; this server accepts at most {self.max_body:,}"
            )
        return environ["wsgi.input"].read(length) if length else b""

    def _query(self, environ, params, text) -> Response:
        fmt = _requested_format(params)
        for p in ("using-graph-uri", "using-named-graph-uri"):
            if p in params:
                raise _HTTPError(
                    400, f"the {p} parameter is for updates; a query takes default-graph-uri and named-graph-uri"
                )
        dataset = {}
        if "default-graph-uri" in params or "named-graph-uri" in params:
            if not isinstance(self.store, Store):
                raise _HTTPError(400, "default-graph-uri and named-graph-uri are only supported on an embedded store")
            dataset = {
                "default_graph": params.get("default-graph-uri"),
                "named_graphs": params.get("named-graph-uri", []),
            }
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
            body = parsed.serialize(
                format={
                    "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV,
                    "tsv": ox.QueryResultsFormat.TSV,
                }[key]
            )
        return Response(200, body, {"Content-Type": _RESULT_MEDIA[key], "Cache-Control": "no-store"})

    def _update(self, environ, text, params=None) -> Response:
        self._authorize(environ)
        params = params or {}
        for p in ("default-graph-uri", "named-graph-uri"):
            if p in params:
                raise _HTTPError(
                    400, f"the {p} parameter is for queries; an update takes using-graph-uri and using-named-graph-uri"
                )
        if "using-graph-uri" in params or "using-named-graph-uri" in params:
            text = _with_using(text, params.get("using-graph-uri", []), params.get("using-named-graph-uri", []))
        self._bounded(("update", text, _base_iri(environ)), "update", _client(environ))
        return Response(204)

    def _authorize(self, environ) -> None:
        """Refuse a write unless updates are on and the request carries the token."""
        if not self.allow_update:
            raise _HTTPError(
                403,
                "this endpoint is read-only: updates are refused "
                "(start dealgraph serve with --allow-update and a token to accept them)",
            )
        auth = environ.get("HTTP_AUTHORIZATION") or ""
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self._token.encode()):
            raise _HTTPError(
                401,
                "updates need 'Authorization: Bearer <token>' with this server's token",
                {"WWW-Authenticate": 'Bearer realm="dealgraph"'},
            )

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
            raise _HTTPError(
                503,
                f"the {what} needed more than this server's memory limit "
                f"({self.max_memory_mb:,} MB); narrow it down or add LIMIT",
                {"Retry-After": "1"},
            ) from None
        except (concurrent.futures.TimeoutError, TimeoutError):
            raise _HTTPError(
                503,
                f"the {what} took longer than {self.timeout:g} s, this server's limit; narrow it down or add LIMIT",
                {"Retry-After": "1"},
            ) from None
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
            raise _HTTPError(
                405,
                "the default graph is the union of the named graphs and cannot be written; "
                "write a named graph (?graph=IRI)",
                {"Allow": "GET, HEAD"},
            )
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
                raise _HTTPError(
                    415, f"unsupported Content-Type {part_media or '(none)'!r}; send " + ", ".join(sorted(_RDF_INPUT))
                )
            try:
                triples += [
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(data, format=_RDF_INPUT[part_media], base_iri=node.value)
                ]
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
        host = (
            environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
        )
        endpoint = f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO') or '/sparql'}"
        try:
            endpoint_term = str(ox.NamedNode(endpoint))
        except ValueError:
            endpoint_term = "<urn:dealgraph:sparql>"
        formats = " , ".join(
            f"formats:{f}"
            for f in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "JSON-LD",
                "RDF_XML",
            )
        )
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
        body = ox.serialize(
            triples,
            format=rdf_format,
            **(
                {
                    "prefixes": OUTPUT_PREFIXES
                    | {
                        "sd": "http://www.w3.org/ns/sparql-service-description#",
                        "formats": "http://www.w3.org/ns/formats/",
                    }
                }
                if rdf_format == ox.RdfFormat.TURTLE
                else {}
            ),
        )
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
        return Response(
            200,
            page.encode("utf-8"),
            {"Content-Type": "text/html; charset=utf-8", "X-Frame-Options": "DENY", "Cache-Control": "no-store"},
        )

    def close(self) -> None:
        """Stop the worker processes and threads (running threads finish first)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._procs is not None:
            self._procs.close()
        if self._snapshots is not None:
            shutil.rmtree(self._snapshots, ignore_errors=True)


def create_app(
    store,
    *,
    allow_update=False,
    token=None,
    timeout=DEFAULT_TIMEOUT,
    max_rows=DEFAULT_MAX_ROWS,
    max_query_chars=DEFAULT_MAX_QUERY_CHARS,
    max_body=DEFAULT_MAX_BODY,
    workers=4,
    isolate=None,
    max_memory_mb=DEFAULT_MAX_MEMORY_MB,
    queue_wait=DEFAULT_QUEUE_WAIT,
    max_waiting=None,
    per_client=None,
) -> SparqlApp:
    """A WSGI application serving ``store`` (see the module docstring).

    Parameters
    ----------
    store : graph.store.Store or graph.store.remote.RemoteStore
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
    >>> from graph.server import request
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
    return SparqlApp(
        store,
        allow_update=allow_update,
        token=token,
        timeout=timeout,
        max_rows=max_rows,
        max_query_chars=max_query_chars,
        max_body=max_body,
        workers=workers,
        isolate=isolate,
        max_memory_mb=max_memory_mb,
        queue_wait=queue_wait,
        max_waiting=max_waiting,
        per_client=per_client,
    )
