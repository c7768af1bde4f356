"""``python -m benchmarks.view_bench``: the view of a 5,000-node graph, timed in headless Chromium.

A synthetic graph shaped like a news graph (companies in sectors, people who
work for them, products they launch, deals between them drawn as deal nodes
and as direct links) is rendered by :func:`graph.view.render_page`; the page is
opened in Debian's Chromium with every network request aborted (the
:mod:`tests.browser` helper), and these are measured:

- ``build_s``: Python time to select, lay out, group and render the page;
- ``ready_ms``: navigation start to the first drawing;
- ``toggle_ms``: one click on a type's checkbox until the next frame has been
  drawn (untick and tick again, each type, ``--rounds`` times), with the groups
  closed (the overview the page opens on) and with every group open (all
  5,000 nodes drawn);
- ``search_on_screen``: two searches in a row each bring the node on screen.

    python -m benchmarks.view_bench [--nodes 5000] [--rounds 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ID = "https://w3id.org/dealgraph/id/"
TYPES = ("Person", "Organization", "Product", "Deal")

_TOGGLE = """async (type) => {
  const box = document.querySelector(`#dg-legend input[data-type="${type}"]`);
  const t0 = performance.now();
  box.click();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - t0;
}"""

_ON_SCREEN = """(id) => {
  const p = dgNetwork.canvasToDOM(dgNetwork.getPositions([id])[id]);
  const r = document.getElementById("dg-network").getBoundingClientRect();
  return p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height;
}"""


def news_like_graph(n: int = 5000, *, sectors: int = 40, seed: int = 7) -> nx.MultiDiGraph:
    """A seeded graph of ``n`` nodes: 35% organizations, 35% people, 12% products, 18% deals.

    Organizations belong to sectors; nine links in ten stay inside a sector
    and prefer well-connected companies, so the graph has hubs and
    communities as real news graphs do.

    >>> G = news_like_graph(200)
    >>> G.number_of_nodes(), sorted({d["type"] for _, d in G.nodes(data=True)})
    (200, ['Deal', 'Organization', 'Person', 'Product'])
    """
    rng = random.Random(seed)
    G = nx.MultiDiGraph(name=f"synthetic news graph ({n:,} nodes)")
    counts = {"Organization": int(n * 0.35), "Person": int(n * 0.35), "Product": int(n * 0.12)}
    counts["Deal"] = n - sum(counts.values())
    orgs, by_sector = [], {s: [] for s in range(sectors)}
    weight = {}

    def pick(sector):
        pool = by_sector[sector] if rng.random() < 0.9 and by_sector[sector] else orgs
        return rng.choices(pool, weights=[weight[o] for o in pool])[0]

    def edge(u, v, relation, date=None):
        G.add_edge(
            u,
            v,
            key=relation,
            relation=relation,
            label=relation.replace("_", " "),
            evidence=f"{G.nodes[u]['label']} {relation.replace('_', ' ')} {G.nodes[v]['label']}.",
            date=date,
            confidence=0.8,
        )
        for x in (u, v):
            if x in weight:
                weight[x] += 1

    for k in range(counts["Organization"]):
        o, sector = f"{ID}org/{k}", k % sectors
        G.add_node(o, label=f"Company {k} {'Holdings' if k % 7 == 0 else 'Inc.'}", type="Organization")
        weight[o] = 1
        if by_sector[sector] and rng.random() < 0.3:
            edge(o, pick(sector), "subsidiary_of")
        orgs.append(o)
        by_sector[sector].append(o)
    for k in range(counts["Person"]):
        p = f"{ID}person/{k}"
        G.add_node(p, label=f"Person {k}", type="Person")
        edge(p, pick(rng.randrange(sectors)), rng.choice(["ceo_of", "works_for", "works_for", "founder_of"]))
    for k in range(counts["Product"]):
        q = f"{ID}product/{k}"
        G.add_node(q, label=f"Product {k}", type="Product")
        edge(pick(rng.randrange(sectors)), q, "launched")
    for k in range(counts["Deal"]):
        sector = rng.randrange(sectors)
        a, b = pick(sector), pick(sector)
        kind, relation = rng.choice(
            [("Acquisition", "acquired"), ("Partnership", "deal_with"), ("Investment", "invested_in")]
        )
        date = f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        d = f"{ID}deal/{k}"
        G.add_node(
            d,
            label=f"{G.nodes[a]['label']} and {G.nodes[b]['label']}: {kind.lower()}",
            type="Deal",
            deal_type=kind,
            status="completed",
            date=date,
        )
        edge(d, a, "party", date)
        if b != a:
            edge(d, b, "party", date)
            edge(a, b, relation, date)
    return G


def measure(n: int = 5000, rounds: int = 3, out_dir: Path | None = None) -> dict:
    """Build the page of :func:`news_like_graph` (``n`` nodes) and time it in Chromium."""
    from graph import view
    from tests import browser

    if browser.missing():
        raise SystemExit(f"view_bench: {browser.missing()}")
    G = news_like_graph(n)
    start = time.perf_counter()
    page = view.render_page(G)
    build = time.perf_counter() - start
    tmp = Path(out_dir or tempfile.mkdtemp(prefix="view-bench-"))
    path = tmp / f"view-{n}.html"
    path.write_text(page.html, encoding="utf-8")
    result = {
        "nodes": n,
        "edges": G.number_of_edges(),
        "page": page.summary(),
        "page_mb": round(len(page.html.encode()) / 1e6, 1),
        "build_s": round(build, 2),
    }
    with browser.launch() as chromium, browser.visit(chromium, path) as seen:
        p = seen.page
        p.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        result["ready_ms"] = round(p.evaluate("window.dgReadyMs"))
        for state in ("groups closed", "all groups open"):
            if state == "all groups open":
                p.click("#dg-open-all")
                p.wait_for_timeout(300)
            times = {t: [] for t in TYPES}
            for _ in range(rounds):
                for t in TYPES:
                    times[t].append(p.evaluate(_TOGGLE, t))  # untick
                    times[t].append(p.evaluate(_TOGGLE, t))  # tick again
            flat = [x for xs in times.values() for x in xs]
            result[f"toggle_ms ({state})"] = {
                "median": round(statistics.median(flat), 1),
                "max": round(max(flat), 1),
                "per_type_max": {t: round(max(xs), 1) for t, xs in times.items()},
                "drawn_nodes": p.evaluate("dgView.shownNodes()"),
            }
        p.click("#dg-close-all")
        on_screen = []
        for name in ("Company 0 Holdings", "Person 4321", "Product 17"):
            p.fill("#dg-search", name)
            p.press("#dg-search", "Enter")
            p.wait_for_timeout(200)
            node = p.evaluate("dgNetwork.getSelectedNodes()[0]")
            on_screen.append(bool(node) and p.evaluate(_ON_SCREEN, node))
        result["search_on_screen"] = on_screen
        p.evaluate("dgNetwork.fit()")
        p.wait_for_timeout(300)
        p.screenshot(path=str(tmp / f"view-{n}.png"))
        result["screenshot"] = str(tmp / f"view-{n}.png")
        result["errors"] = seen.errors
        result["external_requests"] = seen.external
    return result


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=5000, help="Size of the synthetic graph.")
    ap.add_argument("--rounds", type=int, default=3, help="Untick/tick rounds per type and state.")
    ap.add_argument("--out", type=Path, help="Keep the page and screenshot in this folder.")
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    args = ap.parse_args(argv)
    if args.nodes < 1 or args.rounds < 1:
        print("view_bench: --nodes and --rounds must be positive", file=sys.stderr)
        raise SystemExit(2)
    result = measure(args.nodes, args.rounds, args.out)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
