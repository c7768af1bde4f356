"""``dealgraph serve``: the store over HTTP (graph.server)."""

from __future__ import annotations

import sys

import typer

from graph.cli.common import STORE_HELP, _fail, _is_local, _store_location, err
from graph.errors import DealGraphError


def serve(
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    allow_update: bool = typer.Option(
        False, "--allow-update", help="Accept SPARQL Update, with the bearer token only."
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="DEALGRAPH_SERVE_TOKEN",
        help="Bearer token for updates (default with --allow-update: a random one, printed at start).",
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before the answer is 503."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Most rows (or triples) in an answer; more is a 400."),
    workers: int = typer.Option(4, "--workers", help="Queries evaluated at the same time."),
    queue_wait: float = typer.Option(
        1.0, "--queue-wait", help="Seconds a request may wait for a free worker; then 503 with Retry-After."
    ),
    per_client: int | None = typer.Option(
        None, "--per-client", help="Queries one client address may run at once (default: workers - 1)."
    ),
    request_timeout: float = typer.Option(
        10.0, "--request-timeout", help="Seconds a client may take to send a whole request; then 408."
    ),
    in_memory: bool = typer.Option(
        False, "--in-memory", help="Serve a snapshot copied into RAM at start (faster queries; read-only stores)."
    ),
    get: str | None = typer.Option(
        None, "--get", help="Answer this one PATH in-process, print it and exit (no socket)."
    ),
) -> None:
    """Serve the store over HTTP: SPARQL 1.1 endpoint, query page at /, the view at /view."""
    import secrets

    import pyoxigraph as ox

    from graph.server import create_app, make_server, request
    from graph.store import open_store

    if allow_update and not token:
        token = secrets.token_urlsafe(24)
        err.print(f"update token: {token}", highlight=False)
    try:
        st = open_store(_store_location(store), read_only=_is_local(store) and not allow_update)
        if in_memory:
            if allow_update:
                _fail("--in-memory serves a snapshot: it cannot be combined with --allow-update", 2)
            snapshot = open_store("memory")
            snapshot.load_nquads(st.dump(ox.RdfFormat.N_QUADS))
            st.close()
            st = snapshot
        app = create_app(
            st,
            allow_update=allow_update,
            token=token,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            queue_wait=queue_wait,
            per_client=per_client,
        )
    except (DealGraphError, ValueError) as e:
        _fail(str(e))
    if get is not None:
        r = request(app, get)
        sys.stdout.buffer.write(r.body)
        sys.stdout.flush()
        app.close()
        st.close()
        if r.status >= 400:
            err.print(f"HTTP {r.status}", highlight=False)
            raise typer.Exit(1)
        return
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(
            f"[yellow]warning:[/] listening on {host}: anyone who can reach it can query the graph",
            markup=True,
            highlight=False,
        )
    import signal

    try:
        server = make_server(app, host, port, request_timeout=request_timeout)
    except (OSError, ValueError) as e:
        app.close()
        st.close()
        _fail(f"cannot listen on {host}:{port}: {e}")
    err.print(
        f"serving {_store_location(store)} on http://{host}:{port}/ (SPARQL at /sparql, graphs at /store, "
        "view at /view); Ctrl+C stops",
        highlight=False,
        soft_wrap=True,
    )

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # a plain kill stops as cleanly as Ctrl+C
    try:
        server.run()  # returns on Ctrl+C (waitress stops its threads)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        server.task_dispatcher.shutdown(timeout=2)
        app.close()
        st.close()
