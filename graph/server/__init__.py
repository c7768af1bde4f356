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

from graph.server.app import (
    DEFAULT_MAX_QUERY_CHARS,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    SparqlApp,
    create_app,
)
from graph.server.messages import Response, request
from graph.server.serving import make_server

__all__ = [
    "create_app",
    "make_server",
    "request",
    "SparqlApp",
    "Response",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_QUERY_CHARS",
]
