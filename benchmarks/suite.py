"""The benchmark suite: dealgraph side by side with what users would pick instead.

``make bench`` (``python -m benchmarks``) generates company / person / deal
graphs with :mod:`benchmarks.generate` (1e4, 1e5, 1e6 triples) and times each
step on three engines in the same run:

- **dealgraph**: the project's own path (``graph.store``, ``graph.query.run``,
  ``graph.network``, ``graph.view``, ``graph.pipeline.build``);
- **raw pyoxigraph**: ``pyoxigraph.Store`` driven directly, the ceiling
  underneath (where it applies);
- **rdflib**: rdflib's in-memory ``Dataset`` (the engine kglab uses), with
  rdflib's own networkx bridge and plain networkx / pyvis on top.

Each engine runs in its own worker process per size (``python -m
benchmarks.suite worker ...``), one JSON line per measurement: the median of
``--reps`` repetitions, and the peak resident memory of the process during
that step (the kernel's high-water mark, reset before each step through
``/proc/self/clear_refs``). Slow baseline operations run under a deadline
(``--timeout``): they are reported as "> N s", their ratios as lower bounds,
and an operation slower than ``SLOW`` seconds is repeated once only.

Results: a table on stdout and ``benchmarks/results/suite.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).resolve().parent / "queries"
RESULTS = Path(__file__).resolve().parent / "results" / "suite.json"
DEFAULT_DATA = ROOT.parent / "shared" / "data"

#: An operation slower than this (seconds) is not repeated.
SLOW = 10.0
#: The benchmark questions, in table order: (file stem, row name).
QUESTIONS = (
    ("point-lookup", "query: point lookup"),
    ("one-hop", "query: 1-hop"),
    ("two-hop-subquery", "query: 2-hop"),
    ("two-hop", "query: 2-hop (labels joined early)"),
    ("top-dealmakers", "query: group-by top-10"),
    ("subsidiary-chain", "query: property path"),
)
#: Questions skipped above a size on Oxigraph's union of named graphs, which repeats a
#: triple once per graph stating it: this form then needs 83 s at 1e6 triples (see README).
MAX_SIZE = {"two-hop": 100_000}
ENGINES = ("dealgraph", "raw", "rdflib")
ARTICLE = """\
Harborline Robotics to buy Quillfeather Analytics

By Dana Okoro
Dealgraph Wire, March 3, 2025

Harborline Robotics agreed to acquire Quillfeather Analytics for $420 million, the companies said on Monday.
Quillfeather Analytics was founded by Tomasz Wiren in 2016 and sells software that predicts when warehouse machines will fail.
"Our customers asked for this for years," said Ines Castellano, chief executive of Harborline Robotics.
Quillfeather Analytics will operate as a unit of Harborline Robotics after the deal closes.
Harborline Robotics also announced a partnership with Meridian Logistics to test the software in twelve warehouses.
"""


# ---------------------------------------------------------------- measuring


class Deadline(Exception):
    """Raised inside an operation that ran past its deadline."""


def _fresh_dirs(work: Path, prefix: str):
    """A setup function giving an empty folder ``work/prefix-N`` on each call."""
    count = 0

    def fresh_dir() -> Path:
        nonlocal count
        count += 1
        d = work / f"{prefix}-{count}"
        shutil.rmtree(d, ignore_errors=True)
        return d

    return fresh_dir


@contextlib.contextmanager
def deadline(seconds: float | None):
    """Interrupt pure-Python code after ``seconds`` (SIGALRM; main thread only)."""
    if not seconds or not hasattr(signal, "SIGALRM"):
        yield
        return

    def _raise(signum, frame):
        raise Deadline()

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _status_kb(field: str) -> int:
    m = re.search(rf"^{field}:\s+(\d+)", Path("/proc/self/status").read_text(), re.M)
    return int(m.group(1)) if m else 0


def rss_mb() -> float:
    """Current resident memory of this process, MB."""
    return _status_kb("VmRSS") / 1024


def reset_peak() -> None:
    """Reset the kernel's resident high-water mark (Linux >= 4.0; no-op elsewhere)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    """Peak resident memory since the last :func:`reset_peak`, MB."""
    kb = _status_kb("VmHWM")
    if not kb:
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


class Worker:
    """Measures steps and writes one JSON line per step to stdout."""

    def __init__(self, engine: str, size: int, reps: int, timeout: float):
        self.engine, self.size, self.reps, self.timeout = engine, size, reps, timeout

    def emit(self, step: str, **record) -> None:
        record = {"step": step, "engine": self.engine, "size": self.size, **record}
        print(json.dumps(record), flush=True)

    def measure(
        self, step: str, fn, *, setup=None, reps: int | None = None, timeout: float | None = None, extra=None
    ) -> object:
        """Time ``fn(setup())`` ``reps`` times; emit the median and the step's peak memory.

        Returns the value of the last successful call (or None).
        """
        reps = reps or self.reps
        timeout = timeout if timeout is not None else self.timeout
        times, value, timed_out, error = [], None, False, None
        reset_peak()
        for _ in range(reps):
            arg = setup() if setup else None
            try:
                with deadline(timeout):
                    t0 = time.perf_counter()
                    value = fn(arg) if setup else fn()
                    times.append(time.perf_counter() - t0)
            except Deadline:
                timed_out = True
                break
            except Exception as e:  # noqa: BLE001 - a failing step is reported, the suite goes on
                error = f"{type(e).__name__}: {e}"[:300]
                break
            if times[-1] > SLOW:
                break
        record = {
            "times": times,
            "median": statistics.median(times) if times else None,
            "reps": len(times),
            "peak_mb": round(peak_mb(), 1),
        }
        if timed_out:
            record["timeout"] = timeout
        if error:
            record["error"] = error
        if extra:
            record.update(extra(value) if callable(extra) else extra)
        self.emit(step, **record)
        return value


# ---------------------------------------------------------------- inputs


def bench_queries() -> dict[str, str]:
    """The benchmark questions (``benchmarks/queries/*.rq``), by file stem."""
    return {stem: (QUERIES / f"{stem}.rq").read_text("utf-8") for stem, _ in QUESTIONS}


def bound(text: str, hub: str) -> str:
    """A question with its ``?company`` parameter replaced by ``hub`` as a literal (the same text for every engine).

    Written in place rather than with a VALUES block at the top (``graph.query.bind_parameters``),
    because a VALUES block outside a subquery does not reach into it.
    """
    import pyoxigraph as ox

    return re.sub(r"\?company\b", lambda m: str(ox.Literal(hub)), text)


def find_hub(store) -> str:
    """The label of the company with the most deal_with partners (raw pyoxigraph store)."""
    q = (
        "PREFIX dg: <https://w3id.org/dealgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?x) AS ?n) WHERE { ?o dg:dealWith|^dg:dealWith ?x . "
        "?o rdfs:label ?l } GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1"
    )
    return next(iter(store.query(q, use_default_graph_as_union=True)))[0].value


def wikinews_articles(data: Path, limit: int | None = None):
    """The Wikinews articles of ``data/wikinews/*.csv`` (url, date, title, text) as Articles."""
    from graph.sources import parse_record

    csv.field_size_limit(10**8)
    out = []
    for path in sorted((data / "wikinews").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f), start=2):
                out.append(parse_record(dict(row), str(path), i))
                if limit and len(out) >= limit:
                    return out
    return out


def write_article(folder: Path, n: int) -> Path:
    """The benchmark's new article (a different file, hence a new article, for each ``n``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-article-{n}.txt"
    path.write_text(ARTICLE.replace("March 3, 2025", f"March {n + 3}, 2025"), "utf-8")
    return path


# ---------------------------------------------------------------- workers


def _consume(rows) -> int:
    return sum(1 for _ in rows)


def worker_dealgraph(w: Worker, ctx: dict) -> None:
    import pyoxigraph as ox

    from graph.network import betweenness, communities, degree, pagerank, to_networkx
    from graph.query import run
    from graph.store import open_store
    from graph.view import write_html

    work = Path(ctx["work"])
    data = Path(ctx["nq"]).read_bytes()
    millions = w.size / 1e6
    store_dir = work / "dealgraph-store"
    loads: dict = {}
    fresh_dir = _fresh_dirs(work, "dg-load")

    def load_disk(d):
        before = rss_mb()
        s = open_store(d)
        s.load_nquads(data)
        s.close()
        loads["store_mb"] = max(loads.get("store_mb", 0), rss_mb() - before)
        return d

    last = w.measure(
        "load (disk store)",
        load_disk,
        setup=fresh_dir,
        extra=lambda _: {"store_mb": round(loads.get("store_mb", 0), 1)},
    )
    shutil.rmtree(store_dir, ignore_errors=True)
    Path(last).rename(store_dir)
    for d in work.glob("dg-load-*"):
        shutil.rmtree(d, ignore_errors=True)

    def load_memory():
        before = rss_mb()
        s = open_store("memory")
        s.load_nquads(data)
        loads["mem_mb"] = max(loads.get("mem_mb", 0), rss_mb() - before)
        return s

    mem = w.measure(
        "load (memory store)",
        load_memory,
        extra=lambda _: {
            "store_mb": round(loads.get("mem_mb", 0), 1),
            "mb_per_million": round(loads.get("mem_mb", 0) / millions, 1),
        },
    )
    del data
    if mem is not None:  # the same projection from RAM: how much of it is reading the disk store
        w.measure(
            "projection to networkx [memory store]",
            lambda: to_networkx(mem),
            extra=lambda G: {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()} if G is not None else {},
        )
    del mem

    store = open_store(store_dir)
    questions = bench_queries()
    for stem, row in QUESTIONS:
        text = bound(questions[stem], ctx["hub"])
        w.measure(row, lambda: len(run(store, text).rows), extra=lambda n: {"rows": n})

    G = w.measure(
        "projection to networkx",
        lambda: to_networkx(store),
        extra=lambda G: {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()} if G is not None else {},
    )
    if G is not None:
        w.measure("analytics: degree", lambda: degree(G))
        w.measure("analytics: pagerank", lambda: pagerank(G))
        w.measure("analytics: betweenness (k=100)", lambda: betweenness(G, k=100))
        w.measure("analytics: communities", lambda: communities(G))
        n = {"i": 0}

        def view():
            n["i"] += 1
            return write_html(G, work / f"view-{n['i']}.html", max_nodes=2000)

        w.measure("view generation", view, extra=lambda p: {"html_kb": round(p.stat().st_size / 1024)} if p else {})
    del G

    if ctx.get("incremental"):
        from graph.extract import load_pipeline
        from graph.pipeline import build

        load_pipeline()
        articles = work / "articles"
        k = {"i": 0}

        def one_article():
            k["i"] += 1
            return write_article(articles / f"warm-{k['i']}", k["i"])

        w.measure(
            "incremental build (model loaded)",
            lambda p: build([p], store).added,
            setup=one_article,
            extra=lambda added: {"added": added, "store_quads": store.count()},
        )
        # the article graph as N-Quads, for the rdflib baseline (same quads, no extraction)
        g = next(g for g in store.named_graphs() if "bench-article" in g)
        quads = store._s.quads_for_pattern(None, None, None, ox.NamedNode(g))
        Path(ctx["article_nq"]).write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    store.close()


def worker_incremental_cold(w: Worker, ctx: dict) -> None:
    """One article into the large store in a fresh process: imports and model load included."""
    t0 = time.perf_counter()
    from graph.pipeline import build
    from graph.store import open_store

    store = open_store(Path(ctx["work"]) / "dealgraph-store")
    t_open = time.perf_counter() - t0
    path = write_article(Path(ctx["work"]) / "articles" / f"cold-{ctx['rep']}", 100 + ctx["rep"])
    reset_peak()
    t1 = time.perf_counter()
    added = build([path], store).added
    t_build = time.perf_counter() - t1
    store.close()
    w.emit(
        "incremental build (cold process)",
        times=[t_build],
        median=t_build,
        reps=1,
        peak_mb=round(peak_mb(), 1),
        added=added,
        import_and_open_s=round(t_open, 3),
    )


def worker_raw(w: Worker, ctx: dict) -> None:
    """Raw pyoxigraph: the file as a pyoxigraph user would load it, and the same quads dealgraph stores.

    dealgraph keeps the union of the article graphs in the default graph, so the
    ceiling for its questions is pyoxigraph on those same quads (the main rows).
    The file loaded as it is and asked through Oxigraph's own union of named graphs
    is in the ``[union of named graphs]`` rows.
    """
    import networkx as nx
    import pyoxigraph as ox

    work = Path(ctx["work"])
    data = Path(ctx["nq"]).read_bytes()
    triples = ox.serialize(
        (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)),
        format=ox.RdfFormat.N_TRIPLES,
    )
    same = data + triples  # N-Triples lines are N-Quads in the default graph
    del triples
    millions = w.size / 1e6
    state: dict = {}
    fresh_dir = _fresh_dirs(work, "raw-load")

    def load_disk(payload):
        def load(d):
            before = rss_mb()
            s = ox.Store(str(d))
            s.bulk_load(payload, format=ox.RdfFormat.N_QUADS)
            s.flush()
            state["store_mb"] = max(state.get("store_mb", 0), rss_mb() - before)
            del s
            return d

        return load

    def load_memory(payload):
        def load():
            before = rss_mb()
            s = ox.Store()
            s.bulk_load(payload, format=ox.RdfFormat.N_QUADS)
            state["mem_mb"] = max(state.get("mem_mb", 0), rss_mb() - before)
            return s

        return load

    w.measure(
        "load (disk store) [union of named graphs]",
        load_disk(data),
        setup=fresh_dir,
        extra=lambda _: {"store_mb": round(state.pop("store_mb", 0), 1)},
    )
    last = w.measure(
        "load (disk store)",
        load_disk(same),
        setup=fresh_dir,
        extra=lambda _: {"store_mb": round(state.pop("store_mb", 0), 1)},
    )
    union = w.measure(
        "load (memory store) [union of named graphs]",
        load_memory(data),
        extra=lambda _: {
            "store_mb": round(state.get("mem_mb", 0), 1),
            "mb_per_million": round(state.pop("mem_mb", 0) / millions, 1),
        },
    )
    w.measure(
        "load (memory store)",
        load_memory(same),
        extra=lambda _: {
            "store_mb": round(state.get("mem_mb", 0), 1),
            "mb_per_million": round(state.pop("mem_mb", 0) / millions, 1),
        },
    )
    del data, same

    store = ox.Store(str(last))
    questions = bench_queries()
    for stem, row in QUESTIONS:
        text = bound(questions[stem], ctx["hub"])
        w.measure(row, lambda: _consume(tuple(s) for s in store.query(text)), extra=lambda n: {"rows": n})
        if union is not None and w.size <= MAX_SIZE.get(stem, w.size):
            w.measure(
                row + " [union of named graphs]",
                lambda: _consume(tuple(s) for s in union.query(text, use_default_graph_as_union=True)),
                extra=lambda n: {"rows": n},
            )
    del union

    relations = [
        ox.NamedNode(f"https://w3id.org/dealgraph/ontology#{p}")
        for p in (
            "ceoOf founderOf chairOf executiveOf boardMemberOf worksFor subsidiaryOf acquired investedIn dealWith launched "
            "party acquirer target investor investee"
        ).split()
    ]

    def projection():
        G = nx.MultiDiGraph()
        for p in relations:
            key = p.value.rsplit("#", 1)[1]
            G.add_edges_from(
                (q.subject.value, q.object.value, key)
                for q in store.quads_for_pattern(None, p, None, ox.DefaultGraph())
            )
        return G

    w.measure(
        "projection to networkx",
        projection,
        extra=lambda G: {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()} if G is not None else {},
    )


def _nx_pagerank(nx, H):
    """networkx's PageRank: the scipy version when scipy is installed, else the pure-Python one."""
    try:
        import scipy  # noqa: F401
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(H)
    return nx.pagerank(H)


def worker_rdflib(w: Worker, ctx: dict) -> None:
    import networkx as nx
    from rdflib import Dataset
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph
    from rdflib.plugins.sparql import prepareQuery

    work = Path(ctx["work"])
    millions = w.size / 1e6
    state = {}

    def load():
        before = rss_mb()
        ds = Dataset(default_union=True)
        ds.parse(ctx["nq"], format="nquads")
        state["mb"] = rss_mb() - before
        return ds

    ds = w.measure(
        "load (disk store)",
        load,
        timeout=ctx["load_timeout"],
        extra=lambda _: {
            "store_mb": round(state.get("mb", 0), 1),
            "mb_per_million": round(state.get("mb", 0) / millions, 1),
        },
    )
    if ds is None:
        return
    questions = bench_queries()
    for stem, row in QUESTIONS:
        prepared = prepareQuery(bound(questions[stem], ctx["hub"]))  # prepared once
        w.measure(row, lambda: _consume(ds.query(prepared)), extra=lambda n: {"rows": n})

    G = w.measure(
        "projection to networkx",
        lambda: rdflib_to_networkx_multidigraph(ds.triples((None, None, None))),
        extra=lambda G: {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()} if G is not None else {},
    )
    if G is not None:
        H = nx.Graph(G)  # what the measures need: undirected, simple
        w.measure("analytics: degree", lambda: nx.degree_centrality(H))
        w.measure("analytics: pagerank", lambda: _nx_pagerank(nx, H))
        w.measure("analytics: betweenness (k=100)", lambda: nx.betweenness_centrality(H, k=min(100, len(H)), seed=0))
        w.measure("analytics: communities", lambda: nx.community.louvain_communities(H, seed=0))
        del H

        def view():
            from pyvis.network import Network

            top = sorted(G.degree, key=lambda nd: nd[1], reverse=True)[:2000]  # the view's node budget
            sub = G.subgraph(n for n, _ in top)
            net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
            net.from_nx(nx.DiGraph((str(u), str(v)) for u, v in sub.edges()))
            out = work / "rdflib-view.html"
            out.write_text(net.generate_html(), "utf-8")
            return out

        w.measure("view generation", view)
        del G

    if ctx.get("incremental") and Path(ctx["article_nq"]).exists():

        def incremental():
            # rdflib keeps nothing on disk: a new article means read the graph, add, write it back
            d = Dataset(default_union=True)
            d.parse(ctx["nq"], format="nquads")
            d.parse(ctx["article_nq"], format="nquads")
            d.serialize(destination=str(work / "rdflib-out.nq"), format="nquads")
            return len(d)

        del ds
        w.measure("incremental build (model loaded)", incremental, reps=1, timeout=ctx["load_timeout"] * 2)


def worker_extract(w: Worker, ctx: dict) -> None:
    """Extraction throughput on Wikinews: dealgraph's pipeline, and the bare spaCy model underneath."""
    articles = wikinews_articles(Path(ctx["data"]), ctx.get("limit"))
    words = sum(a.words for a in articles)
    if w.engine == "dealgraph":
        from graph.extract import extract_many, load_pipeline

        load_pipeline()
        w.measure(
            "extraction (wikinews)",
            lambda: sum(len(f) for _, f, _ in extract_many(articles)),
            reps=1,
            extra=lambda facts: {"articles": len(articles), "words": words, "facts": facts},
        )
    else:
        import spacy

        from graph.extract import _model_name

        nlp = spacy.load(_model_name(), exclude=["lemmatizer"])  # the model as dealgraph loads it
        texts = [a.text for a in articles]
        w.measure(
            "extraction (wikinews)",
            lambda: sum(len(d.ents) for d in nlp.pipe(texts, batch_size=16)),
            reps=1,
            extra=lambda ents: {"articles": len(articles), "words": words, "entities": ents},
        )


def worker_footprint(w: Worker, ctx: dict) -> None:
    """Resident memory a store costs, in a fresh process: the memory store, and the disk store answering questions."""
    import gc

    from graph.query import run
    from graph.store import open_store

    millions = w.size / 1e6
    gc.collect()
    base = rss_mb()
    mem = open_store("memory")
    mem.load_nquads(Path(ctx["nq"]).read_bytes())  # the input is freed on return (large buffers go back to the OS)
    gc.collect()
    used = rss_mb() - base
    w.emit(
        "footprint: memory store",
        times=[0.0],
        median=None,
        reps=1,
        peak_mb=round(peak_mb(), 1),
        store_mb=round(used, 1),
        mb_per_million=round(used / millions, 1),
        quads=len(mem._s),
    )
    del mem
    gc.collect()
    base = rss_mb()
    store = open_store(Path(ctx["work"]) / "dealgraph-store", read_only=True)
    questions = bench_queries()
    for _ in range(3):
        for stem, _row in QUESTIONS:
            len(run(store, bound(questions[stem], ctx["hub"])).rows)
    used = rss_mb() - base
    w.emit(
        "footprint: disk store answering questions",
        times=[0.0],
        median=None,
        reps=1,
        peak_mb=round(peak_mb(), 1),
        store_mb=round(used, 1),
        mb_per_million=round(used / millions, 1),
    )
    store.close()


WORKERS = {
    "dealgraph": worker_dealgraph,
    "raw": worker_raw,
    "rdflib": worker_rdflib,
    "extract": worker_extract,
    "cold": worker_incremental_cold,
    "footprint": worker_footprint,
}


def worker_main(spec: dict) -> None:
    # the deadline is for the baselines; dealgraph and raw pyoxigraph run to the end
    timeout = spec["timeout"] if spec["engine"] == "rdflib" else 0
    w = Worker(spec["engine"], spec["size"], spec["reps"], timeout)
    WORKERS[spec["kind"]](w, spec["ctx"])


# ---------------------------------------------------------------- the runner


def spawn(kind: str, engine: str, size: int, ctx: dict, args, *, limit: float) -> list[dict]:
    """Run one worker (a subprocess, or in this process with ``--inprocess``); its records."""
    spec = {"kind": kind, "engine": engine, "size": size, "reps": args.reps, "timeout": args.timeout, "ctx": ctx}
    if args.inprocess:
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            worker_main(spec)
        return [json.loads(line) for line in buf.getvalue().splitlines() if line.startswith("{")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.suite", "worker", json.dumps(spec)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        out, _ = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()  # only the worker this runner started
        out, _ = proc.communicate()
        print(f"  {engine} worker at {size:,} stopped after {limit:.0f} s", file=sys.stderr)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_suite(args) -> dict:
    from benchmarks.generate import write_nquads

    t_start = time.perf_counter()
    records: list[dict] = []
    sizes_info = {}
    work_root = Path(tempfile.mkdtemp(prefix="dealgraph-bench-"))
    try:
        largest = max(args.sizes)
        for size in args.sizes:
            work = work_root / f"n{size}"
            work.mkdir()
            nq = work / "graph.nq"
            t0 = time.perf_counter()
            write_nquads(nq, size)
            gen_s = time.perf_counter() - t0
            import pyoxigraph as ox

            probe = ox.Store()
            probe.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            hub, quads = find_hub(probe), len(probe)
            del probe
            sizes_info[size] = {
                "quads": quads,
                "hub": hub,
                "generate_s": round(gen_s, 2),
                "nq_mb": round(nq.stat().st_size / 1e6, 1),
            }
            log(
                f"{size:,} triples: generated {quads:,} quads in {gen_s:.1f} s; hub {hub!r}; load {os.getloadavg()[0]:.2f}"
            )
            ctx = {
                "work": str(work),
                "nq": str(nq),
                "hub": hub,
                "article_nq": str(work / "article.nq"),
                "incremental": True,
                "load_timeout": max(args.timeout, 120.0),
            }
            for engine in ENGINES:
                t0 = time.perf_counter()
                got = spawn(engine, engine, size, ctx, args, limit=args.worker_limit)
                records += got
                log(f"  {engine}: {len(got)} measurements in {time.perf_counter() - t0:.0f} s")
            records += spawn("footprint", "dealgraph", size, ctx, args, limit=args.worker_limit)
            if size == largest:
                for rep in range(args.reps):
                    records += spawn("cold", "dealgraph", size, {**ctx, "rep": rep}, args, limit=300)
                log("  dealgraph: cold incremental builds done")
        if not args.no_extract:
            data = Path(args.data)
            if (data / "wikinews").is_dir():
                ctx = {"data": str(data), "limit": 20 if args.quick else None}
                for engine in ("dealgraph", "raw"):
                    records += spawn("extract", engine, 0, ctx, args, limit=args.worker_limit)
                log("extraction done")
            else:
                log(f"no {data}/wikinews: extraction skipped")
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    return {
        "machine": machine(),
        "sizes": {str(k): v for k, v in sizes_info.items()},
        "reps": args.reps,
        "timeout_s": args.timeout,
        "slow_s": SLOW,
        "wall_s": round(time.perf_counter() - t_start, 1),
        "records": records,
    }


def machine() -> dict:
    import pyoxigraph
    import rdflib

    mem_gb = None
    with contextlib.suppress(OSError, ValueError):
        mem_gb = round(int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024**2)
    cpu = ""
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "platform": platform.platform(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


# ---------------------------------------------------------------- the table


def _fmt_t(r: dict | None) -> str:
    if r is None:
        return "-"
    if r.get("error"):
        return "error"
    if r.get("median") is None:
        return f"> {r['timeout']:.0f} s" if r.get("timeout") else "-"
    t = r["median"]
    s = f"{t * 1000:.2f} ms" if t < 0.01 else f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"
    if r["reps"] == 1 and r.get("step") != "incremental build (cold process)":  # cold: one process per rep
        s += "¹"
    return s


def _ratio(slow: dict | None, fast: dict | None) -> str:
    """How many times ``fast`` beats ``slow`` (">" when ``slow`` hit its deadline)."""
    if not slow or not fast or fast.get("median") in (None, 0):
        return "-"
    if slow.get("median") is None:
        return f"> {slow['timeout'] / fast['median']:,.0f}x" if slow.get("timeout") else "-"
    r = slow["median"] / fast["median"]
    return f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 1 else f"{r:.2f}x"


def index(records: list[dict]) -> dict:
    return {(r["step"], r["size"], r["engine"]): r for r in records}


def table(result: dict) -> str:
    recs = index(result["records"])
    steps = []
    for r in result["records"]:
        if r["step"] not in steps and not r["step"].endswith("]") and not r["step"].startswith("footprint"):
            steps.append(r["step"])
    sizes = sorted({r["size"] for r in result["records"]})
    head = ("step", "triples", "dealgraph", "raw pyoxigraph", "rdflib", "rdflib/dg", "dg/raw", "peak MB dg/raw/rdflib")
    rows = []
    for step in steps:
        for size in sizes:
            dg, raw, rl = (recs.get((step, size, e)) for e in ENGINES)
            if not (dg or raw or rl):
                continue
            if step.startswith("extraction"):

                def wps(r):
                    return f"{r['words'] / r['median']:,.0f} w/s¹" if r and r.get("median") else "-"

                rows.append(
                    (
                        step,
                        f"{dg['words'] if dg else raw['words']:,} words",
                        wps(dg),
                        wps(raw) + " (spaCy)",
                        "-",
                        "-",
                        _ratio(dg, raw),
                        "/".join(f"{r['peak_mb']:.0f}" if r else "-" for r in (dg, raw, None)),
                    )
                )
                continue
            peaks = "/".join(f"{r['peak_mb']:.0f}" if r else "-" for r in (dg, raw, rl))
            rows.append(
                (step, f"{size:,}", _fmt_t(dg), _fmt_t(raw), _fmt_t(rl), _ratio(rl, dg), _ratio(dg, raw), peaks)
            )
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows]
    return "\n".join(out)


def targets(result: dict) -> list[tuple[str, bool | None, str]]:
    """The targets of the issue at the largest size: (target, met?, the numbers)."""
    recs = index(result["records"])
    sizes = sorted({r["size"] for r in result["records"] if r["size"]})
    if not sizes:
        return []
    n = sizes[-1]
    get = lambda step, e, size=n: recs.get((step, size, e))  # noqa: E731
    med = lambda r: r.get("median") if r else None  # noqa: E731
    out = []

    def lower(r):  # a time, or the deadline it passed (a lower bound)
        return med(r) if med(r) is not None else (r or {}).get("timeout")

    rl = get("load (disk store)", "rdflib")  # rdflib's one load: into memory
    for step in ("load (disk store)", "load (memory store)"):
        dg, raw = get(step, "dealgraph"), get(step, "raw")
        if med(dg) and lower(rl) and med(raw):
            out.append(
                (
                    f"{step} >= 10x faster than rdflib in memory",
                    lower(rl) / med(dg) >= 10,
                    f"{_ratio(rl, dg)} ({_fmt_t(dg)} vs {_fmt_t(rl)})",
                )
            )
            asis = get(step + " [union of named graphs]", "raw")
            also = f"; {med(dg) / med(asis):.2f}x raw loading the file as it is ({_fmt_t(asis)})" if med(asis) else ""
            out.append(
                (
                    f"{step} within 1.2x of raw pyoxigraph bulk_load (the same quads)",
                    med(dg) / med(raw) <= 1.2,
                    f"{med(dg) / med(raw):.2f}x ({_fmt_t(dg)} vs {_fmt_t(raw)}){also}",
                )
            )
    for step in ("query: 2-hop", "query: 2-hop (labels joined early)"):
        dg, raw, rl = (get(step, e) for e in ENGINES)
        if med(dg) and lower(rl) and med(raw):
            out.append(
                (
                    f"{step} >= 1000x faster than rdflib",
                    lower(rl) / med(dg) >= 1000,
                    f"{_ratio(rl, dg)} ({_fmt_t(dg)} vs {_fmt_t(rl)})",
                )
            )
            out.append(
                (
                    f"{step} within 2x of raw pyoxigraph",
                    med(dg) / med(raw) <= 2,
                    f"{med(dg) / med(raw):.2f}x ({_fmt_t(dg)} vs {_fmt_t(raw)})",
                )
            )
    p = get("projection to networkx", "dealgraph")
    if med(p):
        pm = get("projection to networkx [memory store]", "dealgraph")
        out.append(
            (
                "projection to networkx < 3 s (on-disk store)",
                med(p) < 3,
                _fmt_t(p) + (f"; {_fmt_t(pm)} from the memory store" if med(pm) else ""),
            )
        )
        small = [s for s in sizes if s < n and med(get("projection to networkx", "dealgraph", s))]
        if small:
            import math

            s0 = max(small)
            p0 = get("projection to networkx", "dealgraph", s0)
            q0 = result["sizes"][str(s0)]["quads"]
            q1 = result["sizes"][str(n)]["quads"]
            slope = math.log(med(p) / med(p0)) / math.log(q1 / q0)
            out.append(
                (f"projection linear (log-log slope {s0:.0e}->{n:.0e} <= 1.1)", slope <= 1.1, f"slope {slope:.2f}")
            )
    for step in ("incremental build (model loaded)", "incremental build (cold process)"):
        r = get(step, "dealgraph")
        if med(r):
            out.append((f"{step} < 1 s", med(r) < 1, _fmt_t(r)))
    for step in ("footprint: memory store", "footprint: disk store answering questions"):
        r = get(step, "dealgraph")
        if r and r.get("mb_per_million") is not None:
            load = get("load (memory store)" if "memory" in step else "load (disk store)", "dealgraph")
            peak = f", the loading process peaks at {load['peak_mb']:.0f} MB" if load and load.get("peak_mb") else ""
            out.append(
                (
                    f"{step}: < 400 MB per million triples",
                    r["mb_per_million"] < 400,
                    f"{r['mb_per_million']:.0f} MB per million triples resident{peak}",
                )
            )
    return out


def report(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"dealgraph benchmarks: {m['cpus']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
        f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}; median of {result['reps']} reps; "
        f"load average at the end {m['load_average_at_end']}; {result['wall_s']:.0f} s in all",
        "",
        table(result),
        "",
        f"¹ one repetition (slower than {result['slow_s']:.0f} s, or by design). '> N s': stopped at the deadline; "
        "the ratio is then a lower bound. rdflib/dg: how many times faster dealgraph is than rdflib; "
        "dg/raw: dealgraph's time over raw pyoxigraph's (1.0 = no overhead).",
    ]
    recs = index(result["records"])
    alt = [r for r in result["records"] if r["step"].endswith("[union of named graphs]")]
    if alt:
        top = max(r["size"] for r in alt)
        lines.append(
            "Raw pyoxigraph on the file as it is, asked through Oxigraph's union of named graphs "
            "(a triple repeated once per graph stating it), at "
            + f"{top:,}: "
            + "; ".join(f"{r['step'][: -len(' [union of named graphs]')]} {_fmt_t(r)}" for r in alt if r["size"] == top)
        )
    foot = [r for r in result["records"] if r["step"].startswith("footprint")]
    if foot:
        lines.append(
            "Resident memory per million triples (fresh process): "
            + "; ".join(
                f"{r['step'][len('footprint: ') :]} @ {r['size']:,}: {r['mb_per_million']:.0f} MB" for r in foot
            )
        )
    own = [r for r in result["records"] if r["step"].endswith("[memory store]") and r.get("median")]
    if own:
        top = max(r["size"] for r in own)
        lines.append(
            "dealgraph on its memory store, at "
            + f"{top:,}: "
            + "; ".join(f"{r['step'][: -len(' [memory store]')]} {_fmt_t(r)}" for r in own if r["size"] == top)
        )
    t = targets(result)
    if t:
        lines += ["", "Targets at the largest size:"]
        lines += [f"  [{'met' if ok else 'MISSED'}] {name}: {detail}" for name, ok, detail in t]
    del recs
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    try:
        return sorted({int(float(x)) for x in text.split(",") if x.strip()})
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"--sizes: expected numbers like 1e4,1e5,1e6, got {text!r}") from e


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        worker_main(json.loads(argv[1]))
        return {}
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=parse_sizes, default=[10_000, 100_000, 1_000_000], help="triples, e.g. 1e4,1e5,1e6")
    p.add_argument("--reps", type=int, default=3, help="repetitions per measurement (median)")
    p.add_argument("--quick", action="store_true", help="1e4 only, 20 Wikinews articles: a smoke test")
    p.add_argument("--timeout", type=float, default=30.0, help="deadline per baseline operation, seconds")
    p.add_argument("--worker-limit", type=float, default=900.0, help="hard limit per worker process, seconds")
    p.add_argument("--data", default=str(DEFAULT_DATA), help="folder holding wikinews/*.csv (default ../shared/data)")
    p.add_argument("--no-extract", action="store_true", help="skip the extraction throughput step")
    p.add_argument(
        "--json", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS.relative_to(ROOT)})"
    )
    p.add_argument(
        "--inprocess", action="store_true", help="run the workers in this process (tests; memory not isolated)"
    )
    p.add_argument("--report", type=Path, metavar="JSON", help="print the table of an earlier run's JSON and stop")
    args = p.parse_args(argv)
    if args.report:
        result = json.loads(args.report.read_text("utf-8"))
        print(report(result))
        return result
    if args.reps < 1:
        p.error("--reps must be at least 1")
    if args.quick:
        args.sizes = [10_000]
    result = run_suite(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(report(result))
    print(f"\nJSON: {args.json}")
    return result


if __name__ == "__main__":
    main()
