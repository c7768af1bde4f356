"""graph/parallel.py + build --workers: every core extracts, one writer stores the same graph."""

import os
import signal
import subprocess
import sys
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
    extra = ["", "\nAcme Corp. agreed to acquire Widget Inc. for $2 billion.\n",
             "\nJane Roe is the chief executive of Orbital Freight.\n"]
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
    run = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(many_articles), "--store", str(store),
                          "--workers", "2", "--verbose", "--no-validate"], capture_output=True, text=True, timeout=300)
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
