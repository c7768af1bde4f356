"""The graph as plain rows for JSON and tables."""

from __future__ import annotations

import networkx as nx

from graph.network.lookup import _label


def to_records(G: nx.MultiDiGraph) -> dict:
    """Nodes and edges as lists of plain dicts (for JSON and tables).

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    dict
        ``{"nodes": [{"iri", "label", "type", ...}], "edges": [{"source",
        "target", "relation", "label", "date", "evidence", "article_title"}]}``;
        node rows also carry ``hops`` when the nodes have it (:func:`ego_network`).

    Examples
    --------
    >>> from graph.network import ego_network, example_graph
    >>> rec = to_records(ego_network(example_graph(), "Tim Cook"))
    >>> [(e["source_label"], e["label"], e["target_label"]) for e in rec["edges"]]
    [('Tim Cook', 'CEO of', 'Apple')]
    """
    nodes = []
    for n, d in G.nodes(data=True):
        row = {"iri": n, "label": _label(G, n), "type": d.get("type")}
        if "hops" in d:
            row["hops"] = d["hops"]
        nodes.append(row)
    if nodes and "hops" in nodes[0]:
        nodes.sort(key=lambda r: (r.get("hops", 0), str(r["type"]), r["label"]))
    edges = [
        {
            "source": u,
            "source_label": _label(G, u),
            "target": v,
            "target_label": _label(G, v),
            "relation": d.get("relation", k),
            "label": d.get("label") or str(k),
            "date": d.get("date"),
            "evidence": d.get("evidence"),
            "article_title": d.get("article_title"),
        }
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    return {"nodes": nodes, "edges": edges}
