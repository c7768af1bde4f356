"""Shared fixtures: the seed article, the bundled articles, stores built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
GOLD = ROOT / "data" / "gold"


def _shared() -> Path | None:
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared")):
        if (candidate / "data").is_dir():
            return candidate
    return None


SHARED = _shared()


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The original seed article's folder in ../shared (skip when absent)."""
    if SHARED is None or not (SHARED / "data" / "seed").is_dir():
        pytest.skip("../shared/data/seed is not available")
    return SHARED / "data" / "seed"


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    return ARTICLES


@pytest.fixture(scope="session")
def built_store():
    """A memory store built once from data/articles (read-only use, please)."""
    from graph.pipeline import build
    from graph.store import open_store

    store = open_store("memory")
    build([ARTICLES], store)
    return store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, built_store) -> Path:
    """An on-disk store holding what ``built_store`` holds, one fresh copy per test module.

    A module that needs another store (built through the CLI, generated) defines its own ``store_dir``.
    """
    import pyoxigraph as ox

    from graph.store import open_store

    d = tmp_path_factory.mktemp("store") / "store"
    with open_store(d) as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    return d


@pytest.fixture()
def memory_store():
    from graph.store import open_store

    return open_store("memory")


@pytest.fixture()
def tmp_articles(tmp_path) -> Path:
    """A writable copy of data/articles."""
    d = tmp_path / "articles"
    shutil.copytree(ARTICLES, d)
    return d


@pytest.fixture(scope="session")
def tiny_graph():
    """A hand-made MultiDiGraph in the shape graph.network produces."""
    import networkx as nx

    G = nx.MultiDiGraph()
    art = "https://w3id.org/dealgraph/id/article/a1"
    G.graph["articles"] = {
        art: {"title": "Ma wants Apple", "published": "2014-10-29", "url": None, "publisher": "Wire"}
    }
    ids = {
        n: f"https://w3id.org/dealgraph/id/{n}"
        for n in ("person/jack-ma", "org/alibaba", "org/apple", "person/tim-cook", "product/apple-pay", "deal/d1")
    }
    G.add_node(ids["person/jack-ma"], label="Jack Ma", type="Person", aliases=["Ma"], articles=[art])
    G.add_node(ids["person/tim-cook"], label="Tim Cook", type="Person", aliases=[], articles=[art])
    G.add_node(ids["org/alibaba"], label="Alibaba Group", type="Organization", aliases=["Alibaba"], articles=[art])
    G.add_node(ids["org/apple"], label="Apple", type="Organization", aliases=[], articles=[art])
    G.add_node(ids["product/apple-pay"], label="Apple Pay", type="Product", aliases=[], articles=[art])
    G.add_node(
        ids["deal/d1"],
        label="Alibaba Group and Apple: partnership",
        type="Deal",
        deal_type="Partnership",
        status="proposed",
        date="2014-10-27",
        value=None,
        currency=None,
        articles=[art],
    )

    def edge(s, o, rel, label):
        G.add_edge(
            ids[s],
            ids[o],
            key=rel,
            relation=rel,
            label=label,
            evidence=f"{label} evidence",
            article=art,
            article_title="Ma wants Apple",
            date="2014-10-29",
            confidence=0.9,
            title=None,
            sources=[],
        )

    edge("person/jack-ma", "org/alibaba", "ceo_of", "CEO of")
    edge("person/tim-cook", "org/apple", "ceo_of", "CEO of")
    edge("org/apple", "product/apple-pay", "launched", "launched")
    edge("org/alibaba", "org/apple", "deal_with", "deal with")
    edge("deal/d1", "org/alibaba", "party", "party")
    edge("deal/d1", "org/apple", "party", "party")
    return G
