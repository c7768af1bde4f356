"""Crash safety: a build killed with SIGKILL at random moments loses nothing it committed.

A real ``dealgraph build`` subprocess works through a folder of generated articles
and is killed again and again; after each kill the store must open, and every
article graph in it must be complete (identical to the one an uninterrupted
build writes). Re-running the build finishes the rest and ends with exactly the
triples of an uninterrupted build.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from graph.store import open_store

TRIALS = 20
N_ARTICLES = 150
GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"

_COMPANIES = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adatum", "Proseware", "Wingtip",
              "Woodgrove", "Lucerne", "Fourth Coffee", "Coho Winery", "Alpine Ski", "Blue Yonder", "Margie Travel"]
_PEOPLE = ["Ana Ruiz", "Ben Okafor", "Chen Wei", "Dara Singh", "Eva Novak", "Femi Adeyemi", "Greta Lind",
           "Hiro Tanaka", "Ines Costa", "Jon Berg", "Kira Patel", "Luis Mendez"]


def _write_articles(folder: Path, n: int) -> None:
    rng = random.Random(7)
    folder.mkdir()
    for i in range(n):
        a, b = rng.sample(_COMPANIES, 2)
        p = rng.choice(_PEOPLE)
        amount = rng.randint(2, 90)
        body = (
            f"{a} Corp. said on Monday that it had agreed to acquire {b} Inc. for ${amount} billion in cash. "
            f"{p}, chief executive of {a}, said the deal would close next year.\n\n"
            f"{b}, founded by {rng.choice(_PEOPLE)}, makes software for shops and warehouses. "
            f"Analysts said the price was high but the fit was good for both companies."
        )
        (folder / f"article_{i:04d}.txt").write_text(
            f"{a} to buy {b}\n\nBy Test Desk\nCrash Wire, March {1 + i % 28}, 2021\n\n{body}\n", "utf-8"
        )


def _graphs(store_dir: Path) -> dict[str, set[str]]:
    """The triples of each named graph (timestamps aside), as N-Triples-like strings."""
    with open_store(store_dir) as st:
        out: dict[str, set[str]] = defaultdict(set)
        for q in st.quads():
            if q.predicate.value != GENERATED:
                out[q.graph_name.value].add(f"{q.subject} {q.predicate} {q.object}")
        return dict(out)


def _build(articles: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "build", str(articles), "--store", str(store), "-q", "--no-validate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    _write_articles(root / "articles", N_ARTICLES)
    ref = root / "reference"
    proc = _build(root / "articles", ref)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    return root / "articles", _graphs(ref)


def test_sigkill_never_loses_or_half_writes_an_article(corpus, tmp_path):
    articles, reference = corpus
    assert len(reference) == N_ARTICLES
    store = tmp_path / "store"
    rng = random.Random(11)
    kills = 0
    for trial in range(TRIALS):
        proc = _build(articles, store)
        time.sleep(rng.uniform(0.3, 3.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        graphs = _graphs(store)  # the store opens after every kill
        for name, triples in graphs.items():
            assert triples == reference[name], f"trial {trial}: {name} is incomplete or wrong"
        if len(graphs) == len(reference):  # finished: start again so the next kill has work to hit
            shutil.rmtree(store)
    assert kills >= TRIALS // 2, "the build finished too fast to be interrupted; add articles"
    proc = _build(articles, store)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    assert _graphs(store) == reference
