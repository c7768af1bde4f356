"""graph/store/remote.py: dealgraph against a real SPARQL 1.1 server (``oxigraph serve`` on loopback).

The suite builds data/articles into the server through the dealgraph CLI, asks it
every saved question and compares with the embedded store; re-ingesting a changed
article replaces its named graph on the server too; writes go in batches. The
servers are started on free 127.0.0.1 ports and stopped by PID
(tests/oxigraph_server.py).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph.cli import app as cli_app
from graph.errors import QueryError, StoreError
from graph.pipeline import build
from graph.query import run, saved_queries
from graph.store import open_store
from graph.store.remote import RemoteStore, derive_update_url, open_remote
from tests.conftest import ARTICLES
from tests.oxigraph_server import DealgraphServer, OxigraphServer, oxigraph_binary

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(oxigraph_binary() is None, reason="the oxigraph binary is missing (pip install oxigraph)"),
]

runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(cli_app, [str(a) for a in args], env=env)


def _cell(value):
    """A cell, with GROUP_CONCAT lists sorted (their order is up to the engine)."""
    text = str(value)
    for sep in (" | ", ", "):
        if sep in text:
            return sep.join(sorted(text.split(sep)))
    return text


def _rows(result):
    return sorted(tuple(_cell(v) for v in row) for row in result.rows)


def _saved_results(store):
    out = {}
    for name, sq in saved_queries().items():
        subs = {k: v for k, v in sq.params.items() if v}
        if len(subs) == len(sq.params):
            out[name] = _rows(run(store, sq.sparql, substitutions=subs))
    return out


@pytest.fixture(scope="module")
def oxigraph():
    """A plain ``oxigraph serve`` (no --union-default-graph: dealgraph asks for the union per query)."""
    with OxigraphServer() as server:
        yield server
    assert not server.alive()


@pytest.fixture(scope="module")
def remote_built(oxigraph):
    r = invoke("build", ARTICLES, "--store", oxigraph.query_url, "-q")
    assert r.exit_code == 0, r.output
    assert "8 added" in r.output
    return oxigraph


def test_build_through_the_cli_then_query_back(remote_built, built_store):
    with open_store(remote_built.query_url, read_only=True) as remote:
        assert remote.count() == built_store.count()
        assert sorted(remote.named_graphs()) == sorted(built_store.named_graphs())
        assert remote.article_hashes() == built_store.article_hashes()
        assert _saved_results(remote) == _saved_results(built_store)


def test_query_command_against_the_server(remote_built):
    r = invoke(
        "query", "--store", remote_built.query_url, "--name", "ceo-of", "--param", "company=Alibaba", "--format", "json"
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["results"]["bindings"]
    assert any("Jack Ma" in json.dumps(b) for b in rows)
    r = invoke("query", "--store", remote_built.query_url, "ASK { id:org\\/alibaba ?p ?o }")
    assert r.exit_code == 0 and r.stdout.strip() == "true", r.output
    r = invoke("query", "--store", remote_built.query_url, "CONSTRUCT WHERE { ?p dg:ceoOf ?o }")
    assert r.exit_code == 0 and "dg:ceoOf" in r.stdout
    r = invoke("query", "--store", remote_built.query_url, "SELEC ?x")
    assert r.exit_code == 1 and "rejected the query" in r.output


def test_rebuild_adds_nothing(remote_built):
    r = invoke("build", ARTICLES, "--store", remote_built.query_url, "-q", "--no-validate")
    assert r.exit_code == 0 and "8 unchanged" in r.output, r.output


def test_info_export_view_on_the_remote_store(remote_built, built_store, tmp_path):
    r = invoke("info", "--store", remote_built.query_url, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["quads"] == built_store.count()
    r = invoke("export", "--store", remote_built.query_url, "--format", "nq")
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == built_store.count()
    r = invoke("view", "--store", remote_built.query_url, "-o", tmp_path / "g.html")
    assert r.exit_code == 0 and (tmp_path / "g.html").read_text().startswith("<!doctype html>")


def test_reingest_replaces_the_named_graph_and_writes_in_batches(tmp_articles):
    """Same two builds on the server and in memory: same graphs, same sizes, old facts gone."""
    with OxigraphServer(union_default_graph=True) as server:
        remote = open_store(server.query_url)
        local = open_store("memory")
        report = build([tmp_articles], remote)
        build([tmp_articles], local)
        assert report.added == 8
        # probe, curation records, hashes, names, entities, one update
        assert remote.requests <= 6, "batched: a handful of requests, not one per article"
        article = tmp_articles / "01_alibaba_apple_payments.txt"
        text = article.read_text()
        assert "Tim Cook" in text
        article.write_text(text.replace("Tim Cook, Apple's chief executive", "A spokesperson for Apple"))
        before = remote.requests
        assert build([tmp_articles], remote).replaced == 1
        assert build([tmp_articles], local).replaced == 1
        assert remote.requests - before <= 6
        assert remote.count() == local.count()
        ask = "ASK { ?p rdfs:label 'Tim Cook' ; dg:ceoOf ?o }"
        assert run(remote, ask).boolean is run(local, ask).boolean is False
        per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        assert _rows(run(remote, per_graph)) == _rows(run(local, per_graph))
        remote.close()


def test_load_nquads_in_batches(built_store):
    import pyoxigraph as ox

    with OxigraphServer() as server:
        remote = open_remote(server.query_url)
        remote.batch_quads = 500
        remote.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
        assert remote.count() == built_store.count()
        n = built_store.count()
        assert remote.requests <= -(-n // 500) + 2  # ceil(n/500) inserts, the probe, the count
        remote.clear()
        assert remote.count() == 0


def test_read_only_and_unreachable():
    with pytest.raises(StoreError, match="read-only"):
        open_remote("http://127.0.0.1:9/query", read_only=True).remove_graph("urn:x")
    from tests.oxigraph_server import free_port

    store = open_remote(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        store.count()
    with pytest.raises(StoreError, match="credentials"):
        open_remote("http://user:pw@127.0.0.1:9/query")


def test_update_urls(monkeypatch):
    assert derive_update_url("http://h:7878/query?union-default-graph") == "http://h:7878/update?union-default-graph"
    assert RemoteStore("http://h/sparql").update_url == "http://h/sparql"
    monkeypatch.setenv("DEALGRAPH_UPDATE_URL", "http://h/other")
    assert open_remote("http://h/sparql").update_url == "http://h/other"
    assert open_store("http://h/ds/query", update_url="http://h/ds/up").update_url == "http://h/ds/up"
    with pytest.raises(ValueError):
        open_store("memory", update_url="http://h/up")


def test_rdflib_sparqlupdatestore_against_oxigraph(oxigraph):
    """rdflib's own remote store on the same server (the DESIGN.md route), with its two gotchas."""
    from rdflib import Dataset, Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(oxigraph.query_url, oxigraph.update_url)
    gid = URIRef("urn:dealgraph:rdflib-test")
    # gotcha 1: a write needs a graph identifier (the default graph is not writable this way)
    Graph(store=store, identifier=gid).add((URIRef("urn:x:a"), URIRef("urn:x:b"), Literal("c")))
    # gotcha 2: GRAPH queries need Dataset(store=..., default_union=True)
    ds = Dataset(store=store, default_union=True)
    rows = list(ds.query("SELECT ?g WHERE { GRAPH ?g { <urn:x:a> <urn:x:b> ?o } }"))
    assert [str(r.g) for r in rows] == [str(gid)]
    store.update(f"DROP GRAPH <{gid}>")


def test_dealgraph_serve_as_a_remote_store_with_a_token(tmp_path, built_store):
    """Credentials come from the environment: DEALGRAPH_TOKEN against `dealgraph serve --allow-update`."""
    store_dir = tmp_path / "store"
    open_store(store_dir).close()
    with DealgraphServer(store_dir, "--allow-update", "--token", "tok-123") as server:
        denied = invoke(
            "build", ARTICLES, "--store", server.endpoint, "-q", "--no-validate", env={"DEALGRAPH_TOKEN": ""}
        )
        assert denied.exit_code == 1 and "refused" in denied.output
        r = invoke("build", ARTICLES, "--store", server.endpoint, "-q", env={"DEALGRAPH_TOKEN": "tok-123"})
        assert r.exit_code == 0, r.output
        with open_store(server.endpoint, read_only=True) as remote:
            assert remote.count() == built_store.count()
            with pytest.raises(QueryError):
                run(remote, "SELECT ?x WHERE { ?x")
