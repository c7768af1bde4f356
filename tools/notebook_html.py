"""Publish the notebooks as HTML pages a reader can open without Jupyter: ``docs/notebooks/*.html``.

The notebooks are committed with their outputs stripped (a diff shows code, not
base64 plots). ``make docs`` runs each one top to bottom on a real kernel
(nbclient) and writes it with its outputs, plots inlined as images, through
nbconvert's HTML exporter: one file per notebook that works offline, and an
``index.html`` listing them. Needs the ``docs`` extra (``pip install -e
'.[docs]'``)::

    python -m tools.notebook_html                 # notebooks/ -> docs/notebooks/
    python -m tools.notebook_html notebooks/02_network_analysis.ipynb -o /tmp/out

The pages keep nbconvert's own styles and scripts inline except MathJax and
RequireJS, which would be fetched from a CDN: their ``<script>`` elements are
left out (the notebooks use no LaTeX and no widgets).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

__all__ = ["execute", "to_html", "publish", "NOTEBOOKS", "OUT"]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "docs" / "notebooks"


def execute(path: str | Path, timeout: int = 600):
    """The notebook at ``path``, run top to bottom in its own folder (an ``nbformat`` node)."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return nb


def to_html(nb, title: str = "dealgraph notebook") -> str:
    """An executed notebook as one self-contained HTML page (images inlined, no CDN scripts)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    # MathJax and RequireJS come from a CDN: their <script> elements go (no LaTeX, no widgets here)
    return re.sub(r"""<script[^>]*\ssrc=["']?(https?:)?//[^>]*>\s*</script>""", "", body)


def publish(paths=None, out: str | Path = OUT) -> list[Path]:
    """Execute ``paths`` (default: every notebook in ``notebooks/``) and write their HTML to ``out``
    with an ``index.html``; returns the pages written (index last)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted(Path(p) for p in paths) if paths else sorted(NOTEBOOKS.glob("*.ipynb"))
    written = []
    for path in paths:
        page = out / (path.stem + ".html")
        page.write_text(to_html(execute(path), title=path.stem), "utf-8")
        written.append(page)
        print(f"wrote {page}", file=sys.stderr)
    items = "\n".join(f'<li><a href="{html.escape(p.name)}">{html.escape(p.stem)}</a></li>' for p in written)
    index = out / "index.html"
    index.write_text(
        f'<!doctype html>\n<meta charset="utf-8">\n<title>dealgraph notebooks</title>\n'
        f"<h1>dealgraph notebooks</h1>\n<p>Run by <code>make docs</code>, with their outputs.</p>\n"
        f"<ul>\n{items}\n</ul>\n",
        "utf-8",
    )
    return [*written, index]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the notebooks and write them as HTML pages.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="Notebooks (default: notebooks/*.ipynb).")
    parser.add_argument("-o", "--out", type=Path, default=OUT, help=f"Folder for the pages (default: {OUT}).")
    args = parser.parse_args(argv)
    try:
        publish(args.notebooks or None, args.out)
    except ImportError as e:
        print(f"error: {e.name or e} is missing: pip install -e '.[docs]'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
