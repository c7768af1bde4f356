"""dealgraph against Virtuoso 7 (Debian's ``virtuoso-opensource-7-bin``), a real server on loopback.

The same remote-store checks as tests/test_remote.py runs against Oxigraph
server: build through the CLI, every saved question gives the embedded store's
answer, a rebuild adds nothing, re-ingesting replaces a named graph, writes go in
batches, credentials come from the environment (Virtuoso's ``/sparql-auth``
asks for HTTP Digest).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph.cli import app as cli_app
from graph.pipeline import build
from graph.query import run
from graph.store import open_store
from tests.conftest import ARTICLES
from tests.test_remote import _rows, _saved_results
from tests.virtuoso_server import VirtuosoServer, virtuoso_binary

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        virtuoso_binary() is None, reason="Virtuoso is missing (apt-get install virtuoso-opensource-7-bin)"
    ),
]

runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(cli_app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def virtuoso():
    with VirtuosoServer() as server:
        yield server
    assert not server.alive()


@pytest.fixture(scope="module")
def virtuoso_built(virtuoso):
    r = invoke("build", ARTICLES, "--store", virtuoso.query_url, "-q")
    assert r.exit_code == 0, r.output
    assert "8 added" in r.output
    return virtuoso


def test_every_saved_question_answers_as_the_embedded_store(virtuoso_built, built_store):
    remote = open_store(virtuoso_built.query_url, read_only=True)
    expected, got = _saved_results(built_store), _saved_results(remote)
    assert expected and got == expected
    assert remote.count() == built_store.count()  # Virtuoso's own system graphs are not counted
    ask = "ASK { ?p rdfs:label 'Jack Ma' ; dg:ceoOf ?o }"
    assert run(remote, ask).boolean is True and run(remote, "ASK { ?s dg:nothing ?o }").boolean is False


def test_rebuild_adds_nothing_and_info_matches(virtuoso_built, built_store):
    r = invoke("build", ARTICLES, "--store", virtuoso_built.query_url, "-q")
    assert r.exit_code == 0 and "8 unchanged" in r.output, r.output
    r = invoke("info", "--store", virtuoso_built.query_url, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["quads"] == built_store.count()


def test_reingest_replaces_the_named_graph_in_batches(tmp_articles):
    with VirtuosoServer() as server:
        remote, local = open_store(server.query_url), open_store("memory")
        assert build([tmp_articles], remote).added == 8
        build([tmp_articles], local)
        assert remote.requests <= 6  # probe, curation records, hashes, names, entities, one update
        article = tmp_articles / "01_alibaba_apple_payments.txt"
        article.write_text(article.read_text().replace("Tim Cook, Apple's chief executive", "A spokesperson for Apple"))
        assert build([tmp_articles], remote).replaced == 1
        assert build([tmp_articles], local).replaced == 1
        assert remote.count() == local.count()
        per_graph = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(id:))) } "
            "GROUP BY ?g"
        )  # not Virtuoso's own system graphs
        assert _rows(run(remote, per_graph)) == _rows(run(local, per_graph))
        remote.clear()
        assert remote.count() == 0
        remote.close()
