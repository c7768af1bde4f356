"""Tests of graph/plots.py: deals over time and the most connected companies, as Axes and PNG files."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

from benchmarks.generate import load_store
from graph import network as net
from graph import plots

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def synthetic():
    return net.to_networkx(load_store(20_000, seed=4))


def test_matplotlib_is_imported_lazily():
    code = "import sys, graph.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_deals_over_time_stacks_the_counts(synthetic):
    ax = plots.plot_deals_over_time(synthetic)
    rows = [r for r in net.deals_over_time(synthetic) if r["period"] is not None]
    assert [t.get_text() for t in ax.get_xticklabels()] == [r["period"] for r in rows]
    kinds = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(kinds) == {k for r in rows for k in r["types"]}
    heights = [p.get_height() for p in ax.patches]
    assert round(sum(heights)) == sum(r["count"] for r in rows)
    tops = {}  # the stacked bars of a period add up to its count
    for p in ax.patches:
        x = round(p.get_x() + p.get_width() / 2)
        tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    assert [round(tops[i]) for i in range(len(rows))] == [r["count"] for r in rows]
    assert ax.get_title().startswith(f"Deals per year ({sum(r['count'] for r in rows)} deals")


def test_deals_by_month_thins_the_labels(synthetic):
    ax = plots.plot_deals_over_time(synthetic, by="month")
    months = [r for r in net.deals_over_time(synthetic, by="month") if r["period"]]
    assert len(months) > 100 and 12 <= len(ax.get_xticklabels()) <= 48
    assert "without a month" in ax.get_title()  # deals dated by year only


def test_top_connected_companies(synthetic):
    ax = plots.plot_top_connected(synthetic, top=8)
    expected = net.rank(synthetic, types="Organization", top=8)["Organization"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [r["label"] for r in expected]
    assert [int(p.get_width()) for p in ax.patches] == [r["degree"] for r in expected]
    assert ax.get_title() == "The most connected companies (by connections)"
    people = plots.plot_top_connected(synthetic, top=3, type="Person", by="pagerank")
    assert people.get_title() == "The most connected people (by PageRank)" and len(people.patches) == 3


def test_plots_draw_on_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    left, right = fig.subplots(1, 2)
    G = net.example_graph()
    assert plots.plot_deals_over_time(G, ax=left) is left
    assert plots.plot_top_connected(G, ax=right) is right


def test_empty_graphs_still_plot(tmp_path):
    G = nx.MultiDiGraph()
    assert "no dated deals" in [t.get_text() for t in plots.plot_deals_over_time(G).texts]
    assert "no companies" in [t.get_text() for t in plots.plot_top_connected(G).texts]
    paths = plots.save_plots(G, tmp_path / "empty")
    assert all(p.read_bytes().startswith(PNG) for p in paths)


def test_save_plots_writes_pngs(synthetic, tmp_path):
    paths = plots.save_plots(synthetic, tmp_path / "new" / "dir", top=12, dpi=80)
    assert [p.name for p in paths] == ["deals_over_time.png", "top_companies.png"]
    for p in paths:
        data = p.read_bytes()
        assert data.startswith(PNG) and len(data) > 5_000


def test_bad_options():
    G = net.example_graph()
    with pytest.raises(ValueError, match="unknown by 'week'"):
        plots.plot_deals_over_time(G, by="week")
    with pytest.raises(ValueError, match="unknown type 'Company'"):
        plots.plot_top_connected(G, type="Company")
    with pytest.raises(ValueError, match="unknown measure"):
        plots.plot_top_connected(G, by="size")
