"""The query page for the browser (files in ``graph/resources``, nothing from the network) and its examples."""

from __future__ import annotations

from pathlib import Path

from graph.query import bind_parameters, saved_queries

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_STATIC = {
    "/": ("query_page.html", "text/html; charset=utf-8"),
    "/static/query_page.js": ("query_page.js", "text/javascript; charset=utf-8"),
    "/static/query_page.css": ("query_page.css", "text/css; charset=utf-8"),
}


def _examples() -> list[dict]:
    out = []
    for sq in saved_queries().values():
        defaults = {k: v for k, v in sq.params.items() if v}
        text = bind_parameters(sq.sparql, defaults) if defaults else sq.sparql
        out.append(
            {"name": sq.name, "description": sq.description, "params": sq.params, "sparql": text, "template": sq.sparql}
        )  # the page binds "params" into "template" itself, once each
    return out
