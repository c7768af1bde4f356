"""GraphML, GEXF and CSV exports, through ``dealgraph export`` as a user runs it, read back by
networkx and the csv module; networkx's own writers on the export-safe copy of ``to_networkx()``."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.export_network import export_safe
from graph.network import to_networkx
from graph.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def G(store_dir):
    with open_store(store_dir, read_only=True) as st:  # the store the CLI exports (ties in evidence follow its order)
        return to_networkx(st)


def export(store_dir, *args):
    r = runner.invoke(app, ["export", "--store", str(store_dir), *args])
    assert r.exit_code == 0, r.output
    return r


def test_networkx_writers_fail_on_the_projection_and_work_on_the_safe_copy(G, tmp_path):
    with pytest.raises(
        (nx.NetworkXError, TypeError)
    ):  # dict- and list-valued attributes: the reason export_safe exists
        nx.write_graphml(G, tmp_path / "raw.graphml")
    H = export_safe(G)
    nx.write_graphml(H, tmp_path / "g.graphml")
    nx.write_gexf(H, tmp_path / "g.gexf")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == G.number_of_edges()
    assert G.nodes[next(iter(G))]["articles"] and isinstance(G.graph["articles"], dict)  # G untouched


def test_graphml_round_trip(G, store_dir, tmp_path):
    export(store_dir, "--format", "graphml", "-o", str(tmp_path / "g.graphml"))
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back) == set(G) and back.number_of_edges() == G.number_of_edges()
    for n, d in G.nodes(data=True):
        assert back.nodes[n]["label"] == d["label"] and back.nodes[n]["type"] == d["type"]
        assert back.nodes[n].get("aliases", "") == "; ".join(d.get("aliases") or [])
    for u, v, k, d in G.edges(keys=True, data=True):
        e = back.edges[u, v, k]
        assert e["relation"] == d["relation"] and e.get("evidence") == d.get("evidence")
        if d.get("confidence") is not None:
            assert e["confidence"] == pytest.approx(d["confidence"])


def test_graphml_to_stdout(store_dir, G):
    r = export(store_dir, "--format", "graphml")
    assert r.stdout.startswith("<?xml") and "<graphml" in r.stdout
    assert r.stdout.count("<node ") == G.number_of_nodes()


def test_gexf_round_trip(G, store_dir, tmp_path):
    export(store_dir, "--format", "gexf", "-o", str(tmp_path / "g.gexf"))
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert set(back) == set(G) and back.number_of_edges() == G.number_of_edges()
    assert {back.nodes[n]["label"] for n in back} == {d["label"] for _, d in G.nodes(data=True)}
    assert {d["relation"] for *_, d in back.edges(data=True)} == {d["relation"] for *_, d in G.edges(data=True)}


def test_csv_round_trip(G, store_dir, tmp_path):
    r = export(store_dir, "--format", "csv", "-o", str(tmp_path / "csv"))
    assert "nodes.csv" in r.stderr and "edges.csv" in r.stderr
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert {n["id:ID"] for n in nodes} == set(G)
    by_id = {n["id:ID"]: n for n in nodes}
    for n, d in G.nodes(data=True):
        assert by_id[n][":LABEL"] == d["type"] and by_id[n]["label"] == d["label"]
        assert by_id[n]["aliases:string[]"].split(";") == (d.get("aliases") or [""])
    assert len(edges) == G.number_of_edges()
    assert {(e[":START_ID"], e[":END_ID"], e["relation"]) for e in edges} == {
        (u, v, d["relation"]) for u, v, d in G.edges(data=True)
    }
    assert all(e[":TYPE"] == e["relation"].upper() for e in edges)
    evidence = {e["evidence"] for e in edges}
    assert any("," in s for s in evidence)  # sentences with commas survive quoting
    assert evidence >= {d["evidence"] for *_, d in G.edges(data=True) if d.get("evidence")}


def test_csv_needs_a_folder(store_dir):
    r = runner.invoke(app, ["export", "--store", str(store_dir), "--format", "csv"])
    assert r.exit_code == 2 and "give a folder with -o" in r.stderr
