"""The HTTP server: waitress, with a deadline on whole requests and a cap on connections per address."""

from __future__ import annotations

import threading
import time

from graph.server.app import DEFAULT_MAX_BODY

DEFAULT_REQUEST_TIMEOUT = 10.0  # seconds a client may take to send one whole request (headers and body)
DEFAULT_IDLE_TIMEOUT = 30  # seconds a keep-alive connection may sit idle
DEFAULT_CONNECTIONS = 200  # open connections in all
DEFAULT_CONNECTIONS_PER_CLIENT = 32  # open connections from one address


def _raw_response(status: int, message: str) -> bytes:
    """A complete ``Connection: close`` HTTP/1.1 answer, for the server's own refusals."""
    body = (message + "\n").encode("utf-8")
    reason = {400: "Bad Request", 408: "Request Timeout", 503: "Service Unavailable"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n"
        + ("Retry-After: 1\r\n" if status == 503 else "")
        + "\r\n"
    )
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
                self.refuse(
                    503,
                    f"too many connections from {self._address} (this server allows {per_client}); "
                    "close some and try again",
                )

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


def make_server(
    app,
    host="127.0.0.1",
    port=7878,
    *,
    request_timeout=DEFAULT_REQUEST_TIMEOUT,
    idle_timeout=DEFAULT_IDLE_TIMEOUT,
    connections=DEFAULT_CONNECTIONS,
    connections_per_client=DEFAULT_CONNECTIONS_PER_CLIENT,
    threads=None,
):
    """A waitress server for ``app`` on ``host:port``: call ``run()``, and ``close()`` after.

    waitress reads and writes every connection on one I/O thread and runs the
    application on ``threads`` threads (default: enough for every query slot
    and every queued request of ``app``, plus four for pages and refusals).
    See :func:`_channel_class` for the deadlines; request bodies larger than
    ``app.max_body`` get 413 before they are read.
    """
    from waitress.channel import HTTPChannel
    from waitress.server import BaseWSGIServer, create_server

    for name, value in (
        ("request_timeout", request_timeout),
        ("idle_timeout", idle_timeout),
        ("connections", connections),
        ("connections_per_client", connections_per_client),
    ):
        if not value or value <= 0:
            raise ValueError(f"{name} must be positive, got {value!r}")
    if threads is None:
        admission = getattr(app, "admission", None)
        threads = (admission.capacity if admission is not None else 8) + 4
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="dealgraph",
        channel_timeout=int(max(1, idle_timeout)),
        cleanup_interval=1,
        connection_limit=int(connections),
        max_request_body_size=getattr(app, "max_body", DEFAULT_MAX_BODY),
        max_request_header_size=65536,
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        asyncore_use_poll=True,
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
