"""CLI output and input, as a user runs them: eval --errors, tables, TSV, facts-of-article, CSV input,
the progress bar, --version and import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "data" / "gold" / "01_alibaba_apple_payments.jsonl"
runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


# ------------------------------------------------------------------ eval --errors


def test_eval_errors_with_gold_without_evidence(tmp_path):
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    for g in gold:
        g.pop("evidence", None)
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold))
    pred = [dict(g) for g in gold[1:]]  # the first gold fact is missed
    pred.append({"article": gold[0]["article"], "subject": "Jack Ma", "relation": "founder_of", "object": "Apple"})
    (tmp_path / "pred.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pred))
    r = invoke("eval", tmp_path / "gold.jsonl", "--pred", tmp_path / "pred.jsonl", "--errors")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert (
        f"missed 01_alibaba_apple_payments.txt: {gold[0]['subject']} -{gold[0]['relation']}-> {gold[0]['object']}"
        in lines
    )
    assert "wrong  01_alibaba_apple_payments.txt: Jack Ma -founder_of-> Apple" in lines


def test_eval_names_a_gold_line_without_article(tmp_path):
    good = GOLD.read_text("utf-8").splitlines()[0]
    (tmp_path / "gold.jsonl").write_text(
        good + "\n" + json.dumps({"subject": "A", "relation": "ceo_of", "object": "B"}) + "\n"
    )
    r = invoke("eval", tmp_path / "gold.jsonl", "--pred", tmp_path / "gold.jsonl")
    assert r.exit_code == 1
    assert f"{tmp_path / 'gold.jsonl'}:2: a fact needs a non-empty 'article'" in r.stderr
    assert "Traceback" not in r.output


# ------------------------------------------------------------------ tables and TSV

DEAL = (
    "SELECT ?deal ?value ?date WHERE { VALUES (?deal ?value ?date) { "
    '("Walt Disney Company and 21st Century Fox: acquisition of the film and TV businesses" 71300000000 "2019-03-20") } }'
)


@pytest.mark.parametrize("columns", ["36", "60", "140"])
def test_table_never_splits_numbers_or_dates(columns):
    r = invoke("query", DEAL, "--store", "memory", env={"COLUMNS": columns})
    assert r.exit_code == 0, r.output
    assert "71300000000" in r.stdout and "2019-03-20" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= int(columns)


def test_tsv_escapes_tabs_newlines_and_backslashes():
    query = 'SELECT ?a ?b WHERE { VALUES (?a ?b) { ("one\\ttwo\\nthree" "C:\\\\dir\\\\x") } }'
    r = invoke("query", query, "--store", "memory", "--format", "tsv")
    assert r.exit_code == 0, r.output
    assert r.stdout == "a\tb\none\\ttwo\\nthree\tC:\\\\dir\\\\x\n"
    unescape = {"\\t": "\t", "\\n": "\n", "\\\\": "\\"}
    import re

    row = [re.sub(r"\\[tn\\]", lambda m: unescape[m[0]], f) for f in r.stdout.splitlines()[1].split("\t")]
    assert row == ["one\ttwo\nthree", "C:\\dir\\x"]


def test_facts_of_article_names_the_article(store_dir):
    r = invoke(
        "query", "--name", "facts-of-article", "--param", "article=microsoft", "--store", store_dir, "--format", "json"
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["head"]["vars"][0] == "article_title"
    titles = [b["article_title"]["value"] for b in data["results"]["bindings"]]
    assert len(set(titles)) == 2  # the LinkedIn and the OpenAI articles
    assert titles == sorted(titles)  # one block per article
    by_title = {}
    for b in data["results"]["bindings"]:
        by_title.setdefault(b["article_title"]["value"], set()).add(b["object"]["value"])
    assert any("LinkedIn" in objs for t, objs in by_title.items() if "LinkedIn" in t)
    assert not any("LinkedIn" in objs for t, objs in by_title.items() if "OpenAI" in t)


# ------------------------------------------------------------------ CSV input

CSV_TEXT = (
    "Title,URL,DATE,Text,lang\r\n"
    'Disney buys Fox,https://news.example/1,2019-03-20,"The Walt Disney Company completed its acquisition of '
    '21st Century Fox on Wednesday.\r\n\r\nBob Iger, chief executive of Disney, said so.",en\r\n'
    "Cut short,https://news.example/2,2019-03-21\r\n"
    'Microsoft buys LinkedIn,https://news.example/3,2016-06-13,"Microsoft said it had agreed to buy LinkedIn, '
    'the professional network, for $26.2 billion.",en\r\n'
)


def test_csv_input_is_read_like_json_lines(tmp_path):
    (tmp_path / "news.csv").write_text(CSV_TEXT, "utf-8")
    r = invoke("read", tmp_path / "news.csv")
    assert r.exit_code == 0, r.output
    articles = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(a["title"], a["url"], a["published"]) for a in articles] == [
        ("Disney buys Fox", "https://news.example/1", "2019-03-20"),
        ("Microsoft buys LinkedIn", "https://news.example/3", "2016-06-13"),
    ]
    assert "Bob Iger" in articles[0]["text"] and "\n" in articles[0]["text"]
    assert f"{tmp_path / 'news.csv'}:5: the row has 3 fields, the header 5" in r.stderr


def test_csv_input_errors_name_file_and_line(tmp_path):
    (tmp_path / "no-text.csv").write_text("title,url\nA,https://a.example\n", "utf-8")
    (tmp_path / "open-quote.csv").write_text('title,text\nA,"Acme bought\nB,Widget.\n', "utf-8")
    r = invoke("read", tmp_path / "no-text.csv", tmp_path / "open-quote.csv")
    assert r.exit_code == 1
    assert f"{tmp_path / 'no-text.csv'}:1: no 'text' column in the header (found: title, url)" in r.stderr
    assert f"{tmp_path / 'open-quote.csv'}:2: malformed CSV" in r.stderr
    assert "Traceback" not in r.output


def test_csv_articles_build_into_the_store(tmp_path):
    (tmp_path / "news.csv").write_text(CSV_TEXT, "utf-8")
    r = invoke("build", tmp_path / "news.csv", "--store", tmp_path / "store", "--no-validate", "-q")
    assert "2 articles (2 added" in r.stderr
    r = invoke("query", "--name", "acquisitions", "--store", tmp_path / "store", "--format", "csv")
    assert "LinkedIn" in r.stdout


def test_progress_bar_counts_articles_not_files(tmp_path):
    lines = [json.dumps({"title": f"T{i}", "text": f"Acme{i} bought Widget{i} on Monday."}) for i in range(6)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TTY_COMPATIBLE": "1", "COLUMNS": "120"}
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph.cli",
            "build",
            str(tmp_path / "many.jsonl"),
            "--store",
            "memory",
            "--no-validate",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert "/6" in p.stderr and "/1 " not in p.stderr


# ------------------------------------------------------------------ --version, import


def test_version():
    from graph import __version__

    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout == f"dealgraph {__version__}\n"


def test_import_loads_a_named_graph_and_refuses_a_bad_file(tmp_path, store_dir):
    store = tmp_path / "store"
    import shutil

    shutil.copytree(store_dir, store)
    before = invoke("export", "--format", "nq", "--store", store).stdout
    (tmp_path / "partners.ttl").write_text(
        '@prefix schema: <https://schema.org/> .\n<https://e.example/acme> schema:name "Acme" ;\n  schema:partner <https://e.example/widget> .\n'
    )
    (tmp_path / "partners.jsonld").write_text(
        json.dumps({"@id": "https://e.example/widget", "https://schema.org/name": "Widget Corp"})
    )
    (tmp_path / "broken.trig").write_text('<https://e.example/a> <https://e.example/p> "unclosed .\n')
    r = invoke("import", tmp_path / "broken.trig", "--store", store)
    assert r.exit_code == 1 and "broken.trig" in r.stderr and "line 1" in r.stderr and "Traceback" not in r.output
    assert invoke("export", "--format", "nq", "--store", store).stdout == before  # untouched
    for _ in range(2):  # a second load replaces, never adds twice
        r = invoke("import", tmp_path / "partners.ttl", "--store", store)
        assert r.exit_code == 0 and "loaded 2 triples" in r.stderr, r.output
    r = invoke("import", tmp_path / "partners.jsonld", "--store", store, "--graph", "https://e.example/g/widget")
    assert r.exit_code == 0, r.output
    q = "SELECT ?g ?name WHERE { GRAPH ?g { ?x <https://schema.org/name> ?name } } ORDER BY ?name"
    rows = invoke("query", q, "--store", store, "--format", "csv").stdout.splitlines()
    assert rows == [
        "g,name",
        "https://w3id.org/dealgraph/id/graph/import/partners,Acme",
        "https://e.example/g/widget,Widget Corp",
    ]
    union = invoke("query", "SELECT ?n WHERE { ?x <https://schema.org/name> ?n }", "--store", store, "--format", "csv")
    assert sorted(union.stdout.splitlines()[1:]) == ["Acme", "Widget Corp"]  # the default graph is the union
