"""Tests of graph/network/: the projection, the measures, paths, time filter, and `dealgraph analyze`."""

from __future__ import annotations

import json
import time

import networkx as nx
import pytest
from typer.testing import CliRunner

from benchmarks.generate import generate, load_store, nquads
from graph import network as net
from graph.cli import app
from graph.network import measures
from graph.store import open_store

ID = "https://w3id.org/dealgraph/id/"
ALIBABA, APPLE = ID + "org/alibaba", ID + "org/apple"
runner = CliRunner()


@pytest.fixture(scope="module")
def synthetic():
    """A generated graph of ~20k triples (about 900 nodes, 1,200 relations): store and projection."""
    store = load_store(20_000, seed=3)
    return store, net.to_networkx(store)


@pytest.fixture()
def G():
    return net.example_graph()


# --------------------------------------------------------------------------
# Projection


def test_projection_keeps_the_contract(built_store):
    G = net.to_networkx(built_store)
    assert G.is_directed() and G.is_multigraph()
    assert G.number_of_nodes() > 30 and G.number_of_edges() > 30
    for n, d in G.nodes(data=True):
        assert n.startswith(ID)
        assert {"label", "type", "articles"} <= set(d)
        if d["type"] == "Deal":
            assert {"deal_type", "status", "date", "value", "currency"} <= set(d)
        else:
            assert d["type"] in net.ENTITY_TYPES and isinstance(d["aliases"], list)
            assert d["label"] not in d["aliases"]
    for u, _v, k, d in G.edges(keys=True, data=True):
        assert k == d["relation"] and d["label"] == net.RELATION_LABELS[k]
        assert {"predicate", "evidence", "article", "article_title", "date", "confidence", "title", "sources"} <= set(d)
        if G.nodes[u]["type"] != "Deal":
            assert d["evidence"] and d["sources"] and d["article"] in G.graph["articles"]
    jack = net.find_entity(G, "Jack Ma")
    assert any(G.nodes[v]["label"].startswith("Alibaba") for v in G.succ[jack])


def test_projection_matches_the_generated_store(synthetic):
    store, G = synthetic
    count = lambda q: int(next(iter(store.query(q)))["n"].value)  # noqa: E731
    assert sum(1 for _, t in G.nodes(data="type") if t == "Deal") == count(
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dg:Deal }"
    )
    entities = count(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { VALUES ?t { dg:Person dg:Organization dg:Product } ?e a ?t }"
    )
    assert sum(1 for _, t in G.nodes(data="type") if t != "Deal") == entities
    relations = count(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?f a dg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }"
    )
    assert (
        sum(1 for _, _, k in G.edges(keys=True) if k not in ("party", "acquirer", "target", "investor", "investee"))
        == relations
    )
    hub = max((n for n in G if G.nodes[n]["type"] == "Organization"), key=lambda n: len(G.nodes[n]["articles"]))
    assert len(G.nodes[hub]["articles"]) > 20  # one node, every article that mentions it


def test_projection_is_linear():
    """The entity query once joined repeated descriptions (k^3 rows for an entity in k articles)."""
    times = {}
    for size in (10_000, 80_000):
        store = load_store(size, seed=1)
        start = time.perf_counter()
        net.to_networkx(store)
        times[size] = time.perf_counter() - start
    assert times[80_000] < 8 * times[10_000] * 3 + 0.5, times  # linear, with room for noise


def test_example_graph_is_in_the_projection_shape(G):
    assert net.summary(G) == {
        "nodes": 11,
        "edges": 12,
        "types": {"Person": 3, "Organization": 5, "Product": 1, "Deal": 2},
        "relations": {"ceo_of": 2, "executive_of": 1, "launched": 1, "deal_with": 2, "subsidiary_of": 2, "party": 4},
        "articles": 1,
    }


# --------------------------------------------------------------------------
# The generator (benchmarks/generate.py)


def test_generator_is_deterministic_and_sized():
    a = list(generate(3_000, seed=5))
    assert a == list(generate(3_000, seed=5)) and a != list(generate(3_000, seed=6))
    assert 3_000 <= len(a) < 3_200
    store = open_store("memory")
    store.load_nquads(nquads(3_000, seed=5))
    assert store.count() == len(set(a))


def test_generated_data_passes_the_shapes():
    from graph.validate import validate

    report = validate(load_store(3_000, seed=2).rdflib_dataset())
    assert report.conforms, report.text()


def test_generated_graph_looks_like_news(synthetic):
    store, G = synthetic
    s = net.summary(G)
    assert set(s["types"]) == {"Person", "Organization", "Product", "Deal"}
    assert set(s["relations"]) >= {
        "ceo_of",
        "founder_of",
        "acquired",
        "invested_in",
        "deal_with",
        "launched",
        "subsidiary_of",
    }
    assert 12 <= store.count() / s["nodes"] <= 25  # triples per node
    deg = sorted(net.degree(G).values(), reverse=True)
    assert deg[0] > 20 * (sum(deg) / len(deg))  # a few hubs, a long tail


# --------------------------------------------------------------------------
# Finding entities, time


@pytest.mark.parametrize("name", ["Alibaba Group", "alibaba group", "ALIBABA", "  Alibaba ", ALIBABA])
def test_find_entity_by_label_alias_or_iri(G, name):
    assert net.find_entity(G, name) == ALIBABA


def test_find_entity_errors_suggest(G):
    with pytest.raises(ValueError, match=r"unknown entity 'Alibaba Grup'.*did you mean 'Alibaba Group'"):
        net.find_entity(G, "Alibaba Grup")
    G.add_node(ID + "org/ma-corp", label="Ma Corp", type="Organization", aliases=["Ma"], articles=[])
    G.add_node(ID + "org/ma-holdings", label="Ma Holdings", type="Organization", aliases=["Ma"], articles=[])
    with pytest.raises(
        ValueError, match="ambiguous entity 'ma': it names Ma Corp .*, Ma Holdings .*, Jack Ma .*give the IRI"
    ):
        net.find_entity(G, "ma")
    G.add_node(ID + "org/jack-ma-co", label="Jack Ma", type="Organization", aliases=[], articles=[])
    with pytest.raises(ValueError, match="ambiguous"):
        net.find_entity(G, "Jack Ma")
    with pytest.raises(ValueError, match="non-empty"):
        net.find_entity(G, " ")


@pytest.mark.parametrize(
    "date, deals",
    [
        ("2014", 2),
        ("2014-10", 2),
        ("2014-10-27", 2),
        ("2014-10-26", 1),
        ("2014-09", 1),
        ("2014-07-01", 1),
        ("2014-06-30", 0),
        ("2013", 0),
    ],
)
def test_as_of_compares_dates_by_prefix(G, date, deals):
    H = net.as_of(G, date)
    assert sum(1 for _, t in H.nodes(data="type") if t == "Deal") == deals
    assert H.graph["as_of"] == date
    for _u, _v, d in H.edges(data=True):
        n = min(len(d["date"]), len(date))
        assert d["date"][:n] <= date[:n]


def test_as_of_keeps_or_drops_undated(G):
    G.add_node(ID + "org/undated", label="Undated Co", type="Organization", aliases=[], articles=[])
    G.add_edge(
        ID + "org/undated",
        ALIBABA,
        key="deal_with",
        relation="deal_with",
        label="deal with",
        date=None,
        sources=[],
        article=None,
        evidence="x",
        confidence=0.5,
    )
    kept = net.as_of(G, "2013")
    assert kept.has_edge(ID + "org/undated", ALIBABA)
    assert ID + "person/jack-ma" not in kept  # its article is from 2014-10-29
    dropped = net.as_of(G, "2013", keep_undated=False)
    assert ID + "org/undated" not in dropped and dropped.number_of_edges() == 0
    assert net.as_of(G, "2014-10-28").graph["articles"] == {}
    assert len(net.as_of(G, "2014-10-29").graph["articles"]) == 1


def test_as_of_dates_an_edge_by_its_article_when_it_has_no_date(G):
    d = G.edges[ID + "person/jack-ma", ALIBABA, "ceo_of"]
    d["date"] = None
    assert not net.as_of(G, "2014-10-28").has_edge(ID + "person/jack-ma", ALIBABA)
    assert net.as_of(G, "2014-10-29").has_edge(ID + "person/jack-ma", ALIBABA)


@pytest.mark.parametrize("bad", ["2014-1", "14", "yesterday", "2014/10/27", "", None])
def test_as_of_rejects_bad_dates(G, bad):
    with pytest.raises(ValueError, match="as_of date must be a date"):
        net.as_of(G, bad)


# --------------------------------------------------------------------------
# Measures


def test_simple_view_and_igraph(G):
    H = net.simple_view(G)
    assert not H.is_directed() and not H.is_multigraph()
    assert net.simple_view(H) is H
    assert H.nodes[ALIBABA] == {"label": "Alibaba Group", "type": "Organization"}
    g, nodes = net.to_igraph(G)
    assert (g.vcount(), g.ecount()) == (H.number_of_nodes(), H.number_of_edges())
    assert {frozenset((nodes[a], nodes[b])) for a, b in g.get_edgelist()} == {frozenset(e) for e in H.edges()}


def test_degree_counts_deals_as_connections(G):
    deg = net.degree(G)
    assert deg[ALIBABA] == 5 and deg[APPLE] == 4
    assert deg[ID + "deal/0000000000000001"] == 2
    G.remove_edge(ALIBABA, APPLE, key="deal_with")  # the deal alone still connects them
    assert net.degree(G)[ALIBABA] == 5
    assert net.degree(nx.Graph([(1, 2), (2, 3)])) == {1: 1, 2: 2, 3: 1}


def test_pagerank_backends_agree(synthetic):
    _, G = synthetic
    a, b = net.pagerank(G, backend="networkx"), net.pagerank(G, backend="igraph")
    assert a.keys() == b.keys()
    assert sum(a.values()) == pytest.approx(1) and max(abs(a[n] - b[n]) for n in a) < 1e-8
    small = nx.karate_club_graph()
    ours = net.pagerank(small, backend="networkx")
    reference = nx.pagerank(small, weight=None, tol=1e-12) if _has_scipy() else None
    if reference:
        assert max(abs(ours[n] - reference[n]) for n in small) < 1e-6
    assert max(ours, key=ours.get) == 33
    with pytest.raises(ValueError, match="alpha"):
        net.pagerank(small, alpha=1)
    assert net.pagerank(nx.Graph()) == {}


def _has_scipy():
    try:
        import scipy  # noqa: F401
    except ImportError:
        return False
    return True


def test_betweenness_is_exact_on_small_graphs_and_the_same_in_both_backends(synthetic):
    small = nx.karate_club_graph()
    exact = nx.betweenness_centrality(small)
    for backend in ("networkx", "igraph"):
        got = net.betweenness(small, backend=backend)
        assert max(abs(got[n] - exact[n]) for n in small) < 1e-12
    _, G = synthetic
    a = net.betweenness(G, k=50, seed=7, backend="networkx")
    b = net.betweenness(G, k=50, seed=7, backend="igraph")
    assert max(abs(a[n] - b[n]) for n in a) < 1e-12
    assert a != net.betweenness(G, k=50, seed=8, backend="networkx")
    with pytest.raises(ValueError, match="k must be a positive integer"):
        net.betweenness(G, k=0)


def test_backend_choice(monkeypatch, G):
    calls = []
    real = net.to_igraph
    monkeypatch.setattr(measures, "to_igraph", lambda H: calls.append(1) or real(H))
    net.betweenness(G)
    assert not calls  # small: networkx
    monkeypatch.setattr(measures, "IGRAPH_MIN_EDGES", 1)
    net.betweenness(G)
    net.communities(G)
    assert len(calls) == 2
    monkeypatch.setattr(measures, "_igraph_installed", lambda: False)
    net.betweenness(G)
    assert len(calls) == 2  # auto falls back to networkx without igraph
    with pytest.raises(ValueError, match="needs python-igraph"):
        net.betweenness(G, backend="igraph")
    with pytest.raises(ValueError, match="leiden"):
        net.communities(G, method="leiden")
    with pytest.raises(ValueError, match="unknown backend 'fast'; expected one of 'auto', 'networkx', 'igraph'"):
        net.pagerank(G, backend="fast")


def test_rank_per_type(G):
    ranks = net.rank(G, top=3)
    assert list(ranks) == ["Organization", "Person", "Product"]
    assert [r["label"] for r in ranks["Organization"]] == ["Alibaba Group", "Apple", "Lions Gate Entertainment"]
    assert [r["rank"] for r in ranks["Person"]] == [1, 2, 3]
    row = ranks["Organization"][0]
    assert set(row) == {"rank", "iri", "label", "type", "degree", "deals", "pagerank", "betweenness"}
    assert (row["iri"], row["degree"], row["deals"]) == (ALIBABA, 5, 2)
    by_pr = net.rank(G, by="pagerank", types="organization", top=None)["Organization"]
    assert [r["pagerank"] for r in by_pr] == sorted((r["pagerank"] for r in by_pr), reverse=True) and len(by_pr) == 5
    assert [r["label"] for r in net.rank(G, types="Deal")["Deal"]][0].startswith("Alibaba Group and")
    with pytest.raises(ValueError, match="unknown type 'Persn'.*did you mean 'Person'"):
        net.rank(G, types=["Persn"])
    with pytest.raises(ValueError, match="top must be"):
        net.rank(G, top=0)


def test_rank_on_a_large_graph_finds_the_hubs(synthetic):
    _, G = synthetic
    ranks = net.rank(G, types=["Organization"], top=5, by="betweenness")["Organization"]
    deg = net.degree(G)
    hubs = sorted((n for n in G if G.nodes[n]["type"] == "Organization"), key=deg.get, reverse=True)[:20]
    assert ranks[0]["iri"] in hubs
    assert ranks[0]["betweenness"] >= ranks[-1]["betweenness"] > 0


@pytest.mark.parametrize("backend, method", [("networkx", "louvain"), ("igraph", "louvain"), ("igraph", "leiden")])
def test_communities_partition_the_graph(synthetic, backend, method):
    _, G = synthetic
    found = net.communities(G, method=method, backend=backend, seed=1)
    members = [n for c in found for n in c["members"]]
    assert len(members) == len(set(members)) == G.number_of_nodes()
    assert [c["size"] for c in found] == sorted((c["size"] for c in found), reverse=True)
    assert [c["id"] for c in found] == list(range(len(found)))
    assert found[0]["size"] < G.number_of_nodes() / 2 and len(found) > 10
    assert found == net.communities(G, method=method, backend=backend, seed=1)  # deterministic
    H = net.simple_view(G)
    membership = [{n for n in c["members"]} for c in found]
    assert nx.community.modularity(H, membership) > 0.6


def test_communities_options(G):
    found = net.communities(G)
    assert [c["hubs"][0] for c in found] == ["Alibaba Group", "Apple"]
    assert found[0]["types"] == {"Organization": 4, "Deal": 1, "Person": 1}
    assert net.communities(nx.Graph()) == []
    with pytest.raises(ValueError, match="unknown method 'girvan'"):
        net.communities(G, method="girvan")
    with pytest.raises(ValueError, match="resolution"):
        net.communities(G, resolution=0)


# --------------------------------------------------------------------------
# Paths and ego networks


def test_path_reads_as_a_chain_with_evidence(G):
    hops = net.shortest_path(G, "jack ma", "Tim Cook")
    assert net.path_text(hops) == "Jack Ma -CEO of-> Alibaba Group -deal with-> Apple <-CEO of- Tim Cook"
    assert [h["forward"] for h in hops] == [True, True, False]
    for h in hops:
        assert h["evidence"] and h["article_title"] == "Jack Ma to work with Apple on online payments"
        assert h["published"] == "2014-10-29" and h["deal"] is None
    text = net.explain_path(hops)
    assert text.splitlines()[0] == net.path_text(hops) and text.count('"') == 6
    assert net.shortest_path(G, "Apple", "apple inc.") == []


def test_path_through_a_deal_is_one_hop(G):
    G.remove_edge(ALIBABA, APPLE, key="deal_with")
    hops = net.shortest_path(G, "Jack Ma", "Tim Cook")
    assert net.path_text(hops) == "Jack Ma -CEO of-> Alibaba Group -partnership with-> Apple <-CEO of- Tim Cook"
    assert hops[1]["deal"]["deal_type"] == "Partnership" and hops[1]["deal"]["status"] == "proposed"
    assert hops[1]["evidence"].startswith("Jack Ma intends")
    to_deal = net.shortest_path(G, "Apple", ID + "deal/0000000000000001")
    assert [h["relation"] for h in to_deal] == ["party"] and to_deal[0]["forward"] is False


def test_path_prefers_fewer_hops_through_deals():
    """A deal between two parties is one hop, so the route through it beats a two-hop route."""
    G = nx.MultiDiGraph()
    for n, t in (("a", "Organization"), ("b", "Organization"), ("x", "Organization"), ("d", "Deal")):
        G.add_node(n, label=n.upper(), type=t, aliases=[], articles=[])
    G.add_edge("a", "x", key="deal_with", relation="deal_with", label="deal with", confidence=0.9)
    G.add_edge("x", "b", key="deal_with", relation="deal_with", label="deal with", confidence=0.9)
    G.add_edge("d", "a", key="acquirer", relation="acquirer", label="acquirer")
    G.add_edge("d", "b", key="target", relation="target", label="target")
    assert net.path_text(net.shortest_path(G, "A", "B")) == "A -acquired-> B"
    assert net.path_text(net.shortest_path(G, "B", "A")) == "B <-acquired- A"


def test_path_errors(G):
    G.add_node(ID + "org/island", label="Island Co", type="Organization", aliases=[], articles=[])
    with pytest.raises(nx.NetworkXNoPath, match="no connection between Jack Ma and Island Co"):
        net.shortest_path(G, "Jack Ma", "Island Co")
    with pytest.raises(ValueError, match="did you mean 'Tim Cook'"):
        net.shortest_path(G, "Jack Ma", "Tim Cock")


def test_path_on_a_large_graph(synthetic):
    _, G = synthetic
    giant = max(nx.connected_components(net.simple_view(G)), key=len)
    people = [n for n, t in G.nodes(data="type") if t == "Person" and n in giant]
    hops = net.shortest_path(G, people[0], people[-1])
    assert len(hops) >= 2 and hops[0]["source"] == people[0] and hops[-1]["target"] == people[-1]
    assert all(a["target"] == b["source"] for a, b in zip(hops, hops[1:]))
    assert all(h["evidence"] for h in hops)
    plain = nx.shortest_path_length(net.simple_view(G), people[0], people[-1])
    assert len(hops) <= plain


def test_ego_network(G):
    assert list(net.ego_network(G, "Jack Ma", depth=0)) == [ID + "person/jack-ma"]
    E = net.ego_network(G, "Jack Ma", depth=2)
    labels = {d["label"]: d["hops"] for _, d in E.nodes(data=True)}
    assert labels["Alibaba Group"] == 1 and labels["Apple"] == 2 and labels["Taobao.com"] == 2
    assert "Tim Cook" not in labels and E.graph["center"] == ID + "person/jack-ma"
    assert E.graph["articles"] == G.graph["articles"]
    assert "hops" not in G.nodes[ALIBABA]  # the input is untouched
    G.remove_edge(ALIBABA, APPLE, key="deal_with")
    one = net.ego_network(G, "Alibaba", depth=1)
    assert APPLE in one and one.nodes[APPLE]["hops"] == 1  # through the deal, as one hop
    with pytest.raises(ValueError, match="depth"):
        net.ego_network(G, "Alibaba", depth=-1)


def test_ego_network_feeds_the_view(G):
    from graph.view import to_html

    page = to_html(net.ego_network(G, "Apple", depth=1))
    assert "Tim Cook" in page and "Lions Gate" not in page


def test_to_records(G):
    rec = net.to_records(net.ego_network(G, "Apple"))
    assert rec["nodes"][0] == {"iri": APPLE, "label": "Apple", "type": "Organization", "hops": 0}
    assert json.loads(json.dumps(rec)) == rec


def test_deals_over_time(G):
    rows = net.deals_over_time(G)
    assert rows == [{"period": "2014", "count": 2, "types": {"Agreement": 1, "Partnership": 1}, "value": {}}]
    G.nodes[ID + "deal/0000000000000002"].update(date="2012", value=5e8, currency="USD")
    months = net.deals_over_time(G, by="month")
    assert months[0]["period"] == "2014-10" and months[-1] == {
        "period": None,
        "count": 1,
        "types": {"Agreement": 1},
        "value": {"USD": 5e8},
    }
    years = net.deals_over_time(G)
    assert [r["period"] for r in years] == ["2012", "2013", "2014"] and years[1]["count"] == 0
    assert net.deals_over_time(nx.MultiDiGraph()) == []
    with pytest.raises(ValueError, match="unknown by 'week'"):
        net.deals_over_time(G, by="week")


# --------------------------------------------------------------------------
# dealgraph analyze


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """A store on disk holding a generated graph of ~20k triples."""
    d = tmp_path_factory.mktemp("analyze") / "store"
    with open_store(d) as st:
        st.load_nquads(nquads(20_000, seed=3))
    return d


@pytest.fixture(scope="module")
def articles_store(tmp_path_factory):
    from tests.conftest import ARTICLES

    d = tmp_path_factory.mktemp("analyze-articles") / "store"
    r = invoke("build", ARTICLES, "--store", d, "-q", "--no-validate")
    assert r.exit_code == 0, r.output
    return d


def test_analyze_help():
    r = invoke("analyze", "--help")
    assert r.exit_code == 0, r.output
    for option in ("--path", "--ego", "--communities", "--as-of", "--format", "--plot", "--top", "--type"):
        assert option in r.output


def test_analyze_ranks_per_type(store_dir):
    r = invoke("analyze", "--store", store_dir, "--top", 3)
    assert r.exit_code == 0, r.output
    for title in ("Organization by degree", "Person by degree", "Product by degree"):
        assert title in r.stdout
    r = invoke(
        "analyze", "--store", store_dir, "--top", 4, "--type", "Person", "--by", "betweenness", "--format", "json"
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data["rankings"]) == ["Person"] and len(data["rankings"]["Person"]) == 4
    scores = [row["betweenness"] for row in data["rankings"]["Person"]]
    assert scores == sorted(scores, reverse=True)
    assert data["graph"]["nodes"] > 500


def test_analyze_everything_as_json(store_dir, tmp_path):
    G = net.to_networkx(load_store(20_000, seed=3))
    giant = max(nx.connected_components(net.simple_view(G)), key=len)
    orgs = [d["label"] for n, d in G.nodes(data=True) if d["type"] == "Organization" and n in giant]
    r = invoke(
        "analyze",
        "--store",
        store_dir,
        "--path",
        orgs[0],
        orgs[-1],
        "--ego",
        orgs[0],
        "--depth",
        1,
        "--communities",
        "--as-of",
        "2024",
        "--format",
        "json",
        "--plot",
        tmp_path / "plots",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) == {"graph", "path", "ego", "communities", "plots"}
    assert data["graph"]["as_of"] == "2024"
    assert data["path"]["text"].startswith(orgs[0]) and data["path"]["text"].endswith(orgs[-1])
    assert all(h["evidence"] for h in data["path"]["hops"])
    assert data["ego"]["nodes"][0]["label"] == orgs[0] and data["ego"]["edges"]
    assert sum(c["size"] for c in data["communities"]) == data["graph"]["nodes"]
    for p in data["plots"]:
        with open(p, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_analyze_as_of_shrinks_the_graph(store_dir):
    sizes = []
    for date in ("2008", "2016-06", "2030"):
        r = invoke("analyze", "--store", store_dir, "--as-of", date, "--format", "json", "--type", "Organization")
        assert r.exit_code == 0, r.output
        sizes.append(json.loads(r.stdout)["graph"]["nodes"])
    assert sizes[0] < sizes[1] < sizes[2]


def test_analyze_explains_a_path_in_the_articles(articles_store, tmp_path):
    r = invoke("analyze", "--store", articles_store, "--path", "Jack Ma", "Tim Cook", "-o", tmp_path / "path.txt")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "path.txt").read_text("utf-8")
    first = text.splitlines()[0]
    assert first.startswith("Jack Ma -") and first.endswith("Tim Cook"), text
    assert "Alibaba" in first and "Apple" in first
    assert text.count('"') >= 4 and "-- " in text  # evidence and article per hop


def test_analyze_errors(store_dir, articles_store):
    def run(*args):
        r = invoke("analyze", *args)
        return r.exit_code, " ".join(r.output.split())

    code, out = run("--store", articles_store, "--ego", "Jack Mа")  # a Cyrillic a
    assert code == 1 and "unknown entity 'Jack Mа'" in out and "did you mean 'Jack Ma'" in out
    code, out = run("--store", store_dir, "--as-of", "next week")
    assert code == 1 and "YYYY" in out
    code, out = run("--store", store_dir, "--drop-undated")
    assert code == 2 and "--as-of" in out
    code, out = run("--store", store_dir, "--type", "Compny")
    assert code == 1 and "unknown type 'Compny'" in out
    r = invoke("analyze", "--store", store_dir, "--by", "closeness")
    assert r.exit_code == 2
