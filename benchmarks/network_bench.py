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

``--projection`` times only the projection, side by side in one run, from an
on-disk store: ``to_networkx`` (the embedded store's queries, graph/network/rows.py),
the same store read through the portable queries (what every store asked
before), ``to_networkx`` from a memory store, raw pyoxigraph's edges
(``quads_for_pattern`` per relation, no attributes), rdflib's networkx bridge
(``--rdflib``), and ``--before COMMIT``: graph/network.py as it was at that
commit (read with ``git show``), on the same store. Wall and CPU seconds, best
of ``--repeat``; writes ``benchmarks/results/projection.json``:

    python -m benchmarks.network_bench --projection --sizes 1e5 1e6 --before 62f99ee --rdflib
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import time
from importlib.metadata import version
from pathlib import Path

import networkx as nx

from benchmarks.generate import nquads
from graph import network as net
from graph.store import open_store

RESULTS = Path(__file__).parent / "results" / "network.json"
PROJECTION_RESULTS = Path(__file__).parent / "results" / "projection.json"

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
        "triples": store.count(),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "connections": H.number_of_edges(),
        "times": {k: round(v, 4) for k, v in clock.wall.items()},
        "cpu_times": {k: round(v, 4) for k, v in clock.cpu.items()},
        "betweenness_backends_max_difference": max(abs(bn[n] - bi[n]) for n in bn),
        "communities": modularity,
        "path_lengths": lengths,
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
    lines.append(
        "nodes / edges".ljust(width)
        + "".join(f"{r['nodes']:,} / {r['edges']:,}".rjust(c) for r, c in zip(results, cols))
    )
    for key, desc in ROWS:
        values = [r["times"].get(key) for r in results]
        cpu = [r["cpu_times"].get(key) for r in results]
        ratio = ""
        if len(cpu) >= 2 and cpu[-1] and cpu[-2]:
            ratio = f"{cpu[-1] / cpu[-2]:8.1f}x"
        lines.append(desc.ljust(width) + "".join(_fmt(v).rjust(c) for v, c in zip(values, cols)) + "   " + ratio)
    for name in ("louvain_networkx", "louvain_igraph", "leiden_igraph"):
        lines.append(
            f"modularity ({name.replace('_', ', ')})".ljust(width)
            + "".join(
                f"{r['communities'][name]['modularity']:.3f} ({r['communities'][name]['communities']})".rjust(c)
                for r, c in zip(results, cols)
            )
        )
    return "\n".join(lines)


def _best(f, repeat: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds of ``repeat`` calls, and the last value."""
    wall = cpu = float("inf")
    value = None
    for _ in range(repeat):
        value = None  # the previous graph is freed before the next call
        t, c = time.perf_counter(), time.process_time()
        value = f()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu, value


def _module_at(commit: str):
    """graph/network.py as it was at ``commit`` (``git show``), imported as a module; None when git cannot."""
    import importlib.util
    import subprocess
    import tempfile

    out = subprocess.run(
        ["git", "show", f"{commit}:graph/network.py"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if out.returncode != 0:
        print(f"--before {commit}: {out.stderr.strip()}", file=sys.stderr)
        return None
    path = Path(tempfile.mkdtemp(prefix="dealgraph-before-")) / "network_before.py"
    path.write_text(out.stdout, "utf-8")
    spec = importlib.util.spec_from_file_location("network_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def projection_size(triples: int, seed: int, repeat: int, before=None, rdflib_bridge: bool = False) -> dict:
    """The projection at one size, every way side by side (see the module docstring)."""
    import tempfile

    import pyoxigraph as ox

    from graph.network import rows as projection

    data = nquads(triples, seed)
    out: dict = {"triples": triples, "wall": {}, "cpu": {}}

    def measure(key, f):
        wall, cpu, value = _best(f, repeat)
        out["wall"][key], out["cpu"][key] = round(wall, 3), round(cpu, 3)
        print(f"  {key}: {wall:.2f} s (CPU {cpu:.2f} s)", file=sys.stderr, flush=True)
        return value

    with tempfile.TemporaryDirectory(prefix="dealgraph-projection-") as tmp:
        store = open_store(Path(tmp) / "store")
        store.load_nquads(data)
        G = measure("to_networkx (on-disk store)", lambda: net.to_networkx(store))
        out.update(nodes=G.number_of_nodes(), edges=G.number_of_edges(), quads=store.count())
        del G
        if before is not None:
            measure("before: to_networkx (on-disk store)", lambda: before.to_networkx(store))
        portable = {
            "articles": net._ARTICLES,
            "types": net._TYPES,
            "labels": net._LABELS,
            "aliases": net._ALIASES,
            "mentions": net._MENTIONS,
            "facts": net._FACTS,
            "deals": net._DEALS,
            "parties": net._PARTIES,
        }
        measure(
            "portable queries (on-disk store)",
            lambda: projection.from_rows({k: projection.solution_rows(k, store.query(q)) for k, q in portable.items()}),
        )
        relations = [
            ox.NamedNode(str(net.DG[p]))
            for p in (
                "ceoOf",
                "founderOf",
                "chairOf",
                "executiveOf",
                "boardMemberOf",
                "worksFor",
                "subsidiaryOf",
                "acquired",
                "investedIn",
                "dealWith",
                "launched",
                "party",
                "acquirer",
                "target",
                "investor",
                "investee",
            )
        ]

        def raw_edges():
            H = nx.MultiDiGraph()
            for p in relations:
                key = p.value.rsplit("#", 1)[1]
                H.add_edges_from(
                    (q.subject.value, q.object.value, key)
                    for q in store._s.quads_for_pattern(None, p, None, ox.DefaultGraph())
                )
            return H

        measure("raw pyoxigraph edges (on-disk store)", raw_edges)
        store.close()
    mem = open_store("memory")
    mem.load_nquads(data)
    measure("to_networkx (memory store)", lambda: net.to_networkx(mem))
    if before is not None:
        measure("before: to_networkx (memory store)", lambda: before.to_networkx(mem))
    mem.close()
    if rdflib_bridge:
        from rdflib import Dataset
        from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

        ds = Dataset(default_union=True)
        ds.parse(data=data, format="nquads")
        measure(
            "rdflib bridge (rdflib_to_networkx_multidigraph)",
            lambda: rdflib_to_networkx_multidigraph(ds.triples((None, None, None))),
        )
        del ds
    return out


def projection_table(results: list[dict]) -> str:
    """Wall seconds (CPU in brackets), one column per size."""
    keys = [k for k in results[0]["wall"]]
    width = max(len(k) for k in keys) + 2
    lines = ["".ljust(width) + "".join(f"{r['triples']:,} triples".rjust(24) for r in results)]
    for k in keys:
        lines.append(
            k.ljust(width)
            + "".join(
                (f"{r['wall'][k]:.2f} s ({r['cpu'][k]:.2f} CPU)" if k in r["wall"] else "-").rjust(24) for r in results
            )
        )
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        ratio = b["cpu"]["to_networkx (on-disk store)"] / a["cpu"]["to_networkx (on-disk store)"]
        lines.append(
            f"to_networkx (on-disk) CPU time, {b['triples']:,} over {a['triples']:,} triples: {ratio:.1f}x "
            f"(size ratio {b['triples'] / a['triples']:.0f}x)"
        )
    return "\n".join(lines)


def projection_main(args) -> dict:
    before = _module_at(args.before) if args.before else None
    load = os.getloadavg()
    results = []
    for size in args.sizes:
        print(f"{int(size):,} triples", file=sys.stderr, flush=True)
        results.append(projection_size(int(size), args.seed, args.repeat, before, args.rdflib))
    report = {
        "benchmark": "projection",
        "seed": args.seed,
        "repeat": args.repeat,
        "before": args.before,
        "load_average": {"start": [round(x, 2) for x in load], "end": [round(x, 2) for x in os.getloadavg()]},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "networkx": version("networkx"),
            "pyoxigraph": version("pyoxigraph"),
        },
        "results": results,
    }
    print(projection_table(results))
    out = args.output or PROJECTION_RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    print(f"\nwrote {out}", file=sys.stderr)
    return report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6], help="triples per run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help=f"JSON results (default {RESULTS}, with --projection {PROJECTION_RESULTS})",
    )
    parser.add_argument("--projection", action="store_true", help="time only the projection, every way (on disk)")
    parser.add_argument("--before", metavar="COMMIT", help="with --projection: also graph/network.py at COMMIT")
    parser.add_argument("--rdflib", action="store_true", help="with --projection: also rdflib's networkx bridge")
    parser.add_argument("--repeat", type=int, default=3, help="with --projection: best of N (default 3)")
    args = parser.parse_args(argv)
    if args.projection:
        return projection_main(args)
    args.output = args.output or RESULTS
    net.betweenness(net.example_graph(), backend="igraph")  # import igraph before the clock starts
    results = []
    for size in args.sizes:
        start = time.perf_counter()
        results.append(run_size(int(size), args.seed))
        print(f"{int(size):,} triples: {time.perf_counter() - start:.1f} s", flush=True)
    report = {
        "benchmark": "network",
        "seed": args.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "networkx": version("networkx"),
            "igraph": version("igraph"),
            "pyoxigraph": version("pyoxigraph"),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        },
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
