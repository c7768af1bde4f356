"""The SPARQL protocol's request details: the service base IRI, and ``using-graph-uri`` applied to an update."""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.server.messages import _HTTPError

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
    path = (
        environ.get("PATH_INFO")
        if environ.get("PATH_INFO") in ("/sparql", "/query", "/update", "/store")
        else "/sparql"
    )
    return f"{scheme}://{host}{path}"


# Tokens of a SPARQL update, enough to find its operations' WHERE keywords (see _with_using).
_UPDATE_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"|'
    r"'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*|[ \t\r\n]+)'
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
    graph.server.messages._HTTPError: the update names its own dataset (WITH); give either that or using-graph-uri / using-named-graph-uri, not both
    """
    try:
        clause = "".join(f" USING {ox.NamedNode(g)}" for g in default) + "".join(
            f" USING NAMED {ox.NamedNode(g)}" for g in named
        )
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
                raise _HTTPError(
                    400,
                    f"the update names its own dataset ({word}); give either that or "
                    "using-graph-uri / using-named-graph-uri, not both",
                )
            if word == "WHERE":
                if last == "DELETE":
                    raise _HTTPError(
                        400,
                        "using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE; "
                        "write DELETE { ... } WHERE { ... }",
                    )
                out.append(clause + " ")
        if kind != "skip":
            last = token.upper() if kind == "word" and depth == 0 else kind
        out.append(token)
    return "".join(out)
