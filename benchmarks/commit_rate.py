"""The scale model's inputs, measured: one worker's extraction rate and the writer's commit rate.

    python -m benchmarks.commit_rate [--copies 4] [--preload 1e6] [--virtuoso]
    python -m benchmarks.commit_rate --table        # the scale model from the last results

A build is a pipeline: N workers extract, one writer resolves and commits.
This measures each stage alone, on the 295 Wikinews articles
(``../shared/data/wikinews``):

- **extraction, one worker**: ``graph.extract.extract_many`` over every article
  in this process (model loaded and warmed first, not timed): articles/s,
  words/s and words per CPU second;
- **the writer**: the extracted articles are stored again and again (``--copies``
  times, each copy a new article id, so a new named graph whose entities are
  already known) through the writer's own steps (``graph.pipeline``: prefetch
  of known entities, ``article_graph``, ``replace_graph``, then ``flush``), into
  an empty on-disk store, into an on-disk store already holding ``--preload``
  generated triples (:mod:`benchmarks.generate`), into a remote store (an
  ``oxigraph serve`` on loopback, dealgraph batching its writes) and, with
  ``--virtuoso``, a Virtuoso 7 on loopback. Articles/s committed, and the
  quads each article adds.

``--table`` prints the scale model computed from ``benchmarks/results/commit_rate.json``
(and ``bulk_load.json`` when present): what 1M and 10M articles cost on 1, 8 and
64 workers, and which stage is the bottleneck. Results go to
``benchmarks/results/commit_rate.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.extract_speed import DEFAULT_DATA, wikinews_articles

RESULTS = Path(__file__).parent / "results" / "commit_rate.json"
BULK = Path(__file__).parent / "results" / "bulk_load.json"


def extraction(articles: list) -> tuple[dict, list]:
    """One worker's rate; also returns the (article, facts) pairs for the writer."""
    from graph.extract import extract_many, load_pipeline

    t = time.perf_counter()
    load_pipeline()
    list(extract_many(articles[:1]))
    model_s = time.perf_counter() - t
    cpu, wall = time.process_time(), time.perf_counter()
    done = [(a, facts) for a, facts, _ in extract_many(articles)]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    words = sum(a.words for a, _ in done)
    return {
        "articles": len(done),
        "words": words,
        "facts": sum(len(f) for _, f in done),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "model_load_s": round(model_s, 2),
        "articles_per_s": round(len(done) / wall, 2),
        "words_per_s": round(words / wall),
        "words_per_cpu_s": round(words / cpu),
        "words_per_article": round(words / len(done)),
    }, done


def commit(store, done: list, copies: int) -> dict:
    """Store ``copies`` copies of the extracted articles through the writer's steps; articles/s."""
    from graph.pipeline import CHUNK, _chunks, _prefetch
    from graph.rdf import article_graph
    from graph.resolve import Resolver

    resolver, asked = Resolver(), set()
    before = store.count()
    items = [(dataclasses.replace(a, id=f"{a.id}-copy{k}"), facts) for k in range(copies) for a, facts in done]
    t0 = time.perf_counter()
    for chunk in _chunks(items, CHUNK):
        _prefetch(store, resolver, [f for _, facts in chunk for f in facts], asked)
        for article, facts in chunk:
            store.replace_graph(article_graph(article, facts, resolver))
    store.flush()
    wall = time.perf_counter() - t0
    added = store.count() - before
    return {
        "articles": len(items),
        "wall_s": round(wall, 2),
        "articles_per_s": round(len(items) / wall, 1),
        "quads_per_article": round(added / len(items), 1),
        "store_quads_before": before,
    }


def writers(done: list, copies: int, preload: int, with_virtuoso: bool) -> dict:
    from graph.store import open_store
    from tests.oxigraph_server import OxigraphServer

    out = {}
    with tempfile.TemporaryDirectory(prefix="dealgraph-commit-") as tmp:
        store = open_store(Path(tmp) / "empty")
        out["embedded, empty store"] = commit(store, done, copies)
        store.close()
        if preload:
            from benchmarks.generate import nquads

            store = open_store(Path(tmp) / "big")
            store.load_nquads(nquads(preload))
            out[f"embedded, store of {preload:,} triples"] = commit(store, done, copies)
            store.close()
    with OxigraphServer() as server:
        store = open_store(server.query_url)
        out["remote, oxigraph serve (loopback)"] = commit(store, done, copies)
        store.close()
    if with_virtuoso:
        from tests.virtuoso_server import VirtuosoServer

        with VirtuosoServer() as server:
            store = open_store(server.query_url)
            out["remote, Virtuoso 7 (loopback)"] = commit(store, done, copies)
            store.close()
    for name, r in out.items():
        print(f"  {name}: {r['articles_per_s']} articles/s", file=sys.stderr, flush=True)
    return out


# ------------------------------------------------------------------ the model

ARCHIVES = (1_000_000, 10_000_000)
WORKERS = (1, 8, 64)


def _duration(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} d"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"


def scale_model(result: dict, bulk: dict | None = None) -> str:
    """The markdown table: for each archive and worker count, extraction and writer times, and the bottleneck.

    Extraction scales with workers (one writer feeds them; the measured per-worker
    rate, assuming each worker has a core of its own); the writer does not: a
    build takes the longer of the two, as they overlap. With the bulk path the
    workers write N-Quads and the store's bulk loader takes them at its
    measured triples/s.
    """
    ex = result["extraction"]
    wpa = ex["words_per_article"]
    rates = {name: r["articles_per_s"] for name, r in result["writers"].items()}
    qpa = next(iter(result["writers"].values()))["quads_per_article"]
    lines = [
        f"Per worker: {ex['words_per_s']:,} words/s ({ex['articles_per_s']} articles/s of {wpa} words); "
        f"writer: " + ", ".join(f"{n} {r} articles/s" for n, r in rates.items()) + f"; {qpa} quads per article.",
        "",
        "| articles | workers | extraction | writer, embedded | writer, remote | bottleneck (embedded) |",
        "|---|---|---|---|---|---|",
    ]
    embedded = rates.get("embedded, empty store")
    big = [r for n, r in rates.items() if n.startswith("embedded, store of")]
    embedded = min([embedded, *big]) if embedded else None
    remote = rates.get("remote, oxigraph serve (loopback)")
    for n in ARCHIVES:
        for w in WORKERS:
            extract_s = n * wpa / (ex["words_per_s"] * w)
            write_s = n / embedded if embedded else None
            remote_s = n / remote if remote else None
            neck = "writer" if write_s and write_s > extract_s else "extraction"
            lines.append(
                f"| {n:,} | {w} | {_duration(extract_s)} | {_duration(write_s) if write_s else '-'} | "
                f"{_duration(remote_s) if remote_s else '-'} | {neck} |"
            )
    if bulk:
        lines.append("")
        for engine, name in (
            ("dealgraph", "dealgraph load_nquads"),
            ("oxigraph", "Oxigraph bulk_load"),
            ("virtuoso", "Virtuoso ld_dir"),
        ):
            if bulk.get(engine):
                tps = bulk[engine]["quads"] / bulk[engine]["load_s"]
                lines.append(
                    f"Bulk path, {name}: {tps:,.0f} quads/s measured at {bulk['triples']:,} triples, so "
                    + ", ".join(
                        f"{n:,} articles ({n * qpa:,.0f} quads) in {_duration(n * qpa / tps)}" for n in ARCHIVES
                    )
                    + "."
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict | None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.commit_rate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--copies", type=int, default=4, help="times the 295 articles are committed per store (default 4)")
    ap.add_argument("--preload", type=float, default=1e6, help="triples in the big on-disk store (0: skip)")
    ap.add_argument("--virtuoso", action="store_true", help="also commit into a Virtuoso 7 on loopback")
    ap.add_argument("--table", action="store_true", help="print the scale model from the saved results and stop")
    ap.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    if args.table:
        if not args.output.exists():
            ap.exit(1, f"error: no {args.output}; run python -m benchmarks.commit_rate first\n")
        print(
            scale_model(
                json.loads(args.output.read_text("utf-8")),
                json.loads(BULK.read_text("utf-8")) if BULK.exists() else None,
            )
        )
        return None
    if not (args.data / "wikinews").is_dir():
        ap.exit(1, f"error: no Wikinews articles in {args.data / 'wikinews'}\n")
    load = [round(x, 2) for x in os.getloadavg()]
    articles = wikinews_articles(args.data)
    ex, done = extraction(articles)
    print(
        f"extraction, one worker: {ex['words_per_s']:,} words/s, {ex['articles_per_s']} articles/s",
        file=sys.stderr,
        flush=True,
    )
    result = {
        "benchmark": "commit_rate",
        "cpus": os.cpu_count(),
        "copies": args.copies,
        "load_average_start": load,
        "extraction": ex,
        "writers": writers(done, args.copies, int(args.preload), args.virtuoso),
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(scale_model(result, json.loads(BULK.read_text("utf-8")) if BULK.exists() else None))
    print(f"wrote {args.output}", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
