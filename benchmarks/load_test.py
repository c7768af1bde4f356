"""A bounded load test of ``dealgraph serve`` on loopback (not part of ``make test``).

1. Builds data/articles into a temporary store (or uses ``--store``).
2. Starts each server to compare on a free 127.0.0.1 port (a subprocess, stopped
   by its PID): ``serve`` is ``dealgraph serve`` (waitress); ``gunicorn`` and
   ``uvicorn`` run the same application (``create_app``) under gunicorn's
   gthread worker or under uvicorn through the a2wsgi adapter, for the
   comparison only (``pip install gunicorn==27.0.1`` / ``uvicorn==0.54.0
   a2wsgi==1.10.10``); ``--baseline PATH`` adds ``dealgraph serve`` run from
   another checkout (e.g. the last commit before a change), all on the same
   store in the same run.
3. load: ``--queries`` requests (default 1,000), a round-robin mix of the saved
   questions with their default parameters, from ``--clients`` concurrent
   clients (default 8); every answer must be 200 with SPARQL JSON.
4. storm: the same number of malformed queries (syntax errors, truncated saved
   questions, unknown prefixes, garbage); every answer must be 400 with a
   message, and the server must stay up (same PID, still answering).
5. slow: ``--slow`` connections (default 16) from one address send their
   headers a byte at a time or stop short of their Content-Length, while
   another client sends 100 queries one after the other; each must be 200.
6. hog: one address sends expensive queries (a cross product) on ``--workers``
   connections at once for ``--hog-seconds`` (default 8) while another sends
   cheap queries one after the other; every cheap one must be 200.

Prints throughput, p50 / p99 latency and error counts for each phase and server,
and the same as JSON with ``--json``. Exit code 1 when any request went wrong.

    .venv/bin/python -m benchmarks.load_test [--servers serve,gunicorn,uvicorn] [--baseline ../main] [--json]
"""

from __future__ import annotations

import argparse
import http.client
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
import urllib.parse
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


EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?k { 1 2 3 4 5 6 7 8 9 } }"


def _request(port: int, text: str, timeout: float = 30.0, source: str = "127.0.0.1") -> tuple[int, bytes, float]:
    """POST one query (form-encoded) from the loopback address ``source``: status, body, seconds."""
    body = urllib.parse.urlencode({"query": text}).encode()
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(
            "POST",
            "/sparql",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
        )
        resp = conn.getresponse()
        return resp.status, resp.read(), time.perf_counter() - t0
    finally:
        conn.close()


def _stats(latencies: list[float], wall: float, errors: list[str], **extra) -> dict:
    lat = sorted(latencies) or [0.0]
    return {
        **extra,
        "seconds": round(wall, 3),
        "throughput_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(1000 * statistics.median(lat), 2),
        "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 2),
        "max_ms": round(1000 * lat[-1], 2),
        "errors": len(errors),
        "error_examples": errors[:5],
    }


def _phase(port: int, work: list[tuple[str, str]], clients: int, check) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    queue = list(enumerate(work))

    def client():
        while True:
            with lock:
                if not queue:
                    return
                _, (name, text) = queue.pop()
            try:
                status, data, dt = _request(port, text)
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
    return _stats(latencies, time.perf_counter() - t0, errors, requests=len(work), clients=clients)


def _sequential(port: int, n: int, text: str, source: str, limit: float = 60.0) -> tuple[list[float], list[str]]:
    """Send ``text`` ``n`` times in a row; what is not answered within ``limit`` seconds in all counts as errors."""
    latencies, errors = [], []
    t0 = time.perf_counter()
    for i in range(n):
        left = limit - (time.perf_counter() - t0)
        if left <= 0:
            errors += [f"not sent: the phase's {limit:g} s were up"] * (n - i)
            break
        try:
            status, data, dt = _request(port, text, source=source, timeout=min(30.0, left))
            problem = _check_good(status, data)
        except OSError as e:
            dt, problem = 0.0, f"{type(e).__name__}: {e}"
        latencies.append(dt)
        if problem:
            errors.append(problem)
    return latencies, errors


def _slow_phase(port: int, connections: int, query: str) -> dict:
    """``connections`` slow senders from 127.0.0.2 while 127.0.0.3 sends 100 queries in a row."""
    stop = threading.Event()
    dropped = [0]

    def slow(i: int):
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=60, source_address=("127.0.0.2", 0)) as s:
                    if i % 2:  # headers a byte at a time
                        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
                        while not stop.is_set():
                            s.sendall(b"X")
                            time.sleep(0.5)
                    else:  # a body that stops short of its Content-Length
                        s.sendall(
                            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                            b"Content-Length: 1000\r\n\r\nASK {}"
                        )
                        s.settimeout(0.5)
                        while not stop.is_set():
                            try:
                                if not s.recv(4096):
                                    break  # answered and closed by the server
                            except TimeoutError:
                                pass
            except OSError:
                pass
            dropped[0] += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=slow, args=(i,), daemon=True) for i in range(connections)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    t0 = time.perf_counter()
    latencies, errors = _sequential(port, 100, query, "127.0.0.3", limit=30.0)
    wall = time.perf_counter() - t0
    stop.set()
    for t in threads:
        t.join(5)
    return _stats(
        latencies, wall, errors, requests=100, slow_connections=connections, slow_dropped_by_server=dropped[0]
    )


def _hog_phase(port: int, hogs: int, seconds: float, query: str) -> dict:
    """127.0.0.2 keeps ``hogs`` expensive queries running while 127.0.0.3 sends cheap ones in a row."""
    stop = threading.Event()
    hog_statuses: dict[int, int] = {}
    lock = threading.Lock()

    def hog():
        while not stop.is_set():
            try:
                status = _request(port, EXPENSIVE, timeout=60, source="127.0.0.2")[0]
            except OSError:
                status = 0
            with lock:
                hog_statuses[status] = hog_statuses.get(status, 0) + 1

    threads = [threading.Thread(target=hog) for _ in range(hogs)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    t0 = time.perf_counter()
    latencies, errors = [], []
    while time.perf_counter() - t0 < seconds:
        lat, err = _sequential(port, 1, query, "127.0.0.3")
        latencies += lat
        errors += err
    wall = time.perf_counter() - t0
    stop.set()
    for t in threads:
        t.join()
    return _stats(
        latencies,
        wall,
        errors,
        requests=len(latencies),
        hogs=hogs,
        hog_statuses={str(k): v for k, v in sorted(hog_statuses.items())},
    )


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


# ---------------------------------------------------------------------- the servers compared


def _alternative(kind: str, store: str, port: int, workers: int) -> None:  # pragma: no cover - a child process
    """Serve ``create_app`` on a store folder under gunicorn (gthread) or uvicorn (a2wsgi), for comparison."""
    from graph.server import create_app
    from graph.store import open_store

    def make():
        st = open_store(store, read_only=True)
        return create_app(st, workers=workers)

    if kind == "gunicorn":
        from gunicorn.app.base import BaseApplication

        class Gunicorn(BaseApplication):
            def load_config(self):
                for key, value in {
                    "bind": f"127.0.0.1:{port}",
                    "workers": 1,
                    "worker_class": "gthread",
                    "threads": 4 * workers + 4,
                    "timeout": 60,
                    "keepalive": 5,
                    "loglevel": "warning",
                }.items():
                    self.cfg.set(key, value)

            def load(self):  # in the worker process, after the fork
                return make()

        Gunicorn().run()
    elif kind == "uvicorn":
        import uvicorn
        from a2wsgi import WSGIMiddleware

        uvicorn.run(WSGIMiddleware(make(), workers=4 * workers + 4), host="127.0.0.1", port=port, log_level="warning")
    else:
        raise SystemExit(f"unknown server {kind!r}")


def _start(name: str, cmd: list[str], env: dict, log_path: Path, port: int) -> subprocess.Popen:
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    log.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            if _request(port, "ASK {}", timeout=2)[0] == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            raise SystemExit(f"{name} did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)  # our own child, by PID
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def _run_server(name: str, cmd: list[str], env: dict, tmp: Path, port: int, args) -> dict:
    proc = _start(name, cmd, env, tmp / f"{name}.log", port)
    report: dict = {"server_pid": proc.pid}
    try:
        good = good_queries()
        work = [good[i % len(good)] for i in range(args.queries)]
        report["load"] = _phase(port, work, args.clients, _check_good)
        report["storm"] = _phase(port, bad_queries(args.queries), args.clients, _check_bad)
        if args.slow:
            report["slow"] = _slow_phase(port, args.slow, good[0][1])
        if args.hog_seconds:
            report["hog"] = _hog_phase(port, args.workers, args.hog_seconds, good[0][1])
        after = _request(port, good[0][1])[0]
        report["server_alive_after"] = proc.poll() is None and after == 200
    finally:
        _stop(proc)
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--store", help="an existing store folder (default: build data/articles into a temp one)")
    ap.add_argument("--workers", type=int, default=4, help="dealgraph serve --workers")
    ap.add_argument("--in-memory", action="store_true", help="dealgraph serve --in-memory")
    ap.add_argument("--servers", default="serve", help="comma-separated: serve (dealgraph serve), gunicorn, uvicorn")
    ap.add_argument("--baseline", metavar="PATH", help="also run `dealgraph serve` from the checkout at PATH")
    ap.add_argument("--slow", type=int, default=16, help="slow connections in the slow phase (0: skip it)")
    ap.add_argument("--hog-seconds", type=float, default=8.0, help="length of the hog phase (0: skip it)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--alternative", nargs=2, metavar=("KIND", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.alternative:
        _alternative(args.alternative[0], args.store, int(args.alternative[1]), args.workers)
        return 0

    tmp_dir = tempfile.TemporaryDirectory(prefix="dealgraph-load-")
    tmp = Path(tmp_dir.name)
    store = args.store
    if store is None:
        from graph.pipeline import build
        from graph.store import open_store

        store = str(tmp / "store")
        with open_store(store) as st:
            build([ROOT / "data" / "articles"], st)
    runs: list[tuple[str, list[str], dict]] = []
    serve = [
        str(Path(sys.executable).parent / "dealgraph"),
        "serve",
        "--store",
        store,
        "--host",
        "127.0.0.1",
        "--workers",
        str(args.workers),
    ] + (["--in-memory"] if args.in_memory else [])
    here = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if args.baseline:
        before = str(Path(args.baseline).resolve())
        runs.append((f"baseline ({before})", serve, {**os.environ, "PYTHONPATH": before}))
    for name in [n.strip() for n in args.servers.split(",") if n.strip()]:
        if name == "serve":
            runs.append(("serve (waitress)", serve, here))
        elif name in ("gunicorn", "uvicorn"):
            if args.in_memory:
                raise SystemExit("--in-memory applies to `serve` only")
            runs.append(
                (
                    name,
                    [
                        sys.executable,
                        "-m",
                        "benchmarks.load_test",
                        "--store",
                        store,
                        "--workers",
                        str(args.workers),
                        "--alternative",
                        name,
                    ],
                    here,
                )
            )
        else:
            raise SystemExit(f"unknown server {name!r}; expected serve, gunicorn or uvicorn")
    report: dict = {"cpus": os.cpu_count(), "mix": sorted({name for name, _ in good_queries()}), "servers": {}}
    try:
        for name, cmd, env in runs:
            port = _free_port()
            full = cmd + (["--port", str(port)] if cmd[1] == "serve" else [str(port)])
            report["servers"][name] = _run_server(name.split(" ")[0], full, env, tmp, port, args)
    finally:
        tmp_dir.cleanup()
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for name, r in report["servers"].items():
            print(f"{name}:")
            for phase in ("load", "storm", "slow", "hog"):
                if phase not in r:
                    continue
                p = r[phase]
                extra = {
                    "slow": f", {p.get('slow_connections')} slow connections",
                    "hog": f", hog answers {p.get('hog_statuses')}",
                }.get(phase, f", {p.get('clients')} clients")
                print(
                    f"  {phase:5}: {p['requests']} requests{extra}, {p['seconds']} s, {p['throughput_per_s']}/s, "
                    f"p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms, max {p['max_ms']} ms, errors {p['errors']}"
                )
                for e in p["error_examples"][:3]:
                    print(f"         {e}")
            print(f"  server alive after: {r['server_alive_after']}")
        print(f"cpus: {report['cpus']}")
    ok = all(
        r[phase]["errors"] == 0
        for r in report["servers"].values()
        for phase in ("load", "storm", "slow", "hog")
        if phase in r
    ) and all(r["server_alive_after"] for r in report["servers"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
