"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``: the W3C tests from their manifests, then ours.

The W3C manifests (``../shared/data/w3c-sparql/graph-store-protocol``) are
read and run as ``tests/w3c_manifest.py`` describes, against a real
``dealgraph serve --allow-update`` (the manifest's ``/gsp`` re-rooted at
``/store``; the store emptied before each test, as each expects a fresh one).
Not applicable here, and skipped with the reason: direct graph
identification (graphs are named by ``?graph=IRI``, not by the request URL)
and writing the default graph (it is the union of the named graphs).
"""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pyoxigraph as ox
import pytest

from tests.conftest import SHARED
from tests.w3c_manifest import load, run_case

FOLDER = SHARED / "data" / "w3c-sparql" / "graph-store-protocol" if SHARED else None
CASES = load(FOLDER / "manifest.ttl") if FOLDER is not None and FOLDER.exists() else []
TOKEN = "gsp-t0ken"
SUPPORTED = {"IndirectGraphIdentification", "POSTGraphCreation"}
DEFAULT_GRAPH_WRITES = "the default graph is the union of the named graphs: it is read, not written"

pytestmark = pytest.mark.server


def reroot(path: str) -> str:
    assert path.startswith("/gsp"), path
    return "/store" + path[len("/gsp") :]


def not_applicable(case) -> str | None:
    missing = case.requires - SUPPORTED
    if missing:
        return f"needs {', '.join(sorted(missing))}"
    if any(
        r.method in ("PUT", "POST", "DELETE")
        and "default" in urllib.parse.parse_qs(urllib.parse.urlsplit(r.path).query, keep_blank_values=True)
        for r in case.requests
    ):
        return DEFAULT_GRAPH_WRITES
    return None


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    from graph.store import open_store
    from tests.oxigraph_server import DealgraphServer

    folder = tmp_path_factory.mktemp("gsp") / "store"
    open_store(folder).close()
    with DealgraphServer(folder, "--allow-update", "--token", TOKEN) as server:
        yield server
        assert server.alive()


def call(server, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.skipif(not CASES, reason="../shared/data/w3c-sparql/graph-store-protocol is not available")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_w3c_graph_store(case, writable):
    reason = not_applicable(case)
    if reason:
        pytest.skip(reason)
    status, _, body = call(
        writable, "POST", "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update", **AUTH}
    )
    assert status == 204, body
    problems = run_case(case, writable.port, reroot, AUTH)
    assert not problems, f"{case.id} ({case.name}):\n" + "\n".join(problems)


@pytest.mark.skipif(not CASES, reason="../shared/data/w3c-sparql/graph-store-protocol is not available")
def test_w3c_graph_store_counts():
    """13 tests in the two manifests' entries: 8 apply (and run above), 5 are left out for the two reasons."""
    reasons = [not_applicable(c) for c in CASES]
    assert len(CASES) == 13
    assert reasons.count(None) == 8
    assert set(reasons) == {None, "needs DirectGraphIdentification", DEFAULT_GRAPH_WRITES}


@pytest.fixture(scope="module")
def read_only(tmp_path_factory, built_store):
    from graph.store import open_store
    from tests.oxigraph_server import DealgraphServer

    folder = tmp_path_factory.mktemp("gsp") / "ro"
    with open_store(folder) as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    with DealgraphServer(folder) as server:
        yield server, built_store


@pytest.mark.parametrize(
    "accept, media, fmt",
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_get_an_article_graph_in_each_format(read_only, accept, media, fmt):
    server, store = read_only
    graph = sorted(store.named_graphs())[0]
    status, headers, body = call(
        server, "GET", "/store?" + urllib.parse.urlencode({"graph": graph}), headers={"Accept": accept}
    )
    assert status == 200 and headers["content-type"].startswith(media), body[:200]
    got = {(t.subject, t.predicate, t.object) for t in ox.parse(body, format=fmt)}
    want = {(q.subject, q.predicate, q.object) for q in store.quads() if q.graph_name == ox.NamedNode(graph)}
    assert len(got) == len(want) > 0
    assert {t for t in got if not isinstance(t[0], ox.BlankNode)} == {
        t for t in want if not isinstance(t[0], ox.BlankNode)
    }


def test_read_only_store_reads_and_refuses_writes(read_only):
    server, store = read_only
    graph = sorted(store.named_graphs())[0]
    path = "/store?" + urllib.parse.urlencode({"graph": graph})
    status, headers, body = call(server, "HEAD", path)
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert call(server, "GET", "/store?graph=urn%3Anothing%3Ahere")[0] == 404
    assert call(server, "HEAD", "/store?graph=urn%3Anothing%3Ahere")[0] == 404
    status, _, body = call(server, "GET", "/store?default", headers={"Accept": "application/n-triples"})
    assert status == 200 and len(body.splitlines()) == len({(q.subject, q.predicate, q.object) for q in store.quads()})
    assert call(server, "GET", "/store")[0] == 400
    assert call(server, "GET", "/store?graph=not%20an%20iri")[0] == 400
    status, _, body = call(server, "PUT", path, b"<x:a> <x:b> <x:c> .", {"Content-Type": "text/turtle"})
    assert status == 403 and b"read-only" in body
    assert call(server, "DELETE", path)[0] == 403
    assert call(server, "PATCH", path)[0] == 405


def test_writes_need_the_token_and_say_what_they_did(writable):
    path = "/store?graph=urn%3Ax%3Agsp-own"
    turtle = {"Content-Type": "text/turtle"}
    assert call(writable, "PUT", path, b"<x:a> <x:b> <x:c> .", turtle)[0] == 401
    assert call(writable, "PUT", path, b"<x:a> <x:b> <x:c> .", {**turtle, **AUTH})[0] == 201
    assert call(writable, "PUT", path, b"<x:a> <x:b> <x:d> .", {**turtle, **AUTH})[0] == 204
    assert call(writable, "POST", path, b"<x:a> <x:b> <x:e> .", {**turtle, **AUTH})[0] == 204
    status, _, body = call(writable, "GET", path, headers={"Accept": "application/n-triples"})
    assert status == 200 and sorted(body.decode().split("\n"))[1:] == ["<x:a> <x:b> <x:d> .", "<x:a> <x:b> <x:e> ."]
    # the SPARQL endpoint sees the same graph
    q = urllib.parse.urlencode({"query": "SELECT ?o WHERE { GRAPH <urn:x:gsp-own> { ?s ?p ?o } } ORDER BY ?o"})
    rows = json.loads(call(writable, "GET", "/sparql?" + q)[2])["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == ["x:d", "x:e"]
    assert call(writable, "PUT", path, b"not turtle", {**turtle, **AUTH})[0] == 400
    assert call(writable, "PUT", path, b"<x:a> <x:b> <x:c> .", {"Content-Type": "text/html", **AUTH})[0] == 415
    status, headers, _ = call(writable, "PUT", "/store?default", b"<x:a> <x:b> <x:c> .", {**turtle, **AUTH})
    assert status == 405 and headers["allow"] == "GET, HEAD"
    assert call(writable, "DELETE", path, headers=AUTH)[0] == 204
    assert call(writable, "DELETE", path, headers=AUTH)[0] == 404
    assert call(writable, "GET", path)[0] == 404
