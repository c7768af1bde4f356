"""graph/parallel.py + build --workers: every core extracts, one writer stores the same graph."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.parallel import ExtractorPool
from graph.pipeline import build
from graph.sources import iter_articles
from graph.store import open_store

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory):
    """24 distinct articles: the bundled ones, each in three versions (enough to start the pool)."""
    d = tmp_path_factory.mktemp("many")
    extra = [
        "",
        "\nAcme Corp. agreed to acquire Widget Inc. for $2 billion.\n",
        "\nJane Roe is the chief executive of Orbital Freight.\n",
    ]
    for f in sorted(ARTICLES.glob("*.txt")):
        for i, tail in enumerate(extra):
            (d / f"{f.stem}_{i}.txt").write_text(f.read_text(encoding="utf-8") + tail, encoding="utf-8")
    return d


def _quads(store):
    """Every quad but the build time (prov:generatedAtTime differs from build to build)."""
    return sorted(str(q) for q in store.quads() if not str(q.predicate).endswith("prov#generatedAtTime>"))


def test_two_workers_store_the_same_quads_as_one(many_articles):
    one, two = open_store("memory"), open_store("memory")
    r1 = build([many_articles], one, workers=1)
    r2 = build([many_articles], two, workers=2)
    assert r1.added == r2.added == 24 and r1.facts == r2.facts > 24
    assert _quads(one) == _quads(two)
    again = build([many_articles], two, workers=2)  # skip by content hash as before
    assert (again.added, again.unchanged) == (0, 24)


def test_cli_workers_option_builds_the_same_graph(many_articles, tmp_path):
    store = tmp_path / "store"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph.cli",
            "build",
            str(many_articles),
            "--store",
            str(store),
            "--workers",
            "2",
            "--verbose",
            "--no-validate",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    committed = [line.split()[-1] for line in run.stderr.splitlines() if "committed" in line]
    assert committed == sorted(committed) and len(committed) == 24  # input order, whatever the workers
    reference = open_store("memory")
    build([many_articles], reference, workers=1)
    with open_store(store) as st:
        assert _quads(st) == _quads(reference)


def test_a_killed_worker_loses_and_duplicates_nothing(many_articles):
    articles = [a for a in iter_articles([many_articles])]
    with ExtractorPool(workers=1) as pool:
        expected = [(a.id, [f.to_dict() for f in facts]) for a, facts in pool.extract(articles)]
    got = []
    with ExtractorPool(workers=2, batch=2) as pool:
        for i, (article, facts) in enumerate(pool.extract(articles)):
            got.append((article.id, [f.to_dict() for f in facts]))
            if i == 0:  # kill a worker while the others' batches are in flight
                os.kill(next(iter(pool._pool._processes)), signal.SIGKILL)
        assert pool.restarts >= 1
    assert got == expected


def test_workers_must_be_positive():
    with pytest.raises(ValueError):
        ExtractorPool(workers=0)


# -- a real local Dask cluster: a scheduler and two worker processes on loopback --------------

distributed = pytest.importorskip("distributed")


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` + two ``dask worker`` processes (one thread each), started as a user would."""
    bin_dir = Path(sys.executable).parent
    dask = str(bin_dir / "dask")
    sched_file = tmp_path / "scheduler.json"
    env = dict(
        os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), DASK_DISTRIBUTED__WORKER__DAEMON="False"
    )
    procs = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs[1:]
    finally:
        for p in reversed(procs):
            p.kill()
            p.wait()


def test_cluster_build_matches_the_single_process_build(many_articles, cluster):
    address, _ = cluster
    reference, remote = open_store("memory"), open_store("memory")
    build([many_articles], reference, workers=1)
    report = build([many_articles], remote, cluster=address)
    assert report.added == 24 and not report.errors
    assert _quads(remote) == _quads(reference)


def test_cluster_worker_killed_mid_run_loses_and_duplicates_nothing(many_articles, cluster):
    address, workers = cluster
    articles = list(iter_articles([many_articles]))
    with ExtractorPool(workers=1) as pool:
        expected = [(a.id, [f.to_dict() for f in facts]) for a, facts in pool.extract(articles)]
    got = []
    with ExtractorPool(cluster=address, batch=2) as pool:
        for i, (article, facts) in enumerate(pool.extract(articles)):
            got.append((article.id, [f.to_dict() for f in facts]))
            if i == 0:
                workers[0].kill()  # its tasks in flight go to the other worker
    assert got == expected


def test_unreachable_cluster_is_one_clear_line(many_articles, tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph.cli",
            "build",
            str(many_articles),
            "--store",
            str(tmp_path / "s"),
            "--cluster",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, DEALGRAPH_CLUSTER_TIMEOUT="2"),
    )
    assert run.returncode != 0
    assert "Dask scheduler" in run.stderr and "Traceback" not in run.stderr
