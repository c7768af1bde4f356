"""The saved questions of ontology/queries, each asked of the graph built from data/articles.

Extraction keeps improving, so the answers are checked for facts the articles state
plainly, as subsets of what comes back (not whole tables).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.ns import PREFIXES
from graph.query import bind_parameters, run, saved_queries

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAVED = saved_queries()


def ask(store, name: str, **params) -> list[dict]:
    """Run saved question ``name`` (defaults for the parameters not given); rows as dicts."""
    q = SAVED[name]
    values = {**q.params, **params}
    r = run(store, q.sparql, substitutions=values or None)
    assert r.kind == "select"
    return [dict(zip(r.vars, row)) for row in r.rows]


def pairs(rows, a: str, b: str) -> set[tuple]:
    return {(r[a], r[b]) for r in rows}


@pytest.fixture(scope="module")
def contradicting_store():
    """data/articles plus tests/fixtures/contradicting_ceo.txt (a made-up second CEO of Microsoft)."""
    from graph.pipeline import build
    from graph.store import open_store
    from tests.conftest import ARTICLES

    store = open_store("memory")
    build([ARTICLES, FIXTURES / "contradicting_ceo.txt"], store)
    return store


# --- the catalogue -------------------------------------------------------------


def test_at_least_twelve_saved_questions_with_descriptions():
    assert len(SAVED) >= 12
    for name, q in SAVED.items():
        assert re.fullmatch(r"[a-z][a-z0-9-]*", name), name
        assert len(q.description) > 20, f"{name} needs a description"
        for param, default in q.params.items():
            assert default, f"{name}: parameter {param} needs a default, so --list shows an example"


def test_every_saved_question_has_a_test_here():
    tests = {n for n in dir(sys.modules[__name__]) if n.startswith("test_")}
    missing = [n for n in SAVED if not any(t.startswith(f"test_{n.replace('-', '_')}") for t in tests)]
    assert not missing, f"saved questions without a test_<name> in tests/test_queries.py: {missing}"


@pytest.mark.parametrize("name", sorted(SAVED))
def test_every_saved_question_runs_with_its_defaults(built_store, name):
    rows = ask(built_store, name)
    assert isinstance(rows, list)


@pytest.mark.parametrize("name", sorted(SAVED))
def test_parameters_are_bound_in_the_where_clause(name):
    q = SAVED[name]
    if not q.params:
        pytest.skip("no parameters")
    text = bind_parameters(q.sparql, {k: "x" for k in q.params})
    assert "VALUES (" in text
    for param in q.params:
        assert f"?{param}" in q.sparql.split("WHERE", 1)[1], f"{name} never uses ?{param}"


def test_parameters_reach_subqueries(memory_store):
    # bound once, inside the subquery that uses it: a subquery sees only the variables it binds itself
    q = "SELECT ?o WHERE { { SELECT ?company ?o WHERE { ?o rdfs:label ?n FILTER(CONTAINS(LCASE(?n), LCASE(?company))) } } }"
    text = bind_parameters(q, {"company": "Apple"})
    assert text.count('VALUES (?company) { ("Apple") }') == 1
    assert text.index("VALUES") > text.index("SELECT ?company")
    memory_store.load_nquads(
        _nquads("""
        <org/apple> rdfs:label "Apple Inc." . <org/pear> rdfs:label "Pear" .
    """)
    )
    r = run(memory_store, q, substitutions={"company": "apple"})
    assert r.rows == [(f"{PREFIXES['id']}org/apple",)]


def test_query_list_shows_every_question_with_its_description():
    r = CliRunner().invoke(app, ["query", "--list"])
    assert r.exit_code == 0, r.output
    for name, q in SAVED.items():
        line = next(line for line in r.stdout.splitlines() if line.startswith(name + "\t"))
        assert q.description in line
        for param in q.params:
            assert f"--param {param}=" in line


# --- one test per question -----------------------------------------------------


def test_ceo_of(built_store):
    rows = ask(built_store, "ceo-of", company="Alibaba")
    assert {"Jack Ma", "Daniel Zhang"} <= {r["ceo"] for r in rows}
    assert all(r["org"] == "Alibaba Group" for r in rows)
    assert all(r["evidence"] for r in rows)


def test_deals_of(built_store):
    rows = ask(built_store, "deals-of", company="Alibaba")
    assert {"Apple", "Lions Gate Entertainment", "Starbucks"} <= {r["other"] for r in rows}
    assert {r["party"] for r in rows} == {"Alibaba Group"}


def test_people_of(built_store):
    rows = ask(built_store, "people-of", company="Microsoft")
    assert {("Satya Nadella", "CEO"), ("Amy Hood", "executive"), ("Bill Gates", "founder")} <= pairs(
        rows, "person", "role"
    )


def test_products_of(built_store):
    rows = ask(built_store, "products-of", company="Google")
    assert {"Pixel", "Google Home"} <= {r["product"] for r in rows}
    assert {r["org"] for r in rows} == {"Google"}
    assert {r["how"] for r in rows} == {"launched"}
    rows = ask(built_store, "products-of", company="Microsoft")
    assert ("cloud services", "offers") in {(r["product"], r["how"]) for r in rows}


def test_top_dealmakers(built_store):
    rows = ask(built_store, "top-dealmakers")
    counts = {r["company"]: r["deals"] for r in rows}
    assert counts.get("Alibaba Group", 0) >= 3  # Apple, Lions Gate, Starbucks
    assert [r["deals"] for r in rows] == sorted((r["deals"] for r in rows), reverse=True)


def test_facts_of_article(built_store):
    rows = ask(built_store, "facts-of-article", article="01_alibaba")
    triples = [(r["subject"], r["relation"], r["object"]) for r in rows]
    assert ("Jack Ma", "ceoOf", "Alibaba Group") in triples
    assert ("Apple", "launched", "Apple Pay") in triples
    assert len(rows) == len({tuple(r.values()) for r in rows}), "no duplicate rows"


def test_connection_between(built_store):
    rows = ask(built_store, "connection-between", a="Jack Ma", b="Tim Cook")
    assert {"hops": 3, "path": "Jack Ma -[ceoOf]-> Alibaba Group -[dealWith]-> Apple <-[ceoOf]- Tim Cook"} in rows
    assert [r["hops"] for r in rows] == sorted(r["hops"] for r in rows)


def test_connection_between_uses_aliases_and_finds_direct_links(built_store):
    rows = ask(built_store, "connection-between", a="alibaba", b="STARBUCKS")
    assert rows[0] == {"hops": 1, "path": "Alibaba Group <-[dealWith]- Starbucks"}
    rows = ask(built_store, "connection-between", a="Satya Nadella", b="LinkedIn")
    assert {"hops": 2, "path": "Satya Nadella -[ceoOf]-> Microsoft -[acquired]-> LinkedIn"} in rows


def test_connection_between_an_entity_and_itself_is_empty(built_store):
    assert ask(built_store, "connection-between", a="Apple", b="apple") == []


def test_deals_between_dates(built_store):
    rows = ask(built_store, "deals-between-dates", **{"from": "2016", "to": "2016"})
    deals = {r["deal"] for r in rows}
    assert "Microsoft and LinkedIn: acquisition" in deals
    assert not any("WhatsApp" in d or "21st Century Fox" in d for d in deals)
    assert all(str(r["date"]).startswith("2016") for r in rows)


def test_deals_between_dates_counts_a_month_or_year_that_overlaps(built_store):
    rows = ask(built_store, "deals-between-dates", **{"from": "2014-07-01", "to": "2014-07-31"})
    assert any("Lions Gate" in r["parties"] and r["date"] == "2014-07" for r in rows)
    rows = ask(built_store, "deals-between-dates", **{"from": "2012-05", "to": "2012-06"})
    assert any("Google" in r["parties"] and "Motorola Mobility" in r["parties"] for r in rows)
    rows = ask(built_store, "deals-between-dates", **{"from": "2014-10-01", "to": "2014-10-31"})
    starts = [str(r["date"]) for r in rows]
    assert starts == sorted(starts)
    assert any("WhatsApp" in r["parties"] for r in rows)
    assert not any(str(r["date"]).startswith(("2016", "2017", "2018", "2019")) for r in rows)


def test_largest_deals(built_store):
    rows = ask(built_store, "largest-deals", currency="usd")
    assert rows[0]["deal"] == "Walt Disney Company and 21st Century Fox: acquisition"
    assert rows[0]["value"] == 71_300_000_000
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert {"Facebook and WhatsApp: acquisition", "Amazon and Whole Foods Market: acquisition"} <= {
        r["deal"] for r in rows
    }
    assert {r["unit"] for r in rows} == {"USD"}
    assert ask(built_store, "largest-deals", currency="XTS") == []  # the ISO code reserved for tests


def test_acquisitions(built_store):
    rows = ask(built_store, "acquisitions")
    expected = {
        ("Microsoft", "LinkedIn"),
        ("Facebook", "WhatsApp"),
        ("Amazon", "Whole Foods Market"),
        ("Walt Disney Company", "21st Century Fox"),
    }
    assert expected <= pairs(rows, "acquirer", "target")


def test_acquisitions_by_status(built_store):
    rows = ask(built_store, "acquisitions", status="completed")
    assert {r["dealStatus"] for r in rows} == {"completed"}
    got = pairs(rows, "acquirer", "target")
    assert ("Amazon", "Whole Foods Market") in got and ("Facebook", "WhatsApp") in got
    assert ("Microsoft", "LinkedIn") not in got  # agreed, not completed, in June 2016


def test_investors_in(built_store):
    rows = ask(built_store, "investors-in", company="OpenAI")
    assert "Microsoft" in {r["investor"] for r in rows}
    microsoft = next(r for r in rows if r["investor"] == "Microsoft")
    assert microsoft["value"] == 1_000_000_000 and microsoft["currency"] == "USD"


def test_investors_in_reads_investment_nodes_too(memory_store):
    memory_store.load_nquads(
        _nquads("""
        <deal/i1> a dg:Deal, dg:Investment ; dg:investor <org/fund> ; dg:investee <org/startup> ;
            dg:party <org/fund>, <org/startup> ; dg:value "5000000"^^xsd:decimal ; dg:currency "EUR" .
        <org/fund> rdfs:label "Fund" . <org/startup> rdfs:label "Startup" .
    """)
    )
    rows = ask(memory_store, "investors-in", company="start")
    assert [(r["investor"], r["investee"], r["value"], r["currency"]) for r in rows] == [
        ("Fund", "Startup", 5_000_000, "EUR")
    ]


def test_subsidiaries_of(built_store):
    rows = ask(built_store, "subsidiaries-of", company="Alibaba")
    assert {"Taobao.com", "Tianmao.com"} <= {r["subsidiary"] for r in rows}
    assert {r["group"] for r in rows} == {"Alibaba Group"}


def test_subsidiaries_of_follows_units_of_units(memory_store):
    memory_store.load_nquads(
        _nquads("""
        <org/unit> dg:subsidiaryOf <org/division> . <org/division> dg:subsidiaryOf <org/group> .
        <org/unit> rdfs:label "Unit" . <org/division> rdfs:label "Division" . <org/group> rdfs:label "Group" .
    """)
    )
    rows = ask(memory_store, "subsidiaries-of", company="group")
    assert pairs(rows, "subsidiary", "parent") == {("Division", "Group"), ("Unit", "Division")}


def test_single_source_facts(built_store):
    rows = ask(built_store, "single-source-facts")
    triples = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert ("Jack Ma", "ceoOf", "Alibaba Group") in triples
    assert ("Satya Nadella", "ceoOf", "Microsoft") not in triples  # stated by two articles
    assert len(rows) == len({tuple(r.values()) for r in rows}), "no duplicate rows"
    confidences = [r["confidence"] for r in rows]
    assert confidences == sorted(confidences)


def test_corroborated_facts(built_store):
    rows = ask(built_store, "corroborated-facts")
    nadella = next(
        r for r in rows if (r["subject"], r["relation"], r["object"]) == ("Satya Nadella", "ceoOf", "Microsoft")
    )
    assert nadella["sources"] == 2
    assert "Microsoft to buy LinkedIn" in nadella["articles"] and "OpenAI" in nadella["articles"]
    assert all(r["sources"] >= 2 for r in rows)


def test_contradictions(contradicting_store):
    rows = ask(contradicting_store, "contradictions")
    row = next(r for r in rows if r["org"] == "Microsoft")
    assert (row["person1"], row["date1"], row["person2"], row["date2"]) == (
        "Satya Nadella",
        "2016-06-13",
        "Harold Venn",
        "2016-06-20",
    )
    assert row["role"] == "CEO" and row["daysApart"] == 7
    assert row["source1"] == "Microsoft to buy LinkedIn for $26.2 billion"
    assert row["source2"] == "Microsoft shares slip after LinkedIn purchase"


def test_contradictions_none_in_data_within_a_year(built_store):
    # Jack Ma (2014) and Daniel Zhang (2018) both ran Alibaba, years apart: a change, not a contradiction.
    assert not [r for r in ask(built_store, "contradictions") if r["org"] == "Alibaba Group"]
    rows = ask(built_store, "contradictions", days="2000")
    row = next(r for r in rows if r["org"] == "Alibaba Group")
    assert (row["person1"], row["person2"], row["daysApart"]) == ("Jack Ma", "Daniel Zhang", 1373)


def test_contradictions_narrow_window(contradicting_store):
    assert not [r for r in ask(contradicting_store, "contradictions", days="6") if r["org"] == "Microsoft"]


def test_ceo_history(built_store):
    rows = ask(built_store, "ceo-history", company="Alibaba")
    order = [r["ceo"] for r in rows]
    assert order.index("Jack Ma") < order.index("Daniel Zhang")
    jack = next(r for r in rows if r["ceo"] == "Jack Ma")
    assert jack["first"] == "2014-10-29"


def test_roles_of(built_store):
    rows = ask(built_store, "roles-of", person="Satya Nadella")
    nadella = next(r for r in rows if (r["role"], r["org"]) == ("CEO", "Microsoft"))
    assert nadella["sources"] >= 2 and "chief executive" in nadella["titles"]
    rows = ask(built_store, "roles-of", person="hoffman")
    assert {("founder", "LinkedIn"), ("chair", "LinkedIn")} <= pairs(rows, "role", "org")


def test_low_confidence_facts(built_store):
    rows = ask(built_store, "low-confidence-facts", below="0.8")
    assert rows and all(r["confidence"] < 0.8 for r in rows)
    confidences = [r["confidence"] for r in rows]
    assert confidences == sorted(confidences)
    assert ask(built_store, "low-confidence-facts", below="0") == []
    everything = ask(built_store, "low-confidence-facts", below="1.01")
    assert ("Jack Ma", "ceoOf", "Alibaba Group") in {(r["subject"], r["relation"], r["object"]) for r in everything}


def test_articles_mentioning(built_store):
    rows = ask(built_store, "articles-mentioning", entity="Alibaba")
    headlines = [r["headline"] for r in rows]
    assert "Jack Ma wants Alibaba and Apple to team up on payments" in headlines
    assert "Starbucks and Alibaba team up on coffee delivery in China" in headlines
    published = [str(r["published"]) for r in rows]
    assert published == sorted(published, reverse=True)
    assert all(r["facts"] >= 1 for r in rows if r["name"] == "Alibaba Group")


def test_entity_profile(built_store):
    rows = ask(built_store, "entity-profile", entity="Alibaba")
    got = {(r["field"], r["value"]) for r in rows}
    assert {
        ("type", "Organization"),
        ("also known as", "Alibaba"),
        ("^ceoOf", "Jack Ma"),
        ("^ceoOf", "Daniel Zhang"),
        ("^subsidiaryOf", "Taobao.com"),
    } <= got
    assert any(f == "deal" and "Apple" in v for f, v in got)
    assert {r["name"] for r in rows} == {"Alibaba Group"}


def test_ceos_of_partners(built_store):
    rows = ask(built_store, "ceos-of-partners", company="Alibaba")
    assert {("Apple", "Tim Cook"), ("Starbucks", "Kevin Johnson")} <= pairs(rows, "partner", "ceo")


# --- the command line ----------------------------------------------------------


def test_saved_question_from_the_command_line(built_store, tmp_path):
    import pyoxigraph as ox

    from graph.store import open_store

    with open_store(tmp_path / "store") as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    r = CliRunner().invoke(
        app,
        [
            "query",
            "--name",
            "connection-between",
            "-p",
            "a=Jack Ma",
            "-p",
            "b=Tim Cook",
            "--store",
            str(tmp_path / "store"),
            "--format",
            "csv",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Jack Ma -[ceoOf]-> Alibaba Group -[dealWith]-> Apple <-[ceoOf]- Tim Cook" in r.stdout


def _nquads(turtle_body: str) -> bytes:
    """A few triples in Turtle (ids relative to id:) as N-Quads in one test graph."""
    import pyoxigraph as ox

    from graph.ns import PREFIXES

    head = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items() if p != "id")
    triples = ox.parse(head + turtle_body, format=ox.RdfFormat.TURTLE, base_iri=PREFIXES["id"])
    graph = ox.NamedNode(PREFIXES["id"] + "graph/test")
    return ox.serialize(
        (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples), format=ox.RdfFormat.N_QUADS
    )
