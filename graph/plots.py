"""Plots where people would rather look than read: deals over time, the most connected companies.

Each function draws on a matplotlib ``Axes`` (a new figure when none is
given) and returns it, so a notebook can place it in its own layout
(``fig, ax = plt.subplots(); plot_deals_over_time(G, ax=ax)``), and
:func:`save_plots` writes PNG files for ``dealgraph analyze --plot DIR``. The
numbers come from :mod:`graph.network` (:func:`~graph.network.deals_over_time`,
:func:`~graph.network.rank`); this module only draws.

matplotlib is imported when a plot is drawn, never at import time; figures
made here do not go through ``pyplot`` (no global state, no GUI backend), so
they are safe in servers and threads.

>>> from graph.network import example_graph
>>> ax = plot_deals_over_time(example_graph())
>>> ax.get_title()
'Deals per year (2 deals)'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from graph.network import deals_over_time, rank

if TYPE_CHECKING:  # imported lazily at run time
    from matplotlib.axes import Axes

__all__ = ["plot_deals_over_time", "plot_top_connected", "save_plots", "DEAL_COLORS"]

#: Deal type -> bar colour (other types get grey).
DEAL_COLORS = {
    "Acquisition": "#c4393c",
    "Investment": "#2f6aa8",
    "Partnership": "#3f8a35",
    "Agreement": "#d9731a",
    "Merger": "#7b4fa0",
    "JointVenture": "#8d6e63",
}
_MEASURE_NAMES = {"degree": "connections", "pagerank": "PageRank", "betweenness": "betweenness"}


def _axes(ax, size):
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained").subplots()


def plot_deals_over_time(G: nx.Graph, *, by: str = "year", ax: Axes | None = None) -> Axes:
    """Stacked bars: the number of deals per year (or month), by deal type.

    Parameters
    ----------
    G : networkx graph
        As :func:`graph.network.to_networkx` makes it (deal nodes with a ``date``).
    by : {"year", "month"}, optional
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For an unknown ``by``.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> ax = plot_deals_over_time(example_graph(), by="month")
    >>> [round(p.get_height()) for p in ax.patches]  # 2014-07 .. 2014-10: partnerships, then agreements
    [0, 0, 0, 1, 1, 0, 0, 0]
    """
    rows = deals_over_time(G, by=by)
    ax = _axes(ax, (9, 4))
    dated = [r for r in rows if r["period"] is not None]
    undated = sum(r["count"] for r in rows if r["period"] is None)
    total = sum(r["count"] for r in dated)
    order = list(DEAL_COLORS)
    kinds = sorted(
        {t for r in dated for t in r["types"]}, key=lambda t: (order.index(t) if t in order else len(order), t)
    )
    x = list(range(len(dated)))
    bottom = [0] * len(dated)
    for kind in kinds:
        heights = [r["types"].get(kind, 0) for r in dated]
        ax.bar(x, heights, bottom=bottom, label=kind, color=DEAL_COLORS.get(kind, "#9e9e9e"), width=0.8)
        bottom = [b + h for b, h in zip(bottom, heights)]
    title = f"Deals per {by} ({total} deal{'s' if total != 1 else ''}"
    title += f"; {undated} without a {by})" if undated else ")"
    ax.set_title(title)
    ax.set_ylabel("deals")
    if not dated:
        ax.text(0.5, 0.5, "no dated deals", ha="center", va="center", transform=ax.transAxes, color="#7a7a7a")
        ax.set_xticks([])
        return ax
    step = max(1, len(dated) // 24)  # at most ~24 labels
    ax.set_xticks(
        x[::step],
        [r["period"] for r in dated][::step],
        rotation=45 if by == "month" or len(dated) > 12 else 0,
        ha="right" if by == "month" or len(dated) > 12 else "center",
    )
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    if kinds:
        ax.set_ylim(0, max(bottom) * 1.3)  # room for the legend above the bars
        ax.legend(frameon=False, fontsize="small", ncols=min(len(kinds), 3), loc="upper left")
    return ax


def plot_top_connected(
    G: nx.Graph,
    *,
    top: int = 15,
    type: str = "Organization",
    by: str = "degree",
    backend: str = "auto",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars: the most connected entities of a type (companies by default).

    Parameters
    ----------
    G : networkx graph
        As :func:`graph.network.to_networkx` makes it, or its simple view.
    top : int, optional
        How many bars (default 15).
    type : str, optional
        The node type (default "Organization").
    by : {"degree", "pagerank", "betweenness"}, optional
        The measure (default "degree": distinct entities connected, deals
        counting as connections); see :func:`graph.network.rank`.
    backend : {"auto", "networkx", "igraph"}, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        As :func:`graph.network.rank` does (unknown type, measure or backend).

    Examples
    --------
    >>> from graph.network import example_graph
    >>> ax = plot_top_connected(example_graph(), top=2)
    >>> [t.get_text() for t in ax.get_yticklabels()], [int(p.get_width()) for p in ax.patches]
    (['Alibaba Group', 'Apple'], [5, 4])
    """
    ranked = rank(G, by=by, types=[type], top=top, backend=backend)
    rows = next(iter(ranked.values()))
    ax = _axes(ax, (8, max(2.5, 0.35 * len(rows) + 1.2)))
    name = next(iter(ranked))
    plural = {"Person": "people", "Organization": "companies", "Product": "products", "Deal": "deals"}.get(name, name)
    ax.set_title(f"The most connected {plural} (by {_MEASURE_NAMES[by]})")
    if not rows:
        ax.text(0.5, 0.5, f"no {plural}", ha="center", va="center", transform=ax.transAxes, color="#7a7a7a")
        ax.set_xticks([])
        ax.set_yticks([])
        return ax
    y = list(range(len(rows)))
    values = [r[by] for r in rows]
    ax.barh(
        y,
        values,
        color="#ffd8ae" if name == "Organization" else "#a9c8ea",
        edgecolor="#d9731a" if name == "Organization" else "#2f6aa8",
    )
    ax.set_yticks(y, [r["label"] for r in rows])
    ax.invert_yaxis()  # the best on top
    ax.set_xlabel(_MEASURE_NAMES[by])
    if by == "degree":
        ax.xaxis.get_major_locator().set_params(integer=True)
        for i, r in enumerate(rows):
            if r["deals"]:
                ax.annotate(
                    f"{r['deals']} deal{'s' if r['deals'] != 1 else ''}",
                    (values[i], i),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize="small",
                    color="#7a7a7a",
                )
        ax.set_xlim(0, max(values) * 1.18 or 1)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def save_plots(
    G: nx.Graph, directory: str | os.PathLike, *, top: int = 15, by: str = "year", backend: str = "auto", dpi: int = 120
) -> list[Path]:
    """Write ``deals_over_time.png`` and ``top_companies.png`` into ``directory``.

    Parameters
    ----------
    G : networkx graph
    directory : str or os.PathLike
        Created when missing.
    top : int, optional
        Bars in the companies plot (default 15).
    by : {"year", "month"}, optional
        Periods of the deals plot.
    backend : {"auto", "networkx", "igraph"}, optional
    dpi : int, optional

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> from graph.network import example_graph
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_plots(example_graph(), tmp)]
    ['deals_over_time.png', 'top_companies.png']
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, ax in (
        ("deals_over_time.png", plot_deals_over_time(G, by=by)),
        ("top_companies.png", plot_top_connected(G, top=top, backend=backend)),
    ):
        path = directory / name
        ax.figure.savefig(path, dpi=dpi)
        written.append(path)
    return written
