"""How long projection and network analysis take at 1e4, 1e5 and 1e6 triples.

For each size it generates a synthetic news graph (:mod:`benchmarks.generate`),
loads it into a memory store, projects it with ``graph.network.to_networkx``
and times every analysis ``dealgraph analyze`` runs, with NetworkX and with
igraph where both apply. It prints a table of wall-clock times (the last
column is the CPU time at the largest size over the one before: about 10 means
linear) and writes wall and CPU times to ``benchmarks/results/network.json``.

    python -m benchmarks.network_bench [--sizes 1e4 1e5 1e6] [--seed 0]

The whole run takes about a minute here (2 cores); half of it is NetworkX's
betweenness at 1e6.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import time
from importlib.metadata import version
from pathlib import Path

import networkx as nx

from benchmarks.generate import nquads
from graph import network as net
from graph.store import open_store

RESULTS = Path(__file__).parent / "results" / "network.json"

#: (key, description) in table order.
ROWS = (
    ("generate", "generate N-Quads (benchmarks/generate.py)"),
    ("load", "load into pyoxigraph (memory)"),
    ("projection", "to_networkx (projection)"),
    ("simple_view", "simple_view (undirected, simple)"),
    ("to_igraph", "to_igraph (integer edge list)"),
    ("degree", "degree (deals as connectors)"),
    ("pagerank_numpy", "PageRank, NumPy power iteration"),
    ("pagerank_igraph", "PageRank, igraph PRPACK"),
    ("betweenness_networkx", f"betweenness, {net.BETWEENNESS_SOURCES} sources, networkx"),
    ("betweenness_igraph", f"betweenness, {net.BETWEENNESS_SOURCES} sources, igraph"),
    ("louvain_networkx", "communities, Louvain, networkx"),
    ("louvain_igraph", "communities, Louvain, igraph"),
    ("leiden_igraph", "communities, Leiden, igraph"),
    ("rank_auto", "rank(): 3 measures, backend auto"),
    ("shortest_path", "shortest_path with evidence (mean of 5)"),
    ("ego_network", "ego_network, depth 2, of the top hub"),
    ("as_of", "as_of (time filter)"),
)


class _Clock:
    """Times calls by name: wall seconds (best of three for quick calls) and CPU seconds.

    CPU time is the steadier measure on a busy machine (the code timed is
    single-threaded, except pyoxigraph's bulk load).
    """

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, key: str, f, *, repeat_below: float = 0.05):
        start, cpu = time.perf_counter(), time.process_time()
        result = f()
        self.wall[key] = time.perf_counter() - start
        self.cpu[key] = time.process_time() - cpu
        if self.wall[key] < repeat_below:
            for _ in range(2):
                start = time.perf_counter()
                f()
                self.wall[key] = min(self.wall[key], time.perf_counter() - start)
        return result


def run_size(triples: int, seed: int = 0) -> dict:
    """Time every step at one size; returns ``{"triples", "nodes", "edges", "times", ...}``."""
    clock = _Clock()
    data = clock("generate", lambda: nquads(triples, seed))
    store = open_store("memory")
    clock("load", lambda: store.load_nquads(data), repeat_below=0)
    del data
    G = clock("projection", lambda: net.to_networkx(store))
    H = clock("simple_view", lambda: net.simple_view(G))
    clock("to_igraph", lambda: net.to_igraph(H))
    deg = clock("degree", lambda: net.degree(H))
    clock("pagerank_numpy", lambda: net.pagerank(H, backend="networkx"))
    clock("pagerank_igraph", lambda: net.pagerank(H, backend="igraph"))
    bn = clock("betweenness_networkx", lambda: net.betweenness(H, backend="networkx"))
    bi = clock("betweenness_igraph", lambda: net.betweenness(H, backend="igraph"))
    cn = clock("louvain_networkx", lambda: net.communities(H, backend="networkx"))
    ci = clock("louvain_igraph", lambda: net.communities(H, backend="igraph"))
    cl = clock("leiden_igraph", lambda: net.communities(H, method="leiden"))
    clock("rank_auto", lambda: net.rank(G, top=10))
    rng = random.Random(seed)
    people = [n for n, t in G.nodes(data="type") if t == "Person"]
    pairs = [tuple(rng.sample(people, 2)) for _ in range(5)]

    def paths():
        lengths = []
        for a, b in pairs:
            try:
                lengths.append(len(net.shortest_path(G, a, b)))
            except nx.NetworkXNoPath:
                lengths.append(None)
        return lengths

    lengths = clock("shortest_path", paths, repeat_below=0)
    clock.wall["shortest_path"] /= len(pairs)
    clock.cpu["shortest_path"] /= len(pairs)
    hub = max((n for n in G if G.nodes[n]["type"] != "Deal"), key=deg.get)
    E = clock("ego_network", lambda: net.ego_network(G, hub, depth=2))
    dates = sorted(d for _, d in G.nodes(data="date") if d)
    middle = dates[len(dates) // 2][:7]
    past = clock("as_of", lambda: net.as_of(G, middle))
    modularity = {}
    g, nodes = net.to_igraph(H)
    index = {n: i for i, n in enumerate(nodes)}
    for name, found in (("louvain_networkx", cn), ("louvain_igraph", ci), ("leiden_igraph", cl)):
        membership = [0] * len(nodes)
        for c in found:
            for n in c["members"]:
                membership[index[n]] = c["id"]
        modularity[name] = {"communities": len(found), "modularity": round(g.modularity(membership), 4)}
    return {
        "triples": store.count(), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "connections": H.number_of_edges(),
        "times": {k: round(v, 4) for k, v in clock.wall.items()},
        "cpu_times": {k: round(v, 4) for k, v in clock.cpu.items()},
        "betweenness_backends_max_difference": max(abs(bn[n] - bi[n]) for n in bn),
        "communities": modularity, "path_lengths": lengths,
        "ego": {"hub": G.nodes[hub]["label"], "nodes": E.number_of_nodes()},
        "as_of": {"date": middle, "nodes": past.number_of_nodes()},
    }


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(results: list[dict]) -> str:
    """The results as a plain-text table, one column per size."""
    heads = [f"{r['triples']:,} triples" for r in results]
    width = max(len(d) for _, d in ROWS) + 2
    cols = [max(12, len(h) + 2) for h in heads]
    lines = ["".ljust(width) + "".join(h.rjust(c) for h, c in zip(heads, cols)) + "   last/previous (CPU)"]
    lines.append("nodes / edges".ljust(width) + "".join(f"{r['nodes']:,} / {r['edges']:,}".rjust(c) for r, c in zip(results, cols)))
    for key, desc in ROWS:
        values = [r["times"].get(key) for r in results]
        cpu = [r["cpu_times"].get(key) for r in results]
        ratio = ""
        if len(cpu) >= 2 and cpu[-1] and cpu[-2]:
            ratio = f"{cpu[-1] / cpu[-2]:8.1f}x"
        lines.append(desc.ljust(width) + "".join(_fmt(v).rjust(c) for v, c in zip(values, cols)) + "   " + ratio)
    for name in ("louvain_networkx", "louvain_igraph", "leiden_igraph"):
        lines.append(f"modularity ({name.replace('_', ', ')})".ljust(width) + "".join(
            f"{r['communities'][name]['modularity']:.3f} ({r['communities'][name]['communities']})".rjust(c)
            for r, c in zip(results, cols)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6], help="triples per run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    args = parser.parse_args(argv)
    net.betweenness(net.example_graph(), backend="igraph")  # import igraph before the clock starts
    results = []
    for size in args.sizes:
        start = time.perf_counter()
        results.append(run_size(int(size), args.seed))
        print(f"{int(size):,} triples: {time.perf_counter() - start:.1f} s", flush=True)
    report = {
        "benchmark": "network", "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "networkx": version("networkx"), "igraph": version("igraph"), "pyoxigraph": version("pyoxigraph"),
                    "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)},
        "settings": {"betweenness_sources": net.BETWEENNESS_SOURCES, "igraph_min_edges": net.IGRAPH_MIN_EDGES},
        "results": results,
    }
    print()
    print(table(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    print(f"\nwrote {args.output}")
    return report


if __name__ == "__main__":
    main()
