"""Time: the graph as it stood on a date (:func:`as_of`), deals per year or month (:func:`deals_over_time`).

Dates are ISO strings of a year, a month or a day (``2014``, ``2014-09``,
``2014-09-19``); a shorter date covers its whole period.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import networkx as nx

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_date(option: str, value: str) -> str:
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise ValueError(f"{option} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value.strip()


def _iso(value) -> str | None:
    """The YYYY[-MM[-DD]] prefix of a stored date, or None when there is none."""
    if value is None:
        return None
    text = str(value).strip()[:10]
    m = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", text)
    return m.group(0) if m else None


def _on_or_before(date: str, cutoff: str) -> bool:
    """Prefix-aware: compare at the coarser of the two precisions (a year means the whole year)."""
    n = min(len(date), len(cutoff))
    return date[:n] <= cutoff[:n]


def as_of(G: nx.MultiDiGraph, date: str, *, keep_undated: bool = True) -> nx.MultiDiGraph:
    """The graph as it stood on ``date``: the relations and deals dated on or before it.

    Dates may be years, months or days; they are compared at the coarser
    precision of the two, so a deal dated "2014" is kept as of "2014-06-01" and
    a relation of "2014-10-27" is kept as of "2014" (a year means the whole
    year). A relation without a date of its own is dated by the earliest
    article that states it. Entities stay when a kept relation or deal touches
    them or an article published by then mentions them. Articles published
    later are left out of ``graph["articles"]``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As :func:`to_networkx` makes it.
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    keep_undated : bool, optional
        Keep relations, deals and entities with no date at all (default True).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph (attribute dicts are copies); ``graph["as_of"]`` is ``date``.

    Raises
    ------
    ValueError
        When ``date`` is not a date in one of those forms.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> G = example_graph()
    >>> H = as_of(G, "2014-09")
    >>> sorted(d["label"] for _, d in H.nodes(data=True) if d["type"] == "Deal")
    ['Alibaba Group and Lions Gate Entertainment: agreement']
    >>> H.has_edge("https://w3id.org/dealgraph/id/org/alibaba", "https://w3id.org/dealgraph/id/org/apple")
    False
    """
    cutoff = _check_date("as_of date", date)
    articles = G.graph.get("articles") or {}
    published = {a: _iso((m or {}).get("published")) for a, m in articles.items()}

    def keep(d) -> bool:
        return keep_undated if d is None else _on_or_before(d, cutoff)

    def edge_date(d) -> str | None:
        own = _iso(d.get("date"))
        if own is not None:
            return own
        dates = [p for s in d.get("sources") or [] if (p := _iso(s.get("published")))]
        if not dates and d.get("article"):
            dates = [p] if (p := published.get(d["article"])) else []
        return min(dates) if dates else None

    dropped_deals = {n for n, d in G.nodes(data=True) if d.get("type") == "Deal" and not keep(_iso(d.get("date")))}
    edges = [
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if u not in dropped_deals and v not in dropped_deals and keep(edge_date(d))
    ]
    touched = {n for u, v, _, _ in edges for n in (u, v)}

    def keep_node(n, d) -> bool:
        if d.get("type") == "Deal":
            return n not in dropped_deals
        if n in touched:
            return True
        dates = [published.get(a) for a in d.get("articles") or []]
        if any(p is not None and _on_or_before(p, cutoff) for p in dates):
            return True
        return keep_undated and not any(dates) and G.degree(n) == 0

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["articles"] = {a: m for a, m in articles.items() if keep(published[a])}
    H.graph["as_of"] = cutoff
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if keep_node(n, d))
    H.add_edges_from(edges)
    return H


def deals_over_time(G: nx.Graph, *, by: str = "year") -> list[dict]:
    """Deals per year (or month): how many, of which type, for how much.

    Parameters
    ----------
    G : networkx graph
        With deal nodes (``type`` "Deal", ``deal_type``, ``date``, ``value``,
        ``currency``) as :func:`to_networkx` makes them.
    by : {"year", "month"}, optional

    Returns
    -------
    list of dict
        ``{"period", "count", "types" (deal type -> count), "value" (currency ->
        total of the known values)}`` in time order, every period from the first
        to the last (empty ones with count 0); a final row with ``period`` None
        counts the deals whose date is missing or too coarse (a bare year, by month).

    Raises
    ------
    ValueError
        For an unknown ``by``.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> [(r["period"], r["count"], r["types"]) for r in deals_over_time(example_graph(), by="month")]
    [('2014-07', 1, {'Agreement': 1}), ('2014-08', 0, {}), ('2014-09', 0, {}), ('2014-10', 1, {'Partnership': 1})]
    """
    width = {"year": 4, "month": 7}.get(by)
    if width is None:
        raise ValueError(f"unknown by {by!r}; expected 'year' or 'month'")
    rows: dict = {}
    for _, d in G.nodes(data=True):
        if d.get("type") != "Deal":
            continue
        date = _iso(d.get("date"))
        period = date[:width] if date and len(date) >= width else None
        row = rows.setdefault(period, {"period": period, "count": 0, "types": Counter(), "value": Counter()})
        row["count"] += 1
        row["types"][d.get("deal_type") or "Deal"] += 1
        if d.get("value") is not None and not (isinstance(d["value"], float) and math.isnan(d["value"])):
            row["value"][d.get("currency") or "USD"] += float(d["value"])
    dated = sorted(p for p in rows if p is not None)
    out = []
    for period in _periods(dated[0], dated[-1], by) if dated else []:
        row = rows.get(period) or {"period": period, "count": 0, "types": Counter(), "value": Counter()}
        out.append({**row, "types": dict(sorted(row["types"].items())), "value": dict(sorted(row["value"].items()))})
    if None in rows:
        row = rows[None]
        out.append({**row, "types": dict(sorted(row["types"].items())), "value": dict(sorted(row["value"].items()))})
    return out


def _periods(first: str, last: str, by: str) -> Iterable[str]:
    if by == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
