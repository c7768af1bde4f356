"""graph/server/: the SPARQL endpoint in-process, then ``dealgraph serve`` on a real socket.

The socket tests run ``dealgraph serve`` as a subprocess on 127.0.0.1 and query
it with real clients: SPARQLWrapper and rdflib's SPARQLStore / SPARQLUpdateStore.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from graph.cli import app as cli_app
from graph.query import saved_queries
from graph.server import create_app, request
from graph.store import open_store

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CEO = "SELECT ?who ?org WHERE { ?p dg:ceoOf ?o . ?p rdfs:label ?who . ?o rdfs:label ?org } ORDER BY ?who"


def q(text: str, **params) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": text, **params})


@pytest.fixture(scope="module")
def app(built_store):
    a = create_app(built_store, timeout=5, max_rows=500)
    yield a
    a.close()


# ------------------------------------------------------------------ protocol


def test_select_json_by_default(app):
    r = request(app, q(CEO))
    assert r.status == 200, r.text
    assert r.headers["Content-Type"] == "application/sparql-results+json"
    data = json.loads(r.body)
    assert data["head"]["vars"] == ["who", "org"]
    assert ("Jack Ma", "Alibaba Group") in {(b["who"]["value"], b["org"]["value"]) for b in data["results"]["bindings"]}


@pytest.mark.parametrize(
    "accept, media, fmt",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("text/html, */*;q=0.1", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)
def test_select_formats_by_accept(app, accept, media, fmt):
    r = request(app, q(CEO), headers={"Accept": accept})
    assert r.status == 200 and r.headers["Content-Type"].startswith(media), r.text
    rows = list(ox.parse_query_results(r.body, format=fmt))
    assert any(row["who"].value == "Jack Ma" for row in rows)


def test_select_csv(app):
    r = request(app, q(CEO), headers={"Accept": "text/csv"})
    assert r.headers["Content-Type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0] == "who,org" and "Jack Ma,Alibaba Group" in lines


def test_ask_and_format_parameter(app):
    r = request(app, q("ASK { ?p dg:ceoOf ?o }"))
    assert json.loads(r.body) == {"head": {}, "boolean": True}
    r = request(app, q("ASK { ?p dg:ceoOf ?p }", format="xml"))
    assert b"<boolean>false</boolean>" in r.body
    assert request(app, q("ASK {}", format="yaml")).status == 400


@pytest.mark.parametrize(
    "accept, media, fmt",
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats(app, accept, media, fmt):
    r = request(app, q("CONSTRUCT WHERE { ?p dg:ceoOf ?o }"), headers={"Accept": accept})
    assert r.status == 200 and r.headers["Content-Type"].startswith(media), r.text
    triples = list(ox.parse(r.body, format=fmt))
    assert len(triples) >= 2 and all(t.predicate.value.endswith("#ceoOf") for t in triples)


def test_describe(app):
    r = request(
        app, q("DESCRIBE <https://w3id.org/dealgraph/id/person/jack-ma>"), headers={"Accept": "application/n-triples"}
    )
    assert r.status == 200 and b"Jack Ma" in r.body


def test_post_form_and_direct_body(app):
    body = urllib.parse.urlencode({"query": CEO}).encode()
    r1 = request(app, "/sparql", method="POST", body=body, headers=FORM)
    r2 = request(app, "/query", method="POST", body=CEO.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r1.status == r2.status == 200
    assert json.loads(r1.body) == json.loads(r2.body) == json.loads(request(app, q(CEO)).body)


def test_post_errors(app):
    assert request(app, "/sparql", method="POST", body=b"x", headers={"Content-Type": "text/plain"}).status == 415
    assert request(app, "/sparql", method="PUT").status == 405
    assert request(app, "/update", method="GET").status == 405
    two = urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK {}")]).encode()
    assert request(app, "/sparql", method="POST", body=two, headers=FORM).status == 400
    r = request(app, q("ASK {}", **{"default-graph-uri": "not an iri"}))
    assert r.status == 400 and "IRI" in r.text


def test_dataset_parameters(app, built_store):
    graph = built_store.named_graphs()[0]
    ask = "ASK { ?s ?p ?o }"
    assert json.loads(request(app, q(ask, **{"default-graph-uri": graph})).body)["boolean"] is True
    assert json.loads(request(app, q(ask, **{"default-graph-uri": "urn:none"})).body)["boolean"] is False
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = json.loads(request(app, q(named, **{"named-graph-uri": graph})).body)["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [graph]
    bad = request(app, "/sparql", method="POST", body=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"})
    assert bad.status == 400 and "UTF-8" in bad.text


def test_service_description(app):
    r = request(app, "/sparql", headers={"Accept": "text/turtle"})
    assert r.status == 200
    triples = list(ox.parse(r.body, format=ox.RdfFormat.TURTLE))
    preds = {t.predicate.value.rsplit("#", 1)[1] for t in triples}
    assert {"endpoint", "supportedLanguage", "resultFormat", "feature"} <= preds
    langs = {t.object.value for t in triples if t.predicate.value.endswith("supportedLanguage")}
    assert langs == {"http://www.w3.org/ns/sparql-service-description#SPARQL11Query"}
    browser = request(app, "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status == 303 and browser.headers["Location"] == "/"


# ------------------------------------------------------------------ errors and limits


@pytest.mark.parametrize(
    "bad",
    [
        "SELEC ?x WHERE { ?x ?p ?o }",
        "SELECT ?x WHERE { ?x ?p }",
        "SELECT ?x WHERE { ?x nope:p ?o }",
        "SELECT ?x WHERE { FILTER( }",
        "{",
        "",
        "ASK { ?s ?p ?o } LIMIT x",
    ],
)
def test_malformed_queries_get_400_with_a_message(app, bad):
    r = request(app, q(bad))
    assert r.status == 400, r.text
    assert r.headers["Content-Type"].startswith("text/plain") and len(r.text.strip()) > 5
    assert request(app, q("ASK {}")).status == 200  # still serving


def test_result_cap(app):
    r = request(app, q("SELECT * WHERE { ?s ?p ?o }"))
    assert r.status == 400 and "more than 500 rows" in r.text and "LIMIT" in r.text
    assert request(app, q("SELECT * WHERE { ?s ?p ?o } LIMIT 500")).status == 200
    assert request(app, q("CONSTRUCT WHERE { ?s ?p ?o }")).status == 400


def test_query_length_cap(built_store):
    small = create_app(built_store, max_query_chars=100)
    r = request(small, q("ASK { " + "?s ?p ?o . " * 20 + "}"))
    assert r.status == 413 and "at most 100" in r.text
    small.close()


def test_timeout_answers_503_and_the_server_goes_on(built_store):
    quick = create_app(built_store, timeout=0.2, workers=2, per_client=2)  # the first query's thread runs on
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?k { 1 2 3 4 5 6 } }"
    r = request(quick, q(slow))
    assert r.status == 503 and "longer than 0.2 s" in r.text
    assert request(quick, q("ASK {}")).status == 200
    quick.close()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o SERVICE<http://example.org/sparql>{?s ?p ?o} }",
    ],
)
def test_federation_is_refused(app, text):
    r = request(app, q(text))
    assert r.status == 403 and "SERVICE" in r.text


def test_service_in_strings_names_and_comments_is_fine(app):
    text = (
        "SELECT ?service WHERE { # SERVICE <http://x> {}\n"
        'BIND("SERVICE <http://x/> { }" AS ?service) FILTER(?service != <http://x/SERVICE>) }'
    )
    assert request(app, q(text)).status == 200


def test_updates_are_refused_by_default(app):
    body = urllib.parse.urlencode({"update": "INSERT DATA { <x:a> <x:b> <x:c> }"}).encode()
    r = request(app, "/sparql", method="POST", body=body, headers=FORM)
    assert r.status == 403 and "read-only" in r.text
    r = request(app, "/sparql?" + body.decode())
    assert r.status == 400 and "POST" in r.text


def test_updates_need_the_token(memory_store):
    with pytest.raises(ValueError, match="token"):
        create_app(memory_store, allow_update=True)
    a = create_app(memory_store, allow_update=True, token="s3cret")
    update = b"INSERT DATA { GRAPH <urn:g> { <urn:a> rdfs:label 'A' } }"
    ct = {"Content-Type": "application/sparql-update"}
    assert request(a, "/update", method="POST", body=update, headers=ct).status == 401
    wrong = request(a, "/update", method="POST", body=update, headers={**ct, "Authorization": "Bearer nope"})
    assert wrong.status == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    ok = request(a, "/update", method="POST", body=update, headers={**ct, "Authorization": "Bearer s3cret"})
    assert ok.status == 204, ok.text
    assert json.loads(request(a, q("ASK { <urn:a> rdfs:label 'A' }")).body)["boolean"] is True
    load = request(
        a,
        "/update",
        method="POST",
        body=b"LOAD <http://example.org/x.ttl>",
        headers={**ct, "Authorization": "Bearer s3cret"},
    )
    assert load.status == 403 and "LOAD" in load.text
    bad = request(
        a, "/update", method="POST", body=b"INSERT DATUM {}", headers={**ct, "Authorization": "Bearer s3cret"}
    )
    assert bad.status == 400
    a.close()


@pytest.mark.parametrize(
    "path",
    [
        "/view/../../etc/passwd",
        "/../../etc/passwd",
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/static/query_page.js/..",
        "/resources/view.js",
        "/etc/passwd",
        "//etc/passwd",
        "/static/",
    ],
)
def test_no_path_traversal(app, path):
    r = request(app, path)
    assert r.status == 404
    assert b"root:" not in r.body and b"import" not in r.body


# ------------------------------------------------------------------ pages


def test_query_page_is_offline_and_lists_saved_questions(app):
    page = request(app, "/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    for path in ("/", "/static/query_page.js", "/static/query_page.css"):
        text = request(app, path).text
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
        assert "@import" not in text and "url(http" not in text
    examples = json.loads(request(app, "/queries.json").body)
    assert {e["name"] for e in examples} == set(saved_queries())
    for e in examples:
        if all(e["params"].values()):
            r = request(app, q(e["sparql"]))
            assert r.status == 200, (e["name"], r.text)


def test_view_page(app):
    r = request(app, "/view")
    assert r.status == 200 and r.text.startswith("<!doctype html>") and "Alibaba" in r.text
    assert request(app, "/view?focus=Jack%20Ma&depth=1").status == 200
    assert request(app, "/view?focus=Nobody%20Atall").status == 400
    assert request(app, "/view?depth=deep").status == 400


def test_cli_serve_help_and_get(tmp_path, built_store):
    runner = CliRunner()
    r = runner.invoke(cli_app, ["serve", "--help"])
    assert r.exit_code == 0 and "--allow-update" in r.output
    store_dir = tmp_path / "store"
    with open_store(store_dir) as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    r = runner.invoke(cli_app, ["serve", "--store", str(store_dir), "--get", q("ASK { ?p dg:ceoOf ?o }")])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["boolean"] is True
    r = runner.invoke(
        cli_app,
        [
            "serve",
            "--store",
            str(store_dir),
            "--in-memory",
            "--get",
            q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", format="csv"),
        ],
    )
    assert r.exit_code == 0 and r.stdout.split()[1] == str(built_store.count()), r.output
    r = runner.invoke(cli_app, ["serve", "--store", str(store_dir), "--get", "/nowhere"])
    assert r.exit_code == 1
    r = runner.invoke(cli_app, ["serve", "--store", str(store_dir), "--in-memory", "--allow-update", "--get", "/"])
    assert r.exit_code == 2


# ------------------------------------------------------------------ a real socket, real clients


@pytest.fixture(scope="module")
def served(tmp_path_factory, built_store):
    from tests.oxigraph_server import DealgraphServer

    store_dir = tmp_path_factory.mktemp("serve") / "store"
    with open_store(store_dir) as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    with DealgraphServer(store_dir, "--allow-update", "--token", "t0ken", "--max-rows", "2000") as server:
        yield server
    assert not server.alive()


@pytest.mark.server
def test_sparqlwrapper_select_ask_construct(served):
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(served.endpoint)
    sw.setQuery(CEO)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert ("Jack Ma", "Alibaba Group") in {(b["who"]["value"], b["org"]["value"]) for b in rows}

    sw.setReturnFormat(XML)
    sw.setMethod("POST")
    doc = sw.query().convert()
    assert "Jack Ma" in doc.toxml()

    sw.setQuery("ASK { ?p dg:ceoOf ?o }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True

    sw.setQuery("CONSTRUCT WHERE { ?p dg:ceoOf ?o }")
    sw.setReturnFormat(TURTLE)
    g = sw.queryAndConvert()
    assert b"ceoOf" in g if isinstance(g, bytes) else len(g) >= 2


@pytest.mark.server
@pytest.mark.filterwarnings("ignore:.*query type.*:RuntimeWarning")
def test_sparqlwrapper_sees_errors(served):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(served.endpoint)
    sw.setQuery("SELEC ?x WHERE { ?x ?p ?o }")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        sw.query()
    assert served.alive()


@pytest.mark.server
def test_rdflib_sparqlstore(served):
    from rdflib import Dataset, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    ds = Dataset(store=SPARQLStore(served.endpoint), default_union=True)
    rows = list(
        ds.query(
            "PREFIX dg: <https://w3id.org/dealgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?g ?who WHERE { GRAPH ?g { ?p dg:ceoOf ?o . ?p rdfs:label ?who } }"
        )
    )
    assert any(str(r.who) == "Jack Ma" and "/graph/" in str(r.g) for r in rows)
    labels = set(
        ds.objects(
            URIRef("https://w3id.org/dealgraph/id/person/jack-ma"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
        )
    )
    assert Literal("Jack Ma") in labels


@pytest.mark.server
def test_rdflib_sparqlupdatestore_with_token(served):
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    gid = URIRef("urn:dealgraph:test-graph")
    s, p = URIRef("urn:x:thing"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    refused = SPARQLUpdateStore(served.endpoint, served.endpoint)
    with pytest.raises(Exception, match="401"):
        Graph(store=refused, identifier=gid).add((s, p, Literal("nope")))
    store = SPARQLUpdateStore(served.endpoint, served.endpoint, headers={"Authorization": "Bearer t0ken"})
    Graph(store=store, identifier=gid).add((s, p, Literal("a thing")))
    check = SPARQLUpdateStore(served.endpoint, served.endpoint)
    assert Literal("a thing") in set(Graph(store=check, identifier=gid).objects(s, p))


@pytest.mark.server
def test_served_limits_and_static_routes_over_http(served):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(served.base + q("SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }"))
    assert e.value.code == 400 and b"more than 2,000 rows" in e.value.read()
    # urllib normalises nothing: the raw ../ reaches the server
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    conn.request("GET", "/view/../../etc/passwd")
    resp = conn.getresponse()
    assert resp.status == 404 and b"root:" not in resp.read()
    conn.close()
    with urllib.request.urlopen(served.base + "/") as resp:
        assert b"query_page.js" in resp.read()
    assert served.alive()


# ------------------------------------------------------------------ slow clients and overload, on real sockets

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?k { 1 2 3 4 5 6 7 8 9 } }"


@pytest.fixture(scope="module")
def strict(tmp_path_factory, built_store):
    """A server with 2 query workers, a 3 s query limit, 0.5 s queue wait and a 2 s request deadline."""
    from tests.oxigraph_server import DealgraphServer

    store_dir = tmp_path_factory.mktemp("strict") / "store"
    with open_store(store_dir) as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    with DealgraphServer(
        store_dir, "--workers", "2", "--timeout", "3", "--queue-wait", "0.5", "--request-timeout", "2"
    ) as server:
        yield server
    assert not server.alive()


def _get(server, path, source="127.0.0.1", timeout=15.0):
    """GET ``path`` from the loopback address ``source`` (Linux routes all of 127/8 to lo): status, headers, body, seconds."""
    import http.client
    import time

    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read(), time.monotonic() - t0
    finally:
        conn.close()


def _raw(server, data: bytes, *, shut=False, timeout=15.0):
    """Send ``data`` on a fresh connection (then half-close when ``shut``); the answer's first line and seconds."""
    import socket
    import time

    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0], answer, time.monotonic() - t0


@pytest.mark.server
def test_slow_senders_cost_no_worker_and_are_dropped(strict):
    import socket
    import threading
    import time

    stop = threading.Event()
    closed_after: list[float] = []

    def slowloris():  # a header byte every 0.3 s, never finishing
        t0 = time.monotonic()
        with socket.create_connection(("127.0.0.1", strict.port), timeout=20) as s:
            s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
            try:
                while not stop.is_set():
                    s.sendall(b"X")
                    time.sleep(0.3)
                    s.setblocking(False)
                    try:
                        s.recv(4096)
                        break  # the server answered (408) or closed
                    except BlockingIOError:
                        pass  # nothing yet: go on sending
                    finally:
                        s.setblocking(True)
            except OSError:
                pass
        closed_after.append(time.monotonic() - t0)

    threads = [threading.Thread(target=slowloris) for _ in range(8)]  # 4x the workers
    for t in threads:
        t.start()
    time.sleep(0.5)
    status, _, body, seconds = _get(strict, q("ASK { ?p dg:ceoOf ?o }"))
    assert status == 200 and seconds < 1.5, (status, seconds)
    for t in threads:
        t.join(15)
    stop.set()
    assert len(closed_after) == 8 and max(closed_after) < 5, closed_after  # the 2 s request deadline, +1 s sweep
    assert strict.alive()


@pytest.mark.server
def test_short_body_is_400_at_once_or_408_at_the_deadline(strict):
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK {}"
    )
    first, answer, seconds = _raw(strict, head, shut=True)
    assert first.startswith(b"HTTP/1.1 400") and b"Content-Length" in answer and seconds < 1.5, (first, seconds)
    first, _, seconds = _raw(strict, head)
    assert first.startswith(b"HTTP/1.1 408") and 1.5 < seconds < 5, (first, seconds)
    assert _get(strict, q("ASK {}"))[0] == 200


@pytest.mark.server
def test_overload_is_fair_and_503_says_when_to_retry(strict):
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        # one client (127.0.0.2) sends five expensive queries; it may hold one of the two workers
        hogs = [pool.submit(_get, strict, q(SLOW), "127.0.0.2") for _ in range(5)]
        import time

        time.sleep(0.3)
        status, _, _, seconds = _get(strict, q("ASK { ?p dg:ceoOf ?o }"), "127.0.0.3")
        assert status == 200 and seconds < 1.5, (status, seconds)  # another client is not locked out
        answers = [h.result() for h in hogs]
    statuses = sorted(a[0] for a in answers)
    assert 503 in statuses or 429 in statuses, statuses
    for status, headers, body, _seconds in answers:
        if status in (429, 503):
            assert headers["Retry-After"] == "1" and body.strip(), (status, body)
    refused = [a for a in answers if a[0] == 429]
    assert all(a[3] < 2 for a in refused)  # refused after the short queue wait, not after the query timeout
    assert _get(strict, q("ASK {}"))[0] == 200
