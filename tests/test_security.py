"""A locked-down endpoint and view: hostile queries against a real ``dealgraph serve``,
hostile article text in the served /view, the HTML file and the notebook frame.

The server tests start ``dealgraph serve`` as a subprocess on loopback (its
default: a store folder served read-only, queries in killable worker
processes), send it a storm of malformed, huge and pathological requests, and
check that it answers each with a 4xx or 503 and a message, never a 500 or a
dropped connection, and never restarts. The browser tests open the pages in
Debian's headless Chromium and check that no dialog opens and no script runs.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import view
from graph.network import to_networkx
from graph.server import create_app, request
from graph.store import open_store
from tests import browser
from tests.oxigraph_server import DealgraphServer

TIMEOUT = 2.0
WORKERS = 2
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
NORMAL = "SELECT ?who WHERE { ?p dg:ceoOf ?o ; rdfs:label ?who } LIMIT 5"
PWN = "<img src=x onerror=\"alert('img');window.__pwned=1\"><script>alert('script');window.__pwned=2</script>"
JS_URL = "javascript:alert('url');window.__pwned=3"


def q(text: str, **params) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": text, **params})


def _get(server, path, *, method="GET", body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


@pytest.fixture(scope="module")
def server(store_dir):
    with DealgraphServer(store_dir, "--timeout", str(TIMEOUT), "--workers", str(WORKERS)) as s:
        yield s


# ------------------------------------------------------------------ the endpoint


@pytest.mark.server
def test_pathological_query_is_stopped_and_the_server_goes_on(server):
    pid = server.proc.pid
    status, _ = _get(server, q("ASK {}"))
    assert status == 200
    t0 = time.monotonic()
    status, body = _get(server, q(CARTESIAN))
    stopped = time.monotonic() - t0
    assert status == 503, body
    assert stopped < TIMEOUT + 2, stopped
    t0 = time.monotonic()
    status, body = _get(server, q(NORMAL))
    after = time.monotonic() - t0
    assert status == 200 and b"Jack Ma" in body, body
    assert after < 2, after
    # the worker that ran it is gone (killed and replaced), not still burning a CPU
    time.sleep(0.5)
    assert len(_children(pid)) == WORKERS
    print(
        f"\npathological query stopped after {stopped:.2f} s (timeout {TIMEOUT:g} s); "
        f"next query answered in {after:.2f} s"
    )
    # more of them than there are workers, at once
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(WORKERS + 2) as pool:
        statuses = list(pool.map(lambda _: _get(server, q(CARTESIAN))[0], range(WORKERS + 2)))
    assert set(statuses) <= {503, 429} and 503 in statuses  # 429: this client's own cap (workers - 1)
    assert _get(server, q(NORMAL))[0] == 200
    assert server.alive() and server.proc.pid == pid


def _storm(rng: random.Random) -> list[tuple[str, dict]]:
    """Malformed, huge and hostile requests: (label, request kwargs)."""
    alphabet = "{}()[]<>?$.;,:*!^|/\\\"'#@ \n\tSELECTWHEREASKFILTERGRAPHSERVICE01aé\u202e\u200b\U0001f600"
    reqs = []
    for _ in range(300):
        garbage = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400)))
        reqs.append(("garbage", {"path": q(garbage)}))
    deep = {
        "braces": "SELECT * WHERE " + "{" * 40_000 + "}" * 40_000,
        "parens": "SELECT * WHERE { FILTER(" + "(" * 40_000 + "1" + ")" * 40_000 + ") }",
        "optionals": "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o } " * 3_000 + "}",
        "concat": "SELECT * WHERE { BIND(" + "CONCAT(" * 10_000 + "'a'" + ")" * 10_000 + " AS ?x) }",
        "unions": "SELECT * WHERE { " + " UNION ".join(["{}"] * 10_000) + " }",
        "paths": "SELECT * WHERE { ?s " + "/".join(["<p:p>"] * 2_000) + " ?o }",
        "variables": "SELECT * WHERE { " + " ".join(f"?s <p:{i}> ?o{i} ." for i in range(400)) + " }",
        "cartesian": CARTESIAN,
    }
    for label, text in deep.items():
        reqs.append(
            (
                label,
                {
                    "path": "/sparql",
                    "method": "POST",
                    "body": text.encode(),
                    "headers": {"Content-Type": "application/sparql-query"},
                },
            )
        )
    too_long = "SELECT * WHERE { " + "?s ?p ?o . " * 20_000 + "}"
    reqs += [
        (
            "too long",
            {
                "path": "/sparql",
                "method": "POST",
                "body": too_long.encode(),
                "headers": {"Content-Type": "application/sparql-query"},
            },
        ),
        (
            "body too big",
            {
                "path": "/sparql",
                "method": "POST",
                "body": b"x",
                "headers": {"Content-Type": "application/sparql-query", "Content-Length": "50000000"},
            },
        ),
        (
            "bad length",
            {
                "path": "/sparql",
                "method": "POST",
                "body": b"",
                "headers": {"Content-Type": "application/sparql-query", "Content-Length": "-4"},
            },
        ),
        ("not utf-8", {"path": "/sparql?query=%ff%fe", "method": "GET"}),
        ("service", {"path": q("SELECT * WHERE { SERVICE <http://169.254.169.254/latest> { ?s ?p ?o } }")}),
        (
            "load",
            {
                "path": "/sparql",
                "method": "POST",
                "body": b"update=LOAD%20%3Chttp%3A%2F%2Fexample.org%2F%3E",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
        ),
        (
            "update",
            {
                "path": "/update",
                "method": "POST",
                "body": b"DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("method", {"path": "/sparql", "method": "DELETE"}),
        ("media type", {"path": "/sparql", "method": "POST", "body": b"ASK {}", "headers": {"Content-Type": "text/x"}}),
        ("many params", {"path": "/sparql?" + "&".join(f"p{i}=1" for i in range(500))}),
        ("huge rows", {"path": q("SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }")}),
        ("view depth", {"path": "/view?depth=-1"}),
        ("view focus", {"path": "/view?focus=" + urllib.parse.quote(PWN)}),
    ]
    for path in (
        "/view/../../etc/passwd",
        "/view/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fserver.py",
        "/static/../../graph/server/app.py",
        "//etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/query_page.js%00.html",
        "/static/query_page.js/../../../etc/passwd",
        "/view/..\\..\\etc\\passwd",
        "/resources/view.js",
        "/.dealgraph/LOCK",
        "/dealgraph.lock",
    ):
        reqs.append(("traversal", {"path": path}))
    rng.shuffle(reqs)
    return reqs


@pytest.mark.server
def test_a_storm_of_malformed_and_huge_queries(server):
    from concurrent.futures import ThreadPoolExecutor

    pid = server.proc.pid
    reqs = _storm(random.Random(5))

    def send(item):
        label, kw = item
        status, body = _get(server, kw.pop("path"), **kw)
        return label, status, body

    t0 = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, reqs))
    seconds = time.monotonic() - t0
    by_status: dict[int, int] = {}
    for label, status, body in answers:
        by_status[status] = by_status.get(status, 0) + 1
        assert status != 500 and status < 600, (label, status, body[:200])
        assert b"Traceback" not in body and b'File "' not in body, (label, body[:300])
        if label == "traversal":
            assert status == 404 and b"root:" not in body and b"import" not in body, (label, status)
        if label in ("service", "load"):
            assert status == 403
        if label in ("too long", "body too big"):
            assert status == 413
        if label == "update":
            assert status == 403
        if status >= 400:
            assert len(body.strip()) > 5, (label, status)  # a message, not an empty answer
    assert server.alive() and server.proc.pid == pid, "the server restarted or died"
    assert _get(server, q(NORMAL))[0] == 200
    print(
        f"\nstorm: {len(reqs)} malformed/huge requests in {seconds:.1f} s, answers {dict(sorted(by_status.items()))}, "
        "server restarts: 0"
    )


def _seccomp(status_file: Path) -> tuple[int, int]:
    """(Seccomp mode, number of filters) of a process or thread, from its /proc status."""
    fields = dict(line.split(":", 1) for line in status_file.read_text().splitlines() if ":" in line)
    return int(fields["Seccomp"]), int(fields.get("Seccomp_filters", "0"))


@pytest.mark.server
def test_query_workers_run_under_the_network_filter(server):
    """Every thread of every query worker process is under a seccomp filter; the server itself is not."""
    assert _get(server, q("ASK {}"))[0] == 200
    workers = _children(server.proc.pid)
    assert len(workers) == WORKERS
    for pid in workers:
        for task in Path(f"/proc/{pid}/task").iterdir():
            mode, filters = _seccomp(task / "status")
            assert mode == 2 and filters >= 1, (pid, task.name)
    assert _seccomp(Path(f"/proc/{server.proc.pid}/status"))[0] == 0  # it accepts connections: not filtered


def test_memory_store_query_threads_run_under_the_network_filter(memory_store):
    """create_app on a memory store: its query threads are filtered; the thread that called it is not."""
    import threading

    app = create_app(memory_store, workers=2)
    try:
        assert request(app, q("ASK {}")).status == 200
        ids = [t.native_id for t in threading.enumerate() if t.name.startswith("dealgraph-query")]
        assert len(ids) >= 2
        for tid in ids:
            assert _seccomp(Path(f"/proc/self/task/{tid}/status"))[0] == 2, tid
        assert _seccomp(Path(f"/proc/self/task/{threading.get_native_id()}/status"))[0] == 0
    finally:
        app.close()


def test_deep_queries_do_not_crash_a_thread_server(memory_store):
    """On a memory store queries run on threads: their stacks fit any query of the length cap."""
    app = create_app(memory_store, timeout=3, max_query_chars=50_000)
    try:
        for text in (
            "SELECT * WHERE " + "{" * 24_000 + "}" * 24_000,
            "SELECT * WHERE { FILTER(" + "(" * 24_000 + "1" + ")" * 24_000 + ") }",
            "SELECT * WHERE { FILTER(" + "!" * 49_000 + "true) }",
            "SELECT * WHERE { BIND(" + "CONCAT(" * 6_000 + "'a'" + ")" * 6_000 + " AS ?x) }",
        ):
            r = request(
                app, "/sparql", method="POST", body=text.encode(), headers={"Content-Type": "application/sparql-query"}
            )
            assert r.status in (200, 400, 503), r.text
        assert request(app, q("ASK {}")).status == 200
    finally:
        app.close()


def test_worker_memory_limit(store_dir):
    """A query that needs more memory than allowed kills its worker only: 503, then the next query works."""
    with open_store(store_dir, read_only=True) as st:
        app = create_app(st, timeout=30, max_memory_mb=200, workers=1)
        try:
            t0 = time.monotonic()
            r = request(app, q(CARTESIAN))
            assert r.status == 503 and ("memory" in r.text or "longer" in r.text), r.text
            assert time.monotonic() - t0 < 30
            r = request(app, q(NORMAL))
            assert r.status == 200 and "Jack Ma" in r.text
        finally:
            app.close()


def test_updates_through_an_isolated_server_are_seen_whole(tmp_path, built_store):
    """With --allow-update the workers read checkpoints: an update is visible, whole, once answered."""
    d = tmp_path / "store"
    st = open_store(d)
    st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    app = create_app(st, allow_update=True, token="t", workers=2)
    try:
        auth = {"Content-Type": "application/sparql-update", "Authorization": "Bearer t"}
        for i in range(5):
            body = f"INSERT DATA {{ GRAPH <urn:g{i}> {{ <urn:a{i}> rdfs:label 'A{i}' . <urn:a{i}> rdfs:comment 'C{i}' }} }}"
            assert request(app, "/update", method="POST", body=body.encode(), headers=auth).status == 204
            r = request(app, q(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <urn:g{i}> {{ ?s ?p ?o }} }}", format="csv"))
            assert r.text.split()[1] == "2", r.text
        snapshots = [p for p in d.parent.iterdir() if p.name.startswith(".dealgraph-serve-")]
        assert len(snapshots) == 1 and len(list(snapshots[0].iterdir())) <= 3  # old checkpoints are deleted
    finally:
        app.close()
        st.close()
    assert not [p for p in d.parent.iterdir() if p.name.startswith(".dealgraph-serve-")]


# ------------------------------------------------------------------ hostile text in the view

needs_chromium = pytest.mark.skipif(bool(browser.missing()), reason=browser.missing() or "ok")

HOSTILE_UPDATE = f"""
DELETE {{ GRAPH ?g {{ ?e rdfs:label ?l }} }} INSERT {{ GRAPH ?g {{ ?e rdfs:label ?x }} }}
WHERE {{ GRAPH ?g {{ ?e rdfs:label ?l }} FILTER(?l IN ("Jack Ma", "Apple", "Alibaba Group"))
        BIND(CONCAT(?l, {json.dumps(PWN)}) AS ?x) }} ;
DELETE {{ GRAPH ?g {{ ?f dg:evidence ?v }} }} INSERT {{ GRAPH ?g {{ ?f dg:evidence ?x }} }}
WHERE {{ GRAPH ?g {{ ?f dg:evidence ?v }} BIND(CONCAT({json.dumps(PWN)}, ?v) AS ?x) }} ;
DELETE {{ GRAPH ?g {{ ?a schema:headline ?t }} }} INSERT {{ GRAPH ?g {{ ?a schema:headline ?x }} }}
WHERE {{ GRAPH ?g {{ ?a schema:headline ?t }} BIND(CONCAT("</script>", {json.dumps(PWN)}, ?t) AS ?x) }} ;
DELETE {{ GRAPH ?g {{ ?a schema:url ?u }} }} INSERT {{ GRAPH ?g {{ ?a schema:url ?x }} }}
WHERE {{ GRAPH ?g {{ ?a schema:url ?u }} BIND(IF(isIRI(?u), IRI({json.dumps(JS_URL.replace("'", "%27").replace(";", "%3B"))}),
        {json.dumps(JS_URL)}) AS ?x) }}
"""


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, built_store):
    d = tmp_path_factory.mktemp("hostile") / "store"
    with open_store(d) as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
        st.update(HOSTILE_UPDATE)
        labels = {r["l"].value for r in st.query("SELECT ?l WHERE { ?e rdfs:label ?l }")}
        assert any(PWN in label for label in labels)
    return d


@pytest.fixture(scope="module")
def chromium():
    if browser.missing():
        pytest.skip(browser.missing())
    with browser.launch() as b:
        yield b


def _check_page(page, frame, seen):
    """Use the page like a reader would, then check that nothing ran and the text shows as text."""
    frame.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    frame.fill("#dg-search", "jack")
    frame.press("#dg-search", "Enter")
    details = frame.inner_text("#dg-details")
    assert "<img src=x onerror=" in details, details[:500]
    frame.evaluate("dgNetwork.body.emitter.emit('click', {nodes: [], edges: ['e0']})")
    frame.hover("#dg-network")
    page.wait_for_timeout(300)
    assert PWN.split("<script>")[0] in frame.inner_text("#dg-details") or "onerror" in frame.inner_text("#dg-details")
    assert frame.evaluate("window.__pwned") is None
    assert frame.evaluate("document.querySelectorAll('img, iframe, object, embed, a[href], [onerror]').length") == 0
    assert (
        frame.evaluate(
            "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
            ".some(a => /^javascript:/i.test(a.value.trim()))).length"
        )
        == 0
    )
    assert seen.dialogs == [], seen.dialogs


@pytest.mark.browser
@pytest.mark.server
@needs_chromium
def test_served_view_with_hostile_text_runs_nothing(chromium, hostile_store):
    with DealgraphServer(hostile_store, "--timeout", "30") as server:
        context = chromium.new_context(service_workers="block")
        page = context.new_page()
        seen = browser.Visit(page)
        local = (server.base + "/", *browser.LOCAL)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())
        page.on("request", lambda r: None if r.url.startswith(local) else seen.external.append(r.url))
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        try:
            resp = page.goto(server.base + "/view")
            assert resp.status == 200
            assert "default-src 'none'" in (resp.headers.get("content-security-policy", "") + page.content())
            _check_page(page, page, seen)
            assert seen.errors == [] and seen.external == []
        finally:
            context.close()


@pytest.mark.browser
@needs_chromium
def test_html_file_and_notebook_frame_with_hostile_text_run_nothing(chromium, hostile_store, tmp_path):
    with open_store(hostile_store, read_only=True) as st:
        G = to_networkx(st)
    page_file = view.write_html(G, tmp_path / "hostile.html")
    with browser.visit(chromium, page_file) as seen:
        _check_page(seen.page, seen.page, seen)
        assert seen.errors == [] and seen.external == []
    pytest.importorskip("IPython")
    cell = view.notebook_html(G, height="500px").data
    nb = tmp_path / "notebook.html"
    nb.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{cell}</body></html>", "utf-8")
    with browser.visit(chromium, nb) as seen:
        page = seen.page
        page.wait_for_selector("iframe")
        frame = next(f for f in page.frames if f != page.main_frame)
        _check_page(page, frame, seen)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img, script, a[href]').length") == 0
        assert seen.external == []
