"""The store keeps its default graph equal to the union of the article graphs."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from graph.store import open_store
from graph.store.embedded import _graphs_written

EX = "https://example.org/"


def article(name: str, triples: list[tuple[str, str, str]]) -> Graph:
    g = Graph(identifier=URIRef(EX + "graph/" + name))
    for s, p, o in triples:
        g.add((URIRef(EX + s), URIRef(EX + p), Literal(o)))
    return g


def default_graph(store) -> set[tuple[str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store._s.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def union(store) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in store.quads()}


def test_a_triple_two_articles_state_stays_until_both_are_gone():
    s = open_store("memory")
    s.replace_graph(article("a", [("apple", "ceo", "Tim Cook"), ("apple", "label", "Apple")]))
    s.replace_graph(article("b", [("apple", "label", "Apple")]))
    assert len(list(s.query("SELECT * WHERE { ?s ?p ?o }"))) == 2  # each triple once, not once per article
    s.remove_graph(EX + "graph/a")
    assert default_graph(s) == {(EX + "apple", EX + "label", "Apple")}
    s.replace_graph(article("b", [("apple", "ceo", "Jeff Williams")]))
    assert default_graph(s) == {(EX + "apple", EX + "ceo", "Jeff Williams")}
    assert s.count() == 1


def test_updates_that_name_their_graphs_keep_the_union():
    s = open_store("memory")
    s.replace_graph(article("a", [("x", "p", "1")]))
    s.update(f'INSERT DATA {{ GRAPH <{EX}graph/b> {{ <{EX}y> <{EX}p> "2" }} }} ;')
    s.update(f'DELETE DATA {{ GRAPH <{EX}graph/a> {{ <{EX}x> <{EX}p> "1" }} }}')
    assert default_graph(s) == union(s) == {(EX + "y", EX + "p", "2")}


def test_updates_with_a_graph_variable_rebuild_the_union():
    s = open_store("memory")
    s.replace_graph(article("a", [("x", "p", "1"), ("x", "q", "keep")]))
    s.update(f"DELETE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }} WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }} ; # done")
    assert default_graph(s) == union(s) == {(EX + "x", EX + "q", "keep")}


@pytest.mark.parametrize(
    "update, expected",
    [
        (
            'DROP SILENT GRAPH <http://a/g> ; INSERT DATA { GRAPH <http://a/g> { <http://s> <http://p> "GRAPH ?x" } }',
            ["http://a/g"],
        ),
        ("WITH <http://a/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://a/g"]),
        ("# GRAPH ?g in a comment\nCLEAR GRAPH <http://a/g>", ["http://a/g"]),
        ("INSERT DATA { <http://s> <http://p> <http://o#frag> }", []),
        ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", None),
        ("PREFIX ex: <http://a/> DROP GRAPH ex:g", None),
        ("DROP ALL", None),
        ("MOVE <http://a/g> TO <http://a/h>", None),
    ],
)
def test_graphs_written(update, expected):
    assert _graphs_written(update) == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abc"), st.lists(st.sampled_from(["1", "2", "3", "4"]), max_size=3)), max_size=8)
)
def test_any_sequence_of_writes_keeps_the_union(writes):
    s = open_store("memory")
    for name, values in writes:
        if values:
            s.replace_graph(article(name, [("e", "p", v) for v in values]))
        else:
            s.remove_graph(EX + "graph/" + name)
        assert default_graph(s) == union(s)


def test_bulk_load_on_disk_in_pieces_materialises_the_union(tmp_path):
    lines = [f'<{EX}e{i % 500}> <{EX}p> "{i % 700}" <{EX}graph/{i % 300}> .\n' for i in range(20_000)]
    data = "".join(lines).encode()
    assert len(data) > 1_000_000  # big enough to be cut into pieces
    with open_store(tmp_path / "s") as s:
        s.load_nquads(data)
        assert s.count() == 10_500  # lcm(500, 700, 300) distinct quads
        assert len(default_graph(s)) == 3500  # lcm(500, 700) distinct triples
        assert default_graph(s) == union(s)
        assert (
            ox.parse(s.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS).__next__().graph_name
            != ox.DefaultGraph()
        )


def _format_1_store(path) -> None:
    """A store as dealgraph 0.1 wrote it: article graphs only, marker format 1."""
    raw = ox.Store(str(path))
    raw.bulk_load(
        f'<{EX}x> <{EX}p> "1" <{EX}graph/a> .\n<{EX}x> <{EX}p> "1" <{EX}graph/b> .\n'.encode(),
        format=ox.RdfFormat.N_QUADS,
    )
    raw.flush()
    del raw
    (path / "dealgraph-store.json").write_text(json.dumps({"format": 1}))


def test_a_format_1_store_is_read_as_a_union_and_upgraded_when_written(tmp_path):
    path = tmp_path / "old"
    _format_1_store(path)
    with open_store(path, read_only=True) as s:
        assert len(list(s.query("SELECT * WHERE { ?s ?p ?o }"))) == 2  # Oxigraph's union: once per graph
        assert s.count() == 2
    with open_store(path) as s:
        assert json.loads((path / "dealgraph-store.json").read_text())["format"] == 2
        assert len(list(s.query("SELECT * WHERE { ?s ?p ?o }"))) == 1
        assert s.count() == 2


def test_loading_into_a_store_that_has_graphs_keeps_the_union():
    s = open_store("memory")
    s.replace_graph(article("a", [("x", "p", "1")]))
    s.load_nquads(f'<{EX}x> <{EX}p> "2" <{EX}graph/b> .\n<{EX}y> <{EX}p> "1" .\n'.encode())
    assert default_graph(s) == {(EX + "x", EX + "p", "1"), (EX + "x", EX + "p", "2"), (EX + "y", EX + "p", "1")}
