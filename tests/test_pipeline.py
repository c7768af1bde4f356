"""graph/pipeline.py + graph/store/: building, idempotency, replacement, bad input."""

import pytest

from graph.errors import StoreError
from graph.pipeline import build
from graph.query import run
from graph.store import open_store


def _n_graphs(store):
    return len(store.named_graphs())


def test_build_is_idempotent_and_replaces_changed_articles(tmp_articles, tmp_path):
    store = open_store(tmp_path / "store")
    first = build([tmp_articles], store)
    assert first.added >= 7 and first.facts > 0 and not first.errors
    quads = store.count()
    again = build([tmp_articles], store)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, first.added)
    assert store.count() == quads
    # change one article: only its graph is replaced
    f = sorted(tmp_articles.glob("*.txt"))[1]
    f.write_text(f.read_text() + "\nAcme Corp. agreed to acquire Widget Inc. for $2 billion.\n")
    third = build([tmp_articles], store)
    assert (third.replaced, third.unchanged) == (1, first.added - 1)
    assert _n_graphs(store) == first.added
    ask = run(store, 'ASK { ?a dg:acquired ?b . ?a rdfs:label "Acme" . ?b rdfs:label "Widget" }')
    assert ask.boolean is True
    store.close()


def test_bad_files_do_not_touch_the_store(tmp_articles, tmp_path):
    store = open_store(tmp_path / "store")
    build([tmp_articles], store)
    before = sorted(map(str, store.quads()))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "bin.txt").write_bytes(b"\x00\x01\x02")
    (bad / "x.jsonl").write_text("{oops\n")
    report = build([bad], store)
    assert report.read == 0 and len(report.errors) == 3 and not report.ok
    assert sorted(map(str, store.quads())) == before
    store.close()


def test_good_files_in_a_bad_run_are_still_ingested(tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "good.txt").write_text(
        "Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn for $26.2 billion.\n"
    )
    (d / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    store = open_store("memory")
    report = build([d], store)
    assert report.added == 1 and len(report.errors) == 1 and report.ok


def test_provenance_is_reachable_by_sparql(built_store):
    r = run(
        built_store,
        """
      SELECT ?ceo ?evidence ?g WHERE { GRAPH ?g {
        ?f rdf:subject ?p ; rdf:predicate dg:ceoOf ; rdf:object ?o ; dg:evidence ?evidence ;
           dg:confidence ?c ; dg:statedIn ?a .
        ?p rdfs:label ?ceo . ?o rdfs:label "Alibaba Group" .
        ?g prov:wasDerivedFrom ?a . } }""",
    )
    assert "Jack Ma" in {row[0] for row in r.rows}
    assert all("Alibaba" in row[1] for row in r.rows)


def test_one_named_graph_per_article(built_store):
    r = run(built_store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a prov:Bundle } }")
    assert r.rows[0][0] == len(built_store.named_graphs()) >= 7


def test_entities_are_merged_across_articles(built_store):
    r = run(
        built_store,
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a dg:Organization ; rdfs:label|skos:altLabel ?l FILTER(STRSTARTS(?l, 'Alibaba')) FILTER(!CONTAINS(?l, 'Set')) }",
    )
    assert r.rows[0][0] == 1


def test_deals_are_nodes_with_details(built_store):
    r = run(
        built_store,
        """SELECT ?status ?date WHERE { ?d a dg:Deal ; dg:party ?x, ?y ; dg:status ?status ; dg:date ?date .
        ?x rdfs:label "Alibaba Group" . ?y rdfs:label "Apple" }""",
    )
    assert ("proposed", "2014-10-27") in r.rows


def test_store_in_use_gives_a_clear_error(tmp_path):
    first = open_store(tmp_path / "s")
    with pytest.raises(StoreError, match="in use"):
        open_store(tmp_path / "s")
    first.close()


def test_newer_or_foreign_store_folder_is_refused(tmp_path):
    (tmp_path / "newer").mkdir()
    (tmp_path / "newer" / "dealgraph-store.json").write_text('{"format": 99}')
    with pytest.raises(StoreError, match="newer"):
        open_store(tmp_path / "newer")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a dealgraph store"):
        open_store(tmp_path / "foreign")


def test_rdflib_view_of_the_store(built_store):
    ds = built_store.rdflib_dataset()
    assert sum(1 for _ in ds.quads()) == built_store.count()
