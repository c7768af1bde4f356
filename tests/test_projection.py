"""The fast projection of an embedded store (graph/network/rows.py) gives the graph the portable queries give.

Both read the same store: the embedded store's hash-joined subqueries, and the
queries graph.network asks any SPARQL endpoint. The graphs must be equal node for
node, edge for edge, attribute for attribute, in the same order, on the articles
in data/articles (real extraction, with deals, former roles and curation) and on
a generated graph of 20,000 triples (many articles stating the same fact).
"""

from __future__ import annotations

import pytest

from graph import network
from graph.network import projection as portable
from graph.network import rows as projection
from graph.store import open_store

PORTABLE = {
    "articles": portable._ARTICLES,
    "types": portable._TYPES,
    "labels": portable._LABELS,
    "aliases": portable._ALIASES,
    "mentions": portable._MENTIONS,
    "facts": portable._FACTS,
    "deals": portable._DEALS,
    "parties": portable._PARTIES,
}


def portable_rows(store) -> dict:
    return {kind: projection.solution_rows(kind, store.query(q)) for kind, q in PORTABLE.items()}


def exactly(G) -> tuple:
    """Everything a graph holds, in its order (lists compare element by element)."""
    return list(G.nodes(data=True)), list(G.edges(keys=True, data=True)), G.graph


@pytest.fixture(scope="module")
def generated():
    from benchmarks.generate import nquads

    store = open_store("memory")
    store.load_nquads(nquads(20_000, seed=3))
    return store


@pytest.mark.parametrize("include_former", [False, True])
def test_the_same_graph_from_the_articles(built_store, include_former):
    rows = projection.embedded_rows(built_store)
    assert rows is not None and rows["facts"] and rows["deals"]
    fast = projection.from_rows(rows, include_former)
    slow = projection.from_rows(portable_rows(built_store), include_former)
    assert fast.number_of_edges() > 20
    assert exactly(fast) == exactly(slow)


def test_the_same_graph_from_a_generated_store(generated):
    fast = projection.from_rows(projection.embedded_rows(generated))
    slow = projection.from_rows(portable_rows(generated))
    assert any(len(d["sources"]) > 1 for _, _, d in fast.edges(data=True))  # facts stated by several articles
    assert exactly(fast) == exactly(slow)
    assert exactly(network.to_networkx(generated)) == exactly(fast)  # nothing to curate there


def test_the_rows_come_in_any_order(generated):
    """The engine's order does not show: the rows reversed give the same graph."""
    rows = projection.embedded_rows(generated)
    backwards = {kind: list(reversed(r)) for kind, r in rows.items()}
    assert exactly(projection.from_rows(backwards)) == exactly(projection.from_rows(rows))


def test_other_stores_take_the_portable_path():
    from graph.store.remote import open_remote

    assert projection.embedded_rows(open_remote("http://127.0.0.1:9/query", read_only=True)) is None
    assert projection.embedded_rows(open_store("memory")) == {kind: [] for kind in projection.KINDS}
