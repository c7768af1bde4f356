"""Past roles (issue 20, item 3) and the rule-level misses the issue lists, end to end:
the fact JSON (``former``, ``end``), RDF (``dg:former``, ``dg:endDate``, no shortcut), the
saved questions and the network projection. The sentences are the tests' own, with
invented names."""

from __future__ import annotations

import importlib.util
import json

import pytest

from graph.extract import MODEL_NAMES

pytestmark = pytest.mark.skipif(
    not any(importlib.util.find_spec(n) for n in MODEL_NAMES), reason="no English spaCy model installed"
)

ARTICLE = """Velotex brings back its founder

By Nora Quist
Harbor Wire, March 4, 2021

Anna Berg returned as chief executive of Velotex on Monday, replacing Tom Hale.
Quarkly's board is chaired by Nina Ross, who succeeded Paul Otto as chairman in 2016.
Lena Fox was chief executive of Quarkly until 2019.
Omar Diaz, who backed the startup early, left Initech's board in 2017.
Brightway Corp. named Carl Jung as its new chairman and chief executive.
"""


def _facts(body: str, published: str = "March 4, 2021") -> list:
    from graph.extract import extract
    from graph.sources import parse_text

    return extract(parse_text(f"Headline\n\nBy A. Writer\nTest Wire, {published}\n\n{body}", "t.txt"))


def _current(body: str) -> set[tuple[str, str, str]]:
    return {(f.subject, f.relation, f.object) for f in _facts(body) if not f.former}


def _past(body: str) -> set[tuple[str, str, str, str | None]]:
    return {(f.subject, f.relation, f.object, f.end) for f in _facts(body) if f.former}


# ------------------------------------------------------------------ the rules


def test_returns_and_replacements_make_the_predecessor_a_former_holder():
    body = (
        "Anna Berg returned as chief executive of Velotex on Monday, replacing Tom Hale. "
        "Quarkly's board is chaired by Nina Ross, who succeeded Paul Otto as chairman in 2016."
    )
    assert {("Anna Berg", "ceo_of", "Velotex"), ("Nina Ross", "chair_of", "Quarkly")} <= _current(body)
    past = _past(body)
    assert ("Tom Hale", "ceo_of", "Velotex", None) in past
    assert ("Paul Otto", "chair_of", "Quarkly", "2016") in past
    assert not any(s in ("Tom Hale", "Paul Otto") for s, _, _ in _current(body))


def test_past_roles_with_their_end():
    body = (
        "Lena Fox was chief executive of Quarkly until 2019. "
        "Omar Diaz, who backed the startup early, left Initech's board in 2017. "
        "Maria Lopez stepped down as chief executive of Zentrix in March 2012. "
        "Dora Sand headed Initech from 1990 to 2001."
    )
    assert {
        ("Lena Fox", "ceo_of", "Quarkly", "2019"),
        ("Omar Diaz", "board_member_of", "Initech", "2017"),
        ("Maria Lopez", "ceo_of", "Zentrix", "2012-03"),
        ("Dora Sand", "ceo_of", "Initech", "2001"),
    } <= _past(body)
    assert _current(body) == set()


def test_past_jobs_and_former_premodifiers():
    body = (
        "Before joining Quarkly in 2015, Lena Fox worked at Initech. "
        "Ravi Shah, an engineer at Zentrix and a former Initech researcher, spoke."
    )
    current, past = _current(body), {(s, r, o) for s, r, o, _ in _past(body)}
    assert ("Lena Fox", "works_for", "Quarkly") in current
    assert {("Lena Fox", "works_for", "Initech"), ("Ravi Shah", "works_for", "Initech")} <= past
    assert ("Ravi Shah", "works_for", "Zentrix") in current


def test_compound_titles_since_and_appositions():
    body = (
        "Brightway Corp. named Carl Jung as its new chairman and chief executive. "
        "Rob Kane has been CEO of Zentrix since 2018. "
        "Tim Vance, the chief executive of Hollis Brewing, said the results were good. "
        "Pat Gelsey, the chairman of Tillman, said so."
    )  # the model tags "Tillman" a person
    assert {
        ("Carl Jung", "ceo_of", "Brightway"),
        ("Carl Jung", "chair_of", "Brightway"),
        ("Rob Kane", "ceo_of", "Zentrix"),
        ("Tim Vance", "ceo_of", "Hollis Brewing"),
        ("Pat Gelsey", "chair_of", "Tillman"),
    } <= _current(body)


def test_a_current_statement_wins_over_a_past_one_in_one_article():
    facts = _facts("Lena Fox is chief executive of Quarkly. Lena Fox was chief executive of Quarkly in 2012.")
    ceo = [f for f in facts if f.relation == "ceo_of" and f.subject == "Lena Fox"]
    assert len(ceo) == 1 and not ceo[0].former


def test_coordinated_clause_is_not_an_apposition():
    got = _current("The brand Zentrix was bought by Initech, and now run by Omnicorp, a subsidiary of Hooli Group.")
    assert ("Omnicorp", "subsidiary_of", "Hooli Group") in got
    assert ("Initech", "subsidiary_of", "Hooli Group") not in got


def test_a_nickname_does_not_cut_the_name():
    got = _current(
        'Zentrix chairman Thomas "Tommy" Brandt agreed. William “Bill” Hartley, the chief executive of '
        "Quarkly, said so."
    )
    assert ("Thomas Brandt", "chair_of", "Zentrix") in got
    assert ("William Hartley", "ceo_of", "Quarkly") in got


def test_encyclopedic_phrasings():
    got = _current(
        "Zentrix has owned Quarkly since 2012. "
        "Norsk Motors is best known for its trucks such as the Titan and the Ranger."
    )
    assert ("Quarkly", "subsidiary_of", "Zentrix") in got
    assert {("Norsk Motors", "offers", "Titan"), ("Norsk Motors", "offers", "Ranger")} <= got


# ------------------------------------------------------------------ JSON, RDF, questions, network


def test_extract_json_marks_past_roles(tmp_path):
    from typer.testing import CliRunner

    from graph.cli import app

    path = tmp_path / "velotex.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert all(isinstance(r["former"], bool) and "end" in r for r in rows)
    by = {(r["subject"], r["relation"], r["object"]): r for r in rows}
    assert by[("Paul Otto", "chair_of", "Quarkly")]["former"] is True
    assert by[("Paul Otto", "chair_of", "Quarkly")]["end"] == "2016"
    assert by[("Anna Berg", "ceo_of", "Velotex")]["former"] is False


@pytest.fixture(scope="module")
def velotex_store(tmp_path_factory):
    from graph.pipeline import build
    from graph.store import open_store

    folder = tmp_path_factory.mktemp("articles")
    (folder / "velotex.txt").write_text(ARTICLE, encoding="utf-8")
    store = open_store("memory")
    build([folder], store)
    return store


def _rows(store, name: str, **params) -> list[dict]:
    from graph.query import run, saved_queries

    result = run(store, saved_queries()[name].sparql, substitutions=params)
    return [dict(zip(result.vars, row)) for row in result.rows]


def test_rdf_past_role_has_no_shortcut_and_validates(velotex_store):
    from graph.extract import extract
    from graph.rdf import Resolver, article_graph, to_dataset
    from graph.sources import parse_text
    from graph.validate import validate

    assert run_ask(velotex_store, "ASK { ?p rdfs:label 'Anna Berg' . ?o rdfs:label 'Velotex' . ?p dg:ceoOf ?o }")
    assert not run_ask(velotex_store, "ASK { ?p rdfs:label 'Tom Hale' . ?p dg:ceoOf ?o }")
    q = (
        "SELECT ?end WHERE { ?f rdf:subject ?p ; rdf:predicate dg:chairOf ; dg:former true . "
        "?p rdfs:label 'Paul Otto' . OPTIONAL { ?f dg:endDate ?end } }"
    )
    from graph.query import run

    assert [str(row[0]) for row in run(velotex_store, q).rows] == ["2016"]
    article = parse_text(ARTICLE, "velotex.txt")
    report = validate(to_dataset([article_graph(article, extract(article), Resolver())]))
    assert report.conforms, report.violations


def run_ask(store, sparql: str) -> bool:
    from graph.query import run

    return bool(run(store, sparql).boolean)


def test_current_questions_leave_past_roles_out_and_history_marks_them(velotex_store):
    ceo_of = {(r["ceo"], r["org"]) for r in _rows(velotex_store, "ceo-of", company="Velotex")}
    assert ceo_of == {("Anna Berg", "Velotex")}
    history = {r["ceo"]: r for r in _rows(velotex_store, "ceo-history", company="Velotex")}
    assert set(history) == {"Anna Berg", "Tom Hale"}
    assert history["Tom Hale"]["former"] is True and history["Anna Berg"]["former"] is False
    people = {(r["person"], r["role"]) for r in _rows(velotex_store, "people-of", company="Quarkly")}
    assert ("Nina Ross", "chair") in people and not any(p in ("Paul Otto", "Lena Fox") for p, _ in people)
    roles = {(r["role"], r["org"]) for r in _rows(velotex_store, "roles-of", person="Paul Otto")}
    assert roles == {("former chair", "Quarkly")}


def test_network_projection_is_the_current_state(velotex_store):
    from graph.network import find_entity, to_networkx

    G = to_networkx(velotex_store)
    hale = find_entity(G, "Tom Hale")
    assert hale is None or G.degree(hale) == 0
    wide = to_networkx(velotex_store, include_former=True)
    hale = find_entity(wide, "Tom Hale")
    edges = [d for _, _, d in wide.out_edges(hale, data=True)]
    assert [(d["relation"], d.get("former"), d["label"]) for d in edges] == [("ceo_of", True, "former CEO of")]
