"""Where queries run: threads that cannot reach the network, or worker processes killed at the deadline.

See "Where queries run" in :mod:`graph.server`. A read job is
``("query", text, dataset)`` or ``("view", options)``; :func:`_run_job`
evaluates one on a store, in a pool thread or in a worker process.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graph import sandbox
from graph.errors import DealGraphError, QueryError, StoreError
from graph.query import Result
from graph.sparql_errors import short_syntax_error
from graph.store import Store

log = logging.getLogger(__name__)

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # where ``graph`` imports from, for the workers


class _TooLarge(Exception):
    pass


class _WorkerDied(Exception):
    """A query worker process ended while evaluating (out of memory or stack)."""

    def __init__(self, exitcode):
        super().__init__(exitcode)
        self.exitcode = exitcode


def _thread_pool(workers: int, stack: int, deny_network: bool = True) -> concurrent.futures.ThreadPoolExecutor:
    """A pool of ``workers`` threads with ``stack`` bytes of stack each, started now.

    ``threading.stack_size`` applies to threads created while it is set, and
    the executor starts threads lazily: ``workers`` tasks that wait for each
    other make it start them all at once.
    """
    pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="dealgraph-query")
    barrier = threading.Barrier(workers + 1)

    def start():  # each thread denies itself the network (graph.sandbox) before it evaluates anything
        try:
            if deny_network:
                sandbox.deny_network()
        finally:
            barrier.wait()

    with _STACK_LOCK:
        previous = threading.stack_size(stack)
        try:
            started = [pool.submit(start) for _ in range(workers)]
            barrier.wait()
        finally:
            threading.stack_size(previous)
    for f in started:
        if f.exception() is not None:
            pool.shutdown(wait=False)
            raise f.exception()
    return pool


_STACK_LOCK = sandbox.STACK_LOCK


def _run_job(store, job, deadline, max_rows):
    """Evaluate a read job (``("query", text, dataset)`` or ``("view", options)``) on ``store``."""
    if job[0] == "view":
        from graph.network import to_networkx
        from graph.view import to_html

        try:
            return to_html(to_networkx(store), title="dealgraph", **job[1])
        except ValueError as e:
            raise QueryError(str(e)) from e
    _, text, dataset = job
    return _evaluate(store, text, deadline, dataset, max_rows)


def _evaluate(store, text, deadline, dataset, max_rows) -> Result:
    """Run a query on the store, materialising at most ``max_rows`` answers before ``deadline``.

    pyoxigraph's result objects may only be dropped on the thread that made
    them: ``res`` is cleared here, before any exception leaves this frame.
    """
    res = None
    try:
        res = store.query(text, **dataset)
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            triples = []
            for t in res:
                triples.append(t)
                _check_size(len(triples), deadline, "triples", max_rows)
            return Result("graph", triples=triples)
        names = [v.value for v in res.variables]
        terms = []
        for sol in res:
            terms.append(tuple(sol[n] for n in names))
            _check_size(len(terms), deadline, "rows", max_rows)
    except SyntaxError as e:
        raise QueryError(short_syntax_error(str(e), text)) from None
    except (OSError, RuntimeError, ValueError) as e:
        raise QueryError(f"query failed: {sandbox.safe_message(e)}") from None
    finally:
        res = None
    return Result("select", names, [], terms)


def _check_size(n, deadline, what, max_rows):
    if n > max_rows:
        raise _TooLarge(
            f"the result has more than {max_rows:,} {what}, the limit of this server; "
            f"add LIMIT (and OFFSET to page) to the query"
        )
    if n % 256 == 0 and time.monotonic() > deadline:
        raise TimeoutError


# The exceptions a worker process may send back, by name.
_SENDABLE = {
    "QueryError": QueryError,
    "_TooLarge": _TooLarge,
    "TimeoutError": TimeoutError,
    "StoreError": StoreError,
    "ValueError": ValueError,
}


def _worker_main(fd, memory_mb, stack):  # pragma: no cover - runs in a child process
    """A query worker: open the folder it is told, evaluate jobs one at a time, forever.

    Started by :class:`_QueryProcesses` as ``python -c`` with one end of a
    socket pair (``fd``); jobs and replies travel pickled over it.
    """
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server; it stops us
    try:  # before any store is open: every thread of this process, now and later, is off the network
        sandbox.deny_network(all_threads=True)
    except sandbox.SandboxError as e:  # fail closed: answer every job with the reason, evaluate nothing
        while True:
            try:
                if conn.recv() is None:
                    return
                conn.send(("error", "StoreError", str(e)))
            except (EOFError, OSError, ValueError):
                return
    threading.stack_size(stack)
    worker = threading.Thread(target=_worker_loop, args=(conn, memory_mb), name="dealgraph-query")
    worker.start()
    worker.join()


def _limit_memory(memory_mb):  # pragma: no cover - runs in a child process
    """Cap the address space at what the worker uses now plus ``memory_mb`` (and slack for re-opening)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
        limit = vm + (memory_mb + 512) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, StopIteration):
        pass  # no /proc: no limit; the deadline still holds


def _worker_loop(conn, memory_mb):  # pragma: no cover - runs in a child process
    store, opened, limited = None, None, False
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, job, deadline, max_rows = message
        try:
            if path != opened:
                store = None
                store = Store(ox.Store.read_only(path), path, read_only=True)
                opened = path
                if not limited:  # once the store's threads and caches exist
                    _limit_memory(memory_mb)
                    limited = True
            reply = ("ok", _run_job(store, job, deadline, max_rows))
        except tuple(_SENDABLE.values()) as e:
            reply = ("error", type(e).__name__, str(e))
        except (OSError, RuntimeError) as e:
            reply = ("error", "StoreError", f"cannot read the store: {e}")
        except Exception as e:  # noqa: BLE001 - reported to the server, which answers 500 and goes on
            reply = ("error", "internal", f"{type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: object
    path: str | None = None


class _QueryProcesses:
    """``n`` worker processes evaluating read jobs on a store folder; killed at the deadline."""

    def __init__(self, path, n, memory_mb, stack, snapshots=None):
        self._memory_mb, self._stack = memory_mb, stack
        self._path = path
        self._snapshots = snapshots
        self._lock = threading.Lock()
        self._idle: queue.Queue = queue.Queue()
        self._workers: dict[int, _Worker] = {}
        self._closed = False
        for _ in range(n):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        """Start a worker: a fresh interpreter (no inherited threads or locks, no re-run of ``__main__``)."""
        here, there = socket.socketpair()
        code = f"from graph.server.workers import _worker_main; _worker_main({there.fileno()}, {self._memory_mb}, {self._stack})"
        env = {
            **os.environ,
            "MALLOC_ARENA_MAX": "2",  # fewer 64 MB malloc arenas under the address-space cap
            "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
        }
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            pass_fds=[there.fileno()],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        there.close()
        worker = _Worker(process, Connection(here.detach()))
        with self._lock:
            self._workers[id(worker)] = worker
        return worker

    def _replace(self, worker: _Worker) -> int | None:
        """Kill ``worker`` (our own child, by PID), reap it, start another in its place."""
        process = worker.process
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)  # our own child; its pid is not reused before we reap it
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        worker.conn.close()
        with self._lock:
            self._workers.pop(id(worker), None)
        if not self._closed:
            self._idle.put(self._spawn())
        self._cleanup()
        code = process.returncode
        reason = "killed at the deadline" if code == -signal.SIGKILL else f"ended with status {code}"
        log.warning("query worker %s %s; started another", process.pid, reason)
        return code

    def publish(self, make) -> None:
        """Make a new checkpoint (``make()`` returns its folder) the one the next jobs read."""
        with self._lock:  # no clean-up lists the snapshots while one is half made
            self._path = make()
        self._cleanup()

    def _cleanup(self) -> None:
        """Delete the checkpoints no worker has open and no job will open."""
        if self._snapshots is None:
            return
        with self._lock:
            keep = {self._path} | {w.path for w in self._workers.values()}
            old = [d for d in self._snapshots.iterdir() if str(d) not in keep]
        for d in old:  # no job can pick these up any more: only the current one is handed out
            shutil.rmtree(d, ignore_errors=True)

    def run(self, job, deadline, max_rows):
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError from None
        path = self._path
        with self._lock:
            worker.path = path  # from now on it may have ``path`` open (and not its old one)
        try:
            worker.conn.send((path, job, deadline, max_rows))
            done = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            reply = worker.conn.recv() if done else None
        except (EOFError, OSError):
            raise _WorkerDied(self._replace(worker)) from None
        if reply is None:
            self._replace(worker)
            raise TimeoutError
        self._idle.put(worker)
        self._cleanup()
        if reply[0] == "ok":
            return reply[1]
        _, name, message = reply
        if name in _SENDABLE:
            raise _SENDABLE[name](message)
        raise DealGraphError(message)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers.values())
        for w in workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in workers:
            try:
                w.process.wait(2)
            except subprocess.TimeoutExpired:
                os.kill(w.process.pid, signal.SIGKILL)
                w.process.wait(5)
            w.conn.close()
