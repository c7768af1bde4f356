"""The page: vis-network and our script inlined, the data as safe JSON, the Content-Security-Policy."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path

from graph.view.model import _HEIGHT, NODE_STYLES


def _check_height(height):
    if not isinstance(height, str) or not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '800px' or '90vh', got {height!r}")


@functools.lru_cache(maxsize=1)
def _assets():
    """vis-network's JS and CSS from pyvis, our script and the Jinja template."""
    import jinja2
    import pyvis

    vis = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    ours = Path(__file__).parent.parent / "resources"
    js = (vis / "vis-network.min.js").read_text(encoding="utf-8")
    css = (vis / "vis-network.css").read_text(encoding="utf-8")
    app = (ours / "view.js").read_text(encoding="utf-8")
    for name, text, end in (
        ("vis-network.min.js", js, "</script"),
        ("view.js", app, "</script"),
        ("vis-network.css", css, "</style"),
    ):
        if end in text.lower() or "<!--" in text:
            raise ValueError(f"{name} cannot be inlined: it contains {end!r} or '<!--'")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((ours / "view_template.html").read_text(encoding="utf-8"))
    return js, css, app, template


def _script_json(obj):
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&``."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _sha256(text):
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _legend(view):
    """One entry per node type shown: name, count and the look of its first node."""
    counts, first = {}, {}
    for item in view.nodes:
        kind = item["dg"]["type"]
        counts[kind] = counts.get(kind, 0) + 1
        first.setdefault(kind, item)
    extra = sorted(t for t in counts if t not in NODE_STYLES)
    order = [t for t in NODE_STYLES if t in counts] + extra
    return [
        {
            "type": t or "Other",
            "key": t,
            "count": counts[t],
            "shape": first[t]["shape"],
            "fill": first[t]["color"]["background"],
            "border": first[t]["color"]["border"],
        }
        for t in order
    ]


def _render(view, height):
    js, css, app, template = _assets()
    data = {
        "nodes": view.nodes,
        "edges": view.edges,
        "options": view.options,
        "articles": view.articles,
        "physics": view.physics,
        "groups": view.groups,
        "groupEdges": view.group_edges,
    }
    csp = (
        f"default-src 'none'; script-src {_sha256(js)} {_sha256(app)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    shown, total = len(view.nodes), view.total_nodes
    whole = f"{shown:,}" if shown == total else f"{shown:,} of {total:,}"
    grouped = f" in {len(view.groups):,} groups" if view.groups else ""
    return template.render(
        title=view.title,
        csp=csp,
        height=height,
        vis_css=css,
        vis_js=js,
        app_js=app,
        data_json=_script_json(data),
        legend=_legend(view),
        notes=view.notes,
        counts=f"{whole} nodes{grouped} \u00b7 {view.drawn_edges:,} edges",
        grouped=bool(view.groups),
    )
