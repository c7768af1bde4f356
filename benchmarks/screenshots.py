"""Screenshots of the view and the query page, for the README and issue notes (one command).

Builds the demo store from data/articles, writes the view of a 5,000-node
news-like graph (:func:`benchmarks.view_bench.news_like_graph`) and of the demo
focused on an entity, starts ``dealgraph serve`` on loopback, and saves PNGs
from Debian's headless Chromium (network blocked but for the local server)::

    python -m benchmarks.screenshots            # writes docs/screenshots/*.png
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def _wait(page, expression: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > end:
            raise TimeoutError(expression)
        time.sleep(0.1)


def _shot(page, path: Path) -> None:
    page.screenshot(path=str(path), type="png")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)", file=sys.stderr)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs")
    args = parser.parse_args(argv)
    from benchmarks.view_bench import news_like_graph
    from graph import view
    from tests import browser
    from tests.oxigraph_server import DealgraphServer

    if browser.missing():
        raise SystemExit(f"screenshots: {browser.missing()}")
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="dealgraph-shots-"))
    store = tmp / "store"
    dealgraph = [sys.executable, "-m", "graph.cli"]
    subprocess.run(
        [*dealgraph, "build", str(ROOT / "data" / "articles"), "--store", str(store), "-q", "--no-validate"],
        check=True,
        cwd=ROOT,
    )
    big = tmp / "view-5000.html"
    big.write_text(view.render_page(news_like_graph(5000)).html, encoding="utf-8")
    focus = tmp / "view-focus.html"
    subprocess.run(
        [*dealgraph, "view", "--store", str(store), "--focus", "Alibaba Group", "-o", str(focus)], check=True, cwd=ROOT
    )
    with browser.launch() as chromium:
        for path, name in ((big, "view-5000-overview.png"), (focus, "view-focus-alibaba.png")):
            with browser.visit(chromium, path, width=1280, height=800) as seen:
                seen.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
                time.sleep(1.5)  # the layout settles
                _shot(seen.page, args.out / name)
        with DealgraphServer(store) as served:
            context = chromium.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(served.base + "/") else r.abort())
            page = context.new_page()
            page.goto(served.base + "/")
            _wait(page, "window.dgExamples > 0")
            page.evaluate("window.dgLastResult = null")
            page.click("#examples button:has(.name:text-is('ceo-of'))")
            _wait(page, "window.dgLastResult !== null || !document.getElementById('error').hidden")
            _shot(page, args.out / "query-saved-question.png")
            page.fill("#query", "SELECT ?who WHERE {\n  ?p dg:ceoOf ?o ;\n     foo:label ?who .\n}")
            page.evaluate("window.dgLastResult = null")
            page.click("#run")
            _wait(page, "!document.getElementById('error').hidden")
            _shot(page, args.out / "query-syntax-error.png")
            context.close()


if __name__ == "__main__":
    main()
