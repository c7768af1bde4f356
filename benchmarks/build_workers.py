"""``dealgraph build`` with 1 and with N extraction workers, side by side in one run.

Run ``python -m benchmarks.build_workers`` (``--workers 1 2`` by default,
``--repeat 3``, ``--store memory|disk``). Builds the 295 Wikinews articles
(``../shared/data/wikinews``, written to a JSON Lines file first, as a user
would hand them over) into a fresh store for each setting, alternating the
settings ``--repeat`` times so that the shared machine's noise falls on all of
them alike. Reports, per setting, the best wall time, articles/s, words/s, the
speed-up over the first setting, the facts stored (they must be equal) and the
peak resident memory of each extraction worker (``VmHWM`` of the child
processes, sampled every 0.1 s) and of the writer process, with the load
average before and after (the machine is shared: a loaded machine shows a
smaller speed-up). ``--json`` prints the results as JSON; ``-o FILE`` also
writes them there (``benchmarks/results/build_workers.json`` is the usual place)::

    nice -n 0 python -m benchmarks.build_workers --workers 1 2 --repeat 3 -o benchmarks/results/build_workers.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.extract_speed import DEFAULT_DATA, wikinews_articles
from graph.pipeline import build
from graph.store import open_store


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out |= {int(c) for c in (task / "children").read_text().split()}
    except OSError:
        pass
    return out | {g for c in out for g in _children(c)}


def _peak_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakMemory:
    """Sample the peak resident memory of this process's children while a block runs."""

    def __init__(self):
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import os

        while not self._stop.wait(0.1):
            for pid in _children(os.getpid()):
                if (kb := _peak_kb(pid)) is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), kb)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def _local_cluster(workers: int | None):
    """The address of a Dask ``LocalCluster`` of ``workers`` processes on loopback (None: no cluster)."""
    if not workers:
        yield None
        return
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def run_once(source: Path, workers: int, store_kind: str, cluster: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store("memory" if store_kind == "memory" else Path(tmp) / "store")
        with PeakMemory() as mem:
            t0 = time.perf_counter()
            report = build([source], store, workers=workers, cluster=cluster)
            wall = time.perf_counter() - t0
        store.close()
    # the forkserver process is a child too; the workers are the ones that loaded the model (largest)
    workers_kb = sorted(mem.peaks.values(), reverse=True)[:workers] if workers > 1 else []
    return {
        "workers": workers,
        "cluster": bool(cluster),
        "wall_s": wall,
        "articles": report.stored,
        "words": report.words,
        "facts": report.facts,
        "worker_peak_mb": [round(k / 1024) for k in workers_kb],
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--store", choices=["memory", "disk"], default="disk")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("-o", "--output", type=Path, help="also write the JSON results to this file")
    ap.add_argument(
        "--cluster",
        type=int,
        metavar="K",
        help="also build through a local Dask cluster of K worker processes (one thread each, on loopback)",
    )
    args = ap.parse_args(argv)
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "wikinews.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for a in wikinews_articles(args.data):
                fh.write(
                    json.dumps(
                        {
                            "id": a.id,
                            "url": a.url,
                            "date": a.published.isoformat() if a.published else None,
                            "title": a.title,
                            "text": a.text,
                        }
                    )
                    + "\n"
                )
        best: dict[str, dict] = {}
        with _local_cluster(args.cluster) as address:
            for _ in range(args.repeat):
                for n in args.workers:
                    r = run_once(source, n, args.store)
                    if str(n) not in best or r["wall_s"] < best[str(n)]["wall_s"]:
                        best[str(n)] = r
                if address:
                    r = run_once(source, args.cluster, args.store, cluster=address)
                    if "dask" not in best or r["wall_s"] < best["dask"]["wall_s"]:
                        best["dask"] = r
    base = best[str(args.workers[0])]["wall_s"]
    rows = []
    for key in best:
        r = best[key]
        r.update(
            articles_per_s=r["articles"] / r["wall_s"], words_per_s=r["words"] / r["wall_s"], speedup=base / r["wall_s"]
        )
        rows.append(r)
    import resource

    writer_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result = {
        "store": args.store,
        "repeat": args.repeat,
        "cpus": os.cpu_count(),
        "writer_peak_mb": writer_mb,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "runs": rows,
    }
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'workers':>7} {'wall s':>7} {'art/s':>6} {'words/s':>8} {'speed-up':>8} {'facts':>6}  worker peak MB")
    for r in rows:
        label = f"dask {r['workers']}" if r["cluster"] else str(r["workers"])
        print(
            f"{label:>7} {r['wall_s']:7.1f} {r['articles_per_s']:6.1f} {r['words_per_s']:8.0f} "
            f"{r['speedup']:7.2f}x {r['facts']:>6}  {r['worker_peak_mb'] or '-'}"
        )
    print(
        f"writer (this process) peak: {writer_mb} MB; store: {args.store}; load average (1, 5, 15 min) "
        f"before {result['load_average_before']}, after {result['load_average_after']}, {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
