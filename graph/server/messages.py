"""Requests and answers: the :class:`Response` type, HTTP errors, the small readers of a request, :func:`request`.

>>> _error(404, "not found: /x").status
404
"""

from __future__ import annotations

import io
import urllib.parse
from dataclasses import dataclass, field
from wsgiref.util import setup_testing_defaults


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


_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    303: "See Other",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _client(environ) -> str:
    """Who sent the request, for the per-client limits: the peer's address."""
    return environ.get("REMOTE_ADDR") or "-"


def _error(status, message, headers=None) -> Response:
    return Response(
        status,
        (message.rstrip() + "\n").encode("utf-8"),
        {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", **(headers or {})},
    )


def _allow(method, allowed):
    if method not in allowed:
        raise _HTTPError(
            405, f"method {method} not allowed here; use {' or '.join(allowed)}", {"Allow": ", ".join(allowed)}
        )


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _HTTPError(400, f"the {what} is not valid UTF-8") from None


def _parse_qs(text: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, strict_parsing=False, max_num_fields=100, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise _HTTPError(400, "the parameters are not valid UTF-8") from None
    except ValueError as e:
        raise _HTTPError(400, f"bad parameters: {e}") from None


def request(app, path, *, method="GET", headers=None, body=b"") -> Response:
    """Answer one request in-process (no socket) and return the :class:`Response`.

    ``path`` may carry a query string (``/sparql?query=...``).
    """
    environ: dict = {}
    setup_testing_defaults(environ)
    raw_path, _, query = path.partition("?")
    environ.update(
        {
            "REQUEST_METHOD": method.upper(),
            "PATH_INFO": urllib.parse.unquote(raw_path, "latin-1"),
            "QUERY_STRING": query,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "7878",
            "HTTP_HOST": "127.0.0.1:7878",
        }
    )
    for k, v in (headers or {}).items():
        key = k.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = v
    captured = {}

    def start_response(status, header_list, exc_info=None):
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = dict(header_list)

    data = b"".join(app(environ, start_response))
    return Response(captured["status"], data, captured["headers"])
