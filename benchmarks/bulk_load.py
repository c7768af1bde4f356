"""The bulk path at 1M triples: Oxigraph's ``bulk_load`` beside Virtuoso's bulk loader, then the same questions.

One command, one run, side by side::

    python -m benchmarks.bulk_load [--triples 1e6] [--seed 0] [--repeat 3]

It writes ~1M triples of generated news (:mod:`benchmarks.generate`) as one
N-Quads file (what ``dealgraph export --format nq`` gives for a real store),
then loads it three ways and asks each the same saved questions:

- **Oxigraph, raw** ``pyoxigraph.Store(path).bulk_load`` of the file as it is;
  questions on Oxigraph's union of named graphs (as an ``oxigraph serve
  --union-default-graph`` would answer them);
- **dealgraph** ``open_store(path).load_nquads``: the same bulk load plus the
  materialised union default graph (each triple once, see ``graph.store``);
- **Virtuoso 7** (``virtuoso-t`` on loopback in a temporary folder, started as
  ``tests/virtuoso_server.py`` does; the folder is in ``DirsAllowed``): its bulk
  loader through ``isql-vt`` (``ld_dir(folder, '*.nq', graph)``,
  ``rdf_loader_run()``, ``checkpoint``), questions through dealgraph's remote
  store (``--store http://127.0.0.1:PORT/sparql``), Virtuoso's default graph
  being the union of its graphs.

The questions are saved ones (``ontology/queries``): ``ceo-of`` and
``deals-of`` for the company with the most deals, and ``top-dealmakers``; each
is timed ``--repeat`` times (best), and the answers of the three stores are
compared. Prints a table and writes ``benchmarks/results/bulk_load.json``.
Needs ``virtuoso-t`` and ``isql-vt`` (Debian ``virtuoso-opensource-7-bin``);
without them the Virtuoso column is left out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "bulk_load.json"
QUESTIONS = ("ceo-of", "deals-of", "top-dealmakers")
DEFAULT_GRAPH = "https://w3id.org/dealgraph/bulk"  # for triples without a graph (none here)


def _hub(store) -> str:
    """The label of the company with a CEO in the most deals (asked of the raw Oxigraph store)."""
    from graph.query import run

    r = run(
        store,
        "SELECT ?l (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d dg:party ?o . ?o a dg:Organization ; rdfs:label ?l "
        "FILTER EXISTS { ?p dg:ceoOf ?o } } GROUP BY ?l ORDER BY DESC(?n) ?l LIMIT 1",
    )
    return str(r.rows[0][0])


def _answers(result) -> list:
    return sorted(tuple(str(v) for v in row) for row in result.rows)


def ask_all(store, hub: str, repeat: int) -> dict:
    """Time each question (best of ``repeat``): {name: {"s": seconds, "rows": n, "answers": [...]}}."""
    from graph.query import run, saved_queries

    saved = saved_queries()
    out = {}
    for name in QUESTIONS:
        sq = saved[name]
        subs = {k: hub for k in sq.params}
        best, result = float("inf"), None
        for _ in range(repeat):
            t = time.perf_counter()
            result = run(store, sq.sparql, substitutions=subs or None)
            best = min(best, time.perf_counter() - t)
        out[name] = {"s": round(best, 4), "rows": len(result.rows), "answers": _answers(result)}
    return out


def oxigraph_raw(nq: Path, work: Path, hub: str | None, repeat: int) -> tuple[dict, str]:
    import pyoxigraph as ox

    from graph.store import Store

    t = time.perf_counter()
    inner = ox.Store(str(work / "oxigraph"))
    inner.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    inner.flush()
    load = time.perf_counter() - t
    store = Store(inner, str(work / "oxigraph"), read_only=True, materialized=False)  # questions on the union
    hub = hub or _hub(store)
    return {"load_s": round(load, 2), "quads": len(inner), "questions": ask_all(store, hub, repeat)}, hub


def dealgraph_store(nq: Path, work: Path, hub: str, repeat: int) -> dict:
    from graph.store import open_store

    t = time.perf_counter()
    store = open_store(work / "dealgraph")
    store.load_nquads(nq.read_bytes())
    store.flush()
    load = time.perf_counter() - t
    out = {"load_s": round(load, 2), "quads": store.count(), "questions": ask_all(store, hub, repeat)}
    store.close()
    return out


def virtuoso(nq: Path, hub: str, repeat: int) -> dict | None:
    from tests.virtuoso_server import VirtuosoServer, virtuoso_binary

    if virtuoso_binary() is None or shutil.which("isql-vt") is None:
        print(
            "virtuoso-t / isql-vt missing (apt-get install virtuoso-opensource-7-bin): Virtuoso left out",
            file=sys.stderr,
        )
        return None
    from graph.store import open_store

    with VirtuosoServer() as server:
        folder = server.dir / "load"  # inside DirsAllowed
        folder.mkdir()
        shutil.copy(nq, folder / nq.name)
        t = time.perf_counter()
        server.isql(f"ld_dir('{folder}', '*.nq', '{DEFAULT_GRAPH}')")
        server.isql("rdf_loader_run()")
        server.isql("checkpoint")
        load = time.perf_counter() - t
        states = server.isql("SELECT ll_state, ll_error FROM DB.DBA.LOAD_LIST")
        store = open_store(server.query_url, read_only=True)
        out = {
            "load_s": round(load, 2),
            "quads": store.count(),
            "load_list": " ".join(states.split())[-300:],
            "questions": ask_all(store, hub, repeat),
        }
        store.close()
    return out


def table(report: dict) -> str:
    engines = [e for e in ("oxigraph", "dealgraph", "virtuoso") if report.get(e)]
    heads = {"oxigraph": "Oxigraph bulk_load", "dealgraph": "dealgraph load_nquads", "virtuoso": "Virtuoso ld_dir"}
    rows = [
        ("", *[heads[e] for e in engines]),
        ("load (s)", *[f"{report[e]['load_s']:.1f}" for e in engines]),
        ("quads", *[f"{report[e]['quads']:,}" for e in engines]),
    ]
    for q in QUESTIONS:
        rows.append(
            (
                f"{q} (ms, rows)",
                *[
                    f"{report[e]['questions'][q]['s'] * 1000:.1f} ({report[e]['questions'][q]['rows']})"
                    for e in engines
                ],
            )
        )
    rows.append(
        ("same answers as Oxigraph", *["yes" if report["same_answers"].get(e, True) else "NO" for e in engines])
    )
    widths = [max(len(r[i]) for r in rows) + 2 for i in range(len(rows[0]))]
    return "\n".join(
        "".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows
    )


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bulk_load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=float, default=1e6, help="size of the generated graph (default 1e6)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="times each question is asked (best kept)")
    ap.add_argument("--no-virtuoso", action="store_true", help="leave Virtuoso out")
    ap.add_argument("-o", "--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    args = ap.parse_args(argv)
    from benchmarks.generate import write_nquads

    report: dict = {
        "benchmark": "bulk_load",
        "triples": int(args.triples),
        "seed": args.seed,
        "repeat": args.repeat,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="dealgraph-bulk-") as tmp:
        work = Path(tmp)
        nq = work / "graph.nq"
        t = time.perf_counter()
        write_nquads(nq, int(args.triples), args.seed)
        report["generate_s"] = round(time.perf_counter() - t, 2)
        report["nq_mb"] = round(nq.stat().st_size / 1e6, 1)
        print(f"{nq.stat().st_size / 1e6:.0f} MB of N-Quads in {report['generate_s']} s", file=sys.stderr, flush=True)
        report["oxigraph"], hub = oxigraph_raw(nq, work, None, args.repeat)
        report["hub"] = hub
        print(f"oxigraph: loaded in {report['oxigraph']['load_s']} s; hub {hub!r}", file=sys.stderr, flush=True)
        report["dealgraph"] = dealgraph_store(nq, work, hub, args.repeat)
        print(f"dealgraph: loaded in {report['dealgraph']['load_s']} s", file=sys.stderr, flush=True)
        if not args.no_virtuoso:
            report["virtuoso"] = virtuoso(nq, hub, args.repeat)
            if report["virtuoso"]:
                print(f"virtuoso: loaded in {report['virtuoso']['load_s']} s", file=sys.stderr, flush=True)
    base = report["oxigraph"]["questions"]
    report["same_answers"] = {
        e: all(report[e]["questions"][q]["answers"] == base[q]["answers"] for q in QUESTIONS)
        for e in ("dealgraph", "virtuoso")
        if report.get(e)
    }
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(table(report))
    for e in ("oxigraph", "dealgraph", "virtuoso"):
        for q in (report.get(e) or {}).get("questions", {}).values():
            q.pop("answers")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return report


if __name__ == "__main__":
    main()
