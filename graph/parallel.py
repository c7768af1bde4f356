"""Extraction on every local core: a pool of worker processes, results in input order.

The expensive stage of a build is extraction (the spaCy model and the rules);
resolving entities and writing the store are cheap and stay in the one writer
process, so the stored graph does not depend on how many workers extracted it.
:class:`ExtractorPool` starts ``workers`` processes, each loading the model once,
hands them small batches of articles and gives the results back **in the order
the articles came**, with at most a few batches per worker in flight (memory
stays bounded however long the input is).

A worker that dies (killed, out of memory) takes nothing with it: the pool is
started again and the batches it had are extracted again; a batch that breaks
the pool twice is extracted in this process instead.

Past one machine, ``cluster="tcp://host:8786"`` sends the batches to the
workers of a Dask distributed cluster instead (``pip install 'dealgraph[cluster]'``;
start ``dask scheduler`` and ``dask worker tcp://host:8786`` where the model is
installed). The scheduler re-runs the batch of a worker that died; the
results still come back in input order to the one writer, with at most three
batches per worker thread in flight, so the writer's memory stays bounded on
any number of articles.

>>> from graph.sources import Article
>>> arts = [Article(id=f"a{i}", source=f"a{i}.txt", text="Microsoft agreed to acquire LinkedIn.")
...         for i in range(3)]
>>> with ExtractorPool(workers=1) as pool:   # one worker: extraction runs in this process
...     [(a.id, len(facts)) for a, facts in pool.extract(arts)]
[('a0', 1), ('a1', 1), ('a2', 1)]
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool

from graph.extract import Fact, extract_many
from graph.sources import Article

__all__ = ["ExtractorPool", "default_workers"]

log = logging.getLogger(__name__)

BATCH = 8  # articles per task: large enough to batch the model, small enough to keep every worker busy
IN_FLIGHT = 3  # tasks per worker queued at once (bounded memory, no idle worker between tasks)


def default_workers() -> int:
    """The cores this process may run on (``dealgraph build``'s default ``--workers``).

    >>> default_workers() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _connect(address: str):
    """A dask.distributed client for the scheduler at ``address`` (``tcp://host:8786``), or a clear error.

    ``DEALGRAPH_CLUSTER_TIMEOUT`` (seconds, default 30) bounds the wait for the scheduler.
    """
    from graph.errors import DealGraphError

    try:
        from distributed import Client
    except ImportError:
        raise DealGraphError("--cluster needs Dask: pip install 'dealgraph[cluster]'") from None
    try:
        timeout = float(os.environ.get("DEALGRAPH_CLUSTER_TIMEOUT", "30"))
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise DealGraphError(f"cannot reach the Dask scheduler at {address}: {e}") from None


def _start_worker(names: dict, parent: int) -> None:  # pragma: no cover - runs in a worker process
    """Load the model once per worker (with the user's known names), before its first task.

    The worker asks the kernel to kill it when its parent dies, so a writer killed
    with SIGKILL leaves no worker behind (holding its terminal or pipes).
    """
    import ctypes
    import signal

    from graph.extract import load_pipeline, set_known_names

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    set_known_names(names)
    load_pipeline()


def _extract_batch(articles: list[Article], names: dict | None = None) -> list[list[Fact]]:  # pragma: no cover
    if names is not None:  # a cluster worker: the writer's known names (a no-op when unchanged)
        from graph.extract import set_known_names

        set_known_names(names)
    return [facts for _, facts, _ in extract_many(articles)]


def _known_names() -> dict:
    """The user's names this process extracts with (``dealgraph known-names``), to hand to workers."""
    from graph.extract import _USER_NAMES

    return {t: set(ns) for t, ns in _USER_NAMES.items()}


class ExtractorPool:
    """Extract articles in ``workers`` processes; a context manager.

    ``workers=1`` extracts in this process (no pool). The processes start on
    first use, and only when there are at least ``workers * batch`` articles:
    for a handful, starting processes would cost more than it saves.
    """

    def __init__(self, workers: int = 1, *, batch: int = BATCH, cluster: str | None = None):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.batch = batch
        self.cluster = cluster
        self._pool = None  # a ProcessPoolExecutor, or a dask.distributed Client for a cluster
        if cluster is not None:
            self._pool = _connect(cluster)
            self.workers = max(1, sum(self._pool.nthreads().values()))
        self._generation = 0  # counts the pools started, so one break restarts the pool once
        self.restarts = 0  # pools started again after a worker died

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.cluster is not None and self._pool is not None:
            self._pool.close()
        elif self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            # spawn: fresh interpreters that do not inherit the writer's open store, threads
            # or locks, and are the writer's own children (they die with it, see _start_worker)
            ctx = multiprocessing.get_context("spawn")
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=_start_worker,
                initargs=(_known_names(), os.getpid()),
            )
        return self._pool

    def extract(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Fact]]]:
        """``(article, facts)`` for each article, in input order."""
        it = iter(articles)
        head = list(itertools.islice(it, self.workers * self.batch))
        if self.cluster is None and (self.workers == 1 or len(head) < self.workers * self.batch):
            # one worker, or so few articles that starting processes costs more than it saves
            for article, facts, _ in extract_many(itertools.chain(head, it)):
                yield article, facts
            return
        it = itertools.chain(head, it)
        pending: collections.deque[tuple[list[Article], concurrent.futures.Future, int]] = collections.deque()

        def fill() -> None:
            while len(pending) < self.workers * IN_FLIGHT:
                batch = [a for _, a in zip(range(self.batch), it)]
                if not batch:
                    return
                pending.append((batch, *self._submit(batch)))

        fill()
        while pending:
            batch, future, generation = pending.popleft()
            yield from zip(batch, self._result(batch, future, generation))
            fill()

    def _submit(self, batch: list[Article]) -> tuple[concurrent.futures.Future, int]:
        if self.cluster is not None:  # the scheduler retries a task whose worker died
            return self._pool.submit(_extract_batch, batch, _known_names(), pure=False), self._generation
        try:
            return self._executor().submit(_extract_batch, batch), self._generation
        except BrokenProcessPool:
            self._restart(self._generation)
            return self._executor().submit(_extract_batch, batch), self._generation

    def _result(self, batch: list[Article], future: concurrent.futures.Future, generation: int) -> list[list[Fact]]:
        if self.cluster is not None:
            try:
                return future.result()
            except Exception as e:  # KilledWorker: the batch took down workers again and again
                log.warning(
                    "the cluster could not extract %d article(s) (%s); extracting them here",
                    len(batch),
                    type(e).__name__,
                )
                return [facts for _, facts, _ in extract_many(batch)]
        for attempt in (1, 2):  # a batch that breaks the pool twice is extracted here instead
            try:
                return future.result()
            except BrokenProcessPool:
                log.warning("an extraction worker died; its %d article(s) are extracted again", len(batch))
                self._restart(generation)
                if attempt == 1:
                    future, generation = self._submit(batch)
        return [facts for _, facts, _ in extract_many(batch)]

    def _restart(self, generation: int) -> None:
        """Drop the pool that broke (once per pool: its other tasks see the same break)."""
        if generation != self._generation:
            return
        self._generation += 1
        self.restarts += 1
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
