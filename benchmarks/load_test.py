"""A bounded load test of ``dealgraph serve`` on loopback (not part of ``make test``).

1. Builds data/articles into a temporary store (or uses ``--store``).
2. Starts ``dealgraph serve`` on a free 127.0.0.1 port (a subprocess, stopped by its PID).
3. Sends ``--queries`` requests (default 1,000), a round-robin mix of the saved
   questions with their default parameters, from ``--clients`` concurrent
   clients (default 8); every answer must be 200 with SPARQL JSON.
4. A malformed-query storm: the same number of broken queries (syntax errors,
   truncated saved questions, unknown prefixes, garbage); every answer must be
   400 with a message, and the server must stay up (same PID, still answering).

Prints throughput, p50 / p99 latency and error counts for both phases, and the
same as JSON with ``--json``. Exit code 1 when any request went wrong.

    .venv/bin/python -m benchmarks.load_test [--queries 1000] [--clients 8] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.query import bind_parameters, saved_queries  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def good_queries() -> list[tuple[str, str]]:
    out = []
    for sq in saved_queries().values():
        defaults = {k: v for k, v in sq.params.items() if v}
        if len(defaults) == len(sq.params):
            out.append((sq.name, bind_parameters(sq.sparql, defaults) if defaults else sq.sparql))
    return out


def bad_queries(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    fixed = [
        ("misspelt", "SELEC ?x WHERE { ?x ?p ?o }"),
        ("short-triple", "SELECT * WHERE { ?s ?p }"),
        ("open-filter", "ASK { FILTER( }"),
        ("unknown-prefix", "SELECT * WHERE { ?s nope:thing ?o }"),
        ("bad-limit", "SELECT * WHERE { ?s ?p ?o } LIMIT -1"),
        ("garbage", "\x00\x01\x02 }}}{{{ ;;; <<<"),
        ("empty", ""),
        ("unterminated-string", 'SELECT * WHERE { ?s ?p "abc }'),
        ("bad-iri", "SELECT * WHERE { <not an iri> ?p ?o }"),
        ("update-as-query", "SELECT * WHERE { ?s ?p ?o } ; DROP ALL"),
    ]
    texts = [t for _, t in good_queries()]
    out = []
    for i in range(n):
        if i % 2 == 0:
            out.append(fixed[(i // 2) % len(fixed)])
        else:  # a saved question cut inside its WHERE block: braces stay open
            t = texts[i % len(texts)]
            lo, hi = t.index("{") + 1, t.rindex("}")
            out.append(("truncated", t[: rng.randrange(lo, hi)]))
    return out


def _request(base: str, text: str, timeout: float = 30.0) -> tuple[int, bytes, float]:
    body = urllib.parse.urlencode({"query": text}).encode()
    req = urllib.request.Request(base + "/sparql", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        data, status = e.read(), e.code
    return status, data, time.perf_counter() - t0


def _phase(base: str, work: list[tuple[str, str]], clients: int, check) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    queue = list(enumerate(work))
    queue_lock = threading.Lock()

    def client():
        while True:
            with queue_lock:
                if not queue:
                    return
                _, (name, text) = queue.pop()
            try:
                status, data, dt = _request(base, text)
                problem = check(status, data)
            except OSError as e:  # connection refused / reset / timeout
                dt, problem = 0.0, f"{type(e).__name__}: {e}"
            with lock:
                latencies.append(dt)
                if problem:
                    errors.append(f"{name}: {problem}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "requests": len(work), "clients": clients, "seconds": round(wall, 3),
        "throughput_per_s": round(len(work) / wall, 1),
        "p50_ms": round(1000 * statistics.median(lat), 2),
        "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 2),
        "max_ms": round(1000 * lat[-1], 2),
        "errors": len(errors), "error_examples": errors[:5],
    }


def _check_good(status: int, data: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}: {data[:200]!r}"
    doc = json.loads(data)
    if "results" not in doc and "boolean" not in doc:
        return "not SPARQL JSON"
    return None


def _check_bad(status: int, data: bytes) -> str | None:
    if status != 400:
        return f"expected 400, got {status}: {data[:200]!r}"
    if len(data.strip()) < 5:
        return "400 without a message"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--store", help="an existing store folder (default: build data/articles into a temp one)")
    ap.add_argument("--workers", type=int, default=4, help="dealgraph serve --workers")
    ap.add_argument("--in-memory", action="store_true", help="dealgraph serve --in-memory")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="dealgraph-load-")
    store = args.store
    if store is None:
        from graph.pipeline import build
        from graph.store import open_store

        store = str(Path(tmp.name) / "store")
        with open_store(store) as st:
            build([ROOT / "data" / "articles"], st)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [str(Path(sys.executable).parent / "dealgraph"), "serve", "--store", store, "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(args.workers)] + (["--in-memory"] if args.in_memory else [])
    log = open(Path(tmp.name) / "server.log", "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    report: dict = {"server_pid": proc.pid, "cpus": os.cpu_count()}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _request(base, "ASK {}", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"dealgraph serve did not start; see {log.name}")
            time.sleep(0.1)
        good = good_queries()
        work = [good[i % len(good)] for i in range(args.queries)]
        report["mix"] = sorted({name for name, _ in good})
        report["load"] = _phase(base, work, args.clients, _check_good)
        report["storm"] = _phase(base, bad_queries(args.queries), args.clients, _check_bad)
        after = _request(base, good[0][1])[0]
        report["server_alive_after"] = proc.poll() is None and after == 200
        report["server_restarts"] = 0 if proc.poll() is None else 1
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        tmp.cleanup()
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for phase in ("load", "storm"):
            r = report[phase]
            print(f"{phase:5}: {r['requests']} requests, {r['clients']} clients, {r['seconds']} s, "
                  f"{r['throughput_per_s']}/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                  f"max {r['max_ms']} ms, errors {r['errors']}")
            for e in r["error_examples"]:
                print(f"       {e}")
        print(f"server alive after: {report['server_alive_after']}, restarts: {report['server_restarts']}, "
              f"cpus: {report['cpus']}")
    ok = report["load"]["errors"] == 0 and report["storm"]["errors"] == 0 and report["server_alive_after"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
