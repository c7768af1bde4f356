"""The dealgraph command line, driven the way a user runs it (typer's CliRunner)."""

import json

import pytest
from typer.testing import CliRunner

from graph.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from tests.conftest import ARTICLES

    d = tmp_path_factory.mktemp("cli") / "store"
    r = invoke("build", ARTICLES, "--store", d, "-q")
    assert r.exit_code == 0, r.output
    return d


@pytest.mark.parametrize(
    "command", ["extract", "build", "query", "export", "view", "info", "validate", "eval", "serve", "analyze"]
)
def test_every_command_has_help(command):
    r = invoke(command, "--help")
    assert r.exit_code == 0, r.output
    assert "Usage" in r.output


def test_extract_seed_finds_the_design_facts(seed_dir):
    r = invoke("extract", seed_dir)
    assert r.exit_code == 0, r.output
    facts = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    got = {(f["subject"], f["relation"], f["object"]) for f in facts}
    expected = {
        ("Jack Ma", "ceo_of", "Alibaba Group"),
        ("Tim Cook", "ceo_of", "Apple"),
        ("Eddy Cue", "executive_of", "Apple"),
        ("Apple", "launched", "Apple Pay"),
        ("Taobao.com", "subsidiary_of", "Alibaba Group"),
        ("Tianmao.com", "subsidiary_of", "Alibaba Group"),
    }
    deals = {frozenset((f["subject"], f["object"])) for f in facts if f["relation"] == "deal_with"}
    found = len(expected & got) + len(
        {frozenset(("Alibaba Group", "Apple")), frozenset(("Alibaba Group", "Lions Gate Entertainment"))} & deals
    )
    assert found >= 7, got
    wrong = len(got - expected) - len(
        deals & {frozenset(("Alibaba Group", "Apple")), frozenset(("Alibaba Group", "Lions Gate Entertainment"))}
    )
    assert wrong <= 2, got
    for f in facts:
        assert set(f) >= {
            "article",
            "subject",
            "subject_type",
            "relation",
            "object",
            "object_type",
            "evidence",
            "confidence",
            "date",
            "status",
            "deal_type",
            "value",
            "currency",
        }


def test_extract_writes_to_output_file(seed_dir, tmp_path):
    out = tmp_path / "facts.jsonl"
    r = invoke("extract", seed_dir, "-o", out)
    assert r.exit_code == 0 and out.read_text().count("\n") >= 7


def test_extract_bad_file_only_exits_nonzero(tmp_path):
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"\x00\x01binary")
    r = invoke("extract", bad)
    assert r.exit_code == 1
    assert "bin.txt" in r.output and "binary" in r.output


def test_build_reports_and_skips_bad_files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "ok.txt").write_text(
        "Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn for $26.2 billion.\n"
    )
    (d / "latin.txt").write_bytes("Caf\xe9\n\nN\xe9stle".encode("latin-1"))
    (d / "feed.jsonl").write_text('{"text": "Acme bought Widget Inc. last year."}\n{broken\n')
    r = invoke("build", d, "--store", tmp_path / "s", "-q")
    assert r.exit_code == 0, r.output
    assert "latin.txt" in r.output and "UTF-8" in r.output
    assert "feed.jsonl:2" in r.output
    assert "2 articles" in r.output


def test_build_with_nothing_readable_fails_and_keeps_store(store_dir, tmp_path):
    before = invoke(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", store_dir, "--format", "csv"
    ).stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = invoke("build", empty, "--store", store_dir)
    assert r.exit_code == 1 and "empty.txt" in r.output
    after = invoke(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", store_dir, "--format", "csv"
    ).stdout
    assert before == after


def test_query_who_is_ceo_of_alibaba_with_source(store_dir):
    q = """SELECT ?ceo ?evidence ?headline WHERE {
      ?f rdf:subject ?p ; rdf:predicate dg:ceoOf ; rdf:object ?o ; dg:evidence ?evidence ; dg:statedIn ?a .
      ?p rdfs:label ?ceo . ?o rdfs:label "Alibaba Group" . ?a schema:headline ?headline }"""
    r = invoke("query", q, "--store", store_dir, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["results"]["bindings"]
    assert any(b["ceo"]["value"] == "Jack Ma" and "Alibaba" in b["evidence"]["value"] for b in rows)


def test_query_deals_of_alibaba_saved_question(store_dir):
    r = invoke("query", "--name", "deals-of", "--param", "company=Alibaba", "--store", store_dir, "--format", "csv")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("kind,party,other,date,status")
    assert any("Apple" in row and "2014-10-27" in row and "proposed" in row for row in lines)
    assert any("Lions Gate Entertainment" in row and "2014-07" in row for row in lines)


@pytest.mark.parametrize("fmt,marker", [("csv", ","), ("tsv", "\t"), ("table", "ceo")])
def test_query_formats(store_dir, fmt, marker):
    r = invoke("query", "--name", "ceo-of", "--store", store_dir, "--format", fmt)
    assert r.exit_code == 0, r.output
    assert marker in r.stdout


def test_query_construct_prints_turtle(store_dir):
    r = invoke("query", "CONSTRUCT { ?p dg:ceoOf ?o } WHERE { ?p dg:ceoOf ?o }", "--store", store_dir)
    assert r.exit_code == 0 and "dg:ceoOf" in r.stdout and "@prefix" in r.stdout


def test_query_from_file_and_list(store_dir, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?x a dg:Person }")
    r = invoke("query", "-f", f, "--store", store_dir)
    assert r.exit_code == 0 and r.stdout.strip() == "true"
    listing = invoke("query", "--list")
    assert "deals-of" in listing.stdout and "ceo-of" in listing.stdout


def test_broken_query_is_a_clear_error(store_dir):
    r = invoke("query", "SELECT ?x WHERE { ?x ", "--store", store_dir)
    assert r.exit_code == 1 and "syntax" in r.output.lower()
    assert "Traceback" not in r.output


def test_unknown_saved_question_lists_the_valid_ones(store_dir):
    r = invoke("query", "--name", "nope", "--store", store_dir)
    assert r.exit_code == 2 and "deals-of" in r.output


@pytest.mark.parametrize(
    "fmt,marker",
    [
        ("ttl", "@prefix"),
        ("trig", "<https://w3id.org/dealgraph/id/graph/"),
        ("nq", "<https://w3id.org/dealgraph/id/graph/"),
        ("jsonld", '"@context"'),
    ],
)
def test_export_formats(store_dir, tmp_path, fmt, marker):
    out = tmp_path / f"g.{fmt}"
    r = invoke("export", "--format", fmt, "-o", out, "--store", store_dir)
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert marker in text
    if fmt == "nq":
        import pyoxigraph as ox

        assert len(list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))) > 100


def test_view_writes_offline_html(store_dir, tmp_path):
    out = tmp_path / "v" / "graph.html"
    r = invoke("view", "-o", out, "--store", store_dir, "--focus", "Jack Ma", "--depth", "1")
    assert r.exit_code == 0, r.output
    html = out.read_text()
    import re

    assert not re.search(r"<(?:script|link|img)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", html)
    assert "Jack Ma" in html


def test_view_unknown_focus_is_an_error(store_dir, tmp_path):
    r = invoke("view", "-o", tmp_path / "x.html", "--store", store_dir, "--focus", "Nobody At All")
    assert r.exit_code == 1 and "Nobody At All" in r.output


def test_info_and_validate(store_dir):
    r = invoke("info", "--store", store_dir, "--json")
    assert r.exit_code == 0
    info = json.loads(r.stdout)
    assert info["articles"] >= 7 and info["types"]["Person"] > 5
    v = invoke("validate", "--store", store_dir)
    assert v.exit_code == 0, v.output


def test_missing_store_for_query_is_a_clear_error(tmp_path):
    r = invoke("query", "ASK {}", "--store", tmp_path / "nothing")
    assert r.exit_code == 1 and "dealgraph build" in r.output


def test_eval_scores_gold_and_min_f1(tmp_path):
    from tests.conftest import GOLD

    r = invoke("eval", GOLD, "--json")
    assert r.exit_code == 0, r.output
    scores = json.loads(r.stdout)
    assert 0 < scores["overall"]["f1"] <= 1
    r2 = invoke("eval", GOLD, "--min-f1", "1.01")
    assert r2.exit_code == 1
