"""Readers while a build writes: consistent answers, or a clear "busy" with the way to run both.

RocksDB lets one process write a store folder, and pyoxigraph calls reading it
from another process meanwhile undefined behaviour, so graph/store/embedded.py locks
the folder (one writer or many readers). The supported way to read while
building is through a server that owns the store: ``dealgraph serve
--allow-update`` and ``dealgraph build --store http://.../sparql``. These tests
run real subprocesses:

* a build through a running server, polled all along: every article graph a
  reader sees is exactly the one an uninterrupted build writes (never half an
  article), and the end state is the whole build;
* ``dealgraph query`` (and ``serve``) on a folder a build is writing: one clear
  "busy" message naming the way to run both;
* a build on a folder a read-only server has open: refused clearly, the server
  goes on; a server with an ``--in-memory`` snapshot lets the build proceed.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from graph.cli import app as cli_app
from tests.oxigraph_server import BIN, DealgraphServer
from tests.test_crash import GENERATED, _graphs, _write_articles

N_ARTICLES = 120
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("concurrency")
    _write_articles(root / "articles", N_ARTICLES)
    ref = root / "reference"
    proc = subprocess.run(
        [str(BIN / "dealgraph"), "build", str(root / "articles"), "--store", str(ref), "-q", "--no-validate"],
        capture_output=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return root / "articles", _graphs(ref)


def _build(articles: Path, store: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "dealgraph"), "build", str(articles), "--store", store, "-q", "-v", "--no-validate"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )


def _seen(server) -> dict[str, set[str]]:
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": ALL_QUADS})
    with urllib.request.urlopen(url, timeout=60) as resp:
        rows = ox.parse_query_results(resp.read(), format=ox.QueryResultsFormat.JSON)
        out: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            if r["p"].value != GENERATED:
                out[r["g"].value].add(f"{r['s']} {r['p']} {r['o']}")
    return dict(out)


def test_readers_through_the_server_never_see_half_an_article(corpus, tmp_path):
    articles, reference = corpus
    store = tmp_path / "store"
    with DealgraphServer(
        store, "--allow-update", "--token", "s3cret", "--max-rows", "1000000", "--timeout", "60"
    ) as server:
        build = _build(articles, server.endpoint, DEALGRAPH_TOKEN="s3cret")
        polls, sizes = 0, set()
        while True:
            done = build.poll() is not None
            graphs = _seen(server)
            polls += 1
            sizes.add(len(graphs))
            for name, triples in graphs.items():
                assert triples == reference[name], f"poll {polls}: a reader saw {name} incomplete or wrong"
            if done:
                break
            time.sleep(0.05)
        err = build.stderr.read().decode()
        assert build.returncode == 0, err
        assert _seen(server) == reference
        assert server.alive()
    intermediate = sorted(s for s in sizes if 0 < s < len(reference))
    print(f"\n{polls} reads during the build, {len(intermediate)} distinct partial states, none with half an article")
    assert intermediate, "no read happened mid-build; the test proves nothing"


def test_query_while_a_build_writes_says_busy(corpus, tmp_path):
    articles, _ = corpus
    store = tmp_path / "store"
    build = _build(articles, str(store))
    try:
        line = build.stderr.readline().decode()
        assert line.startswith("committed "), line
        runner = CliRunner()
        for args in (["query", "ASK { ?s ?p ?o }"], ["info"], ["serve", "--get", "/sparql?query=ASK%7B%7D"]):
            r = runner.invoke(cli_app, [*args, "--store", str(store)])
            flat = " ".join(r.output.split())
            assert r.exit_code == 1, r.output
            assert "Traceback" not in r.output and flat.startswith("Error:")
            assert "busy" in flat and "a build is writing" in flat and "--allow-update" in flat, r.output
    finally:
        build.wait(timeout=600)
    assert build.returncode == 0, build.stderr.read().decode()
    r = CliRunner().invoke(
        cli_app,
        ["query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }", "--store", str(store), "--format", "csv"],
    )
    assert r.exit_code == 0 and r.stdout.split()[1] == str(N_ARTICLES), r.output


def test_build_under_a_read_only_server_is_refused_and_in_memory_lets_it_run(corpus, tmp_path):
    articles, reference = corpus
    store = tmp_path / "store"
    some = tmp_path / "some"
    some.mkdir()
    for f in sorted(articles.iterdir())[:3]:
        (some / f.name).write_bytes(f.read_bytes())
    first = _build(some, str(store))
    assert first.wait(timeout=600) == 0, first.stderr.read().decode()
    ask = (
        "/sparql?query=" + urllib.parse.quote("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }") + "&format=csv"
    )
    with DealgraphServer(store) as server:
        build = _build(articles, str(store))
        err = build.stderr.read().decode()
        assert build.wait(timeout=600) == 1
        flat = " ".join(err.split())
        assert "in use" in flat and "open for reading" in flat and "--in-memory" in flat, err
        assert "Traceback" not in err
        with urllib.request.urlopen(server.base + ask, timeout=10) as resp:
            assert resp.read().split()[1] == b"3"
    with DealgraphServer(store, "--in-memory") as server:
        build = _build(articles, str(store))
        while build.poll() is None:  # the snapshot answers all along
            with urllib.request.urlopen(server.base + ask, timeout=10) as resp:
                assert resp.read().split()[1] == b"3"
            time.sleep(0.2)
        assert build.returncode == 0, build.stderr.read().decode()
    final = _graphs(store)
    assert final.keys() == reference.keys()
    moved = {f"https://w3id.org/dealgraph/id/graph/{f.stem.replace('_', '-')}" for f in some.iterdir()}
    assert {g: t for g, t in final.items() if g not in moved} == {g: t for g, t in reference.items() if g not in moved}
