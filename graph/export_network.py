"""Export the projected graph for the tools analysts use: GraphML, GEXF and CSV node/edge lists.

:func:`graph.network.to_networkx` keeps rich Python values on its nodes and
edges (alias lists, the ``sources`` of a fact as a list of dicts, ``None`` for
what is unknown, a dict of articles on the graph). GraphML and GEXF hold only
strings, numbers and booleans, so :func:`export_safe` makes a copy that does:

- ``None`` values are left out (GraphML and GEXF have no null);
- a list of plain values becomes one string joined with ``"; "``
  (``aliases``, ``articles``);
- anything else that is not a string, number or boolean (``sources``, the
  graph's ``articles``) becomes its JSON text.

networkx's own writers then work on it (``nx.write_graphml(export_safe(G),
path)``), and so do :func:`write_graphml`, :func:`write_gexf` (Gephi, yEd,
Cytoscape) and :func:`write_csv`, which writes ``nodes.csv`` and ``edges.csv``
with ``neo4j-admin import`` headers (``id:ID``, ``:LABEL``, ``:START_ID``,
``:END_ID``, ``:TYPE``; arrays split on ``;``), which ``LOAD CSV`` and any
spreadsheet read as they are.

>>> import networkx as nx
>>> from graph.network import example_graph
>>> H = export_safe(example_graph())
>>> H.nodes["https://w3id.org/dealgraph/id/person/jack-ma"]["aliases"]
'Ma'
>>> import io; buffer = io.BytesIO(); nx.write_graphml(H, buffer)
>>> nx.read_graphml(io.BytesIO(buffer.getvalue())).number_of_nodes() == H.number_of_nodes()
True
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

__all__ = ["export_safe", "write_graphml", "write_gexf", "write_csv", "NODE_COLUMNS", "EDGE_COLUMNS", "NETWORK_FORMATS"]

NETWORK_FORMATS = ("graphml", "gexf", "csv")

# (attribute, neo4j-admin header) for nodes.csv and edges.csv, in column order.
NODE_COLUMNS = [
    ("id", "id:ID"),
    ("type", ":LABEL"),
    ("label", "label"),
    ("aliases", "aliases:string[]"),
    ("articles", "articles:string[]"),
    ("deal_type", "deal_type"),
    ("status", "status"),
    ("date", "date"),
    ("value", "value:double"),
    ("currency", "currency"),
    ("evidence", "evidence"),
]
EDGE_COLUMNS = [
    ("source", ":START_ID"),
    ("target", ":END_ID"),
    ("type", ":TYPE"),
    ("relation", "relation"),
    ("label", "label"),
    ("date", "date"),
    ("confidence", "confidence:double"),
    ("former", "former:boolean"),
    ("title", "title"),
    ("evidence", "evidence"),
    ("article", "article"),
    ("article_title", "article_title"),
    ("sources", "sources:int"),
]


def _safe(value):
    """A GraphML/GEXF-safe value, or None to leave the attribute out.

    >>> _safe(["Ma", "Jack"]), _safe(None), _safe(0.5), _safe([{"a": 1}])
    ('Ma; Jack', None, 0.5, '[{"a": 1}]')
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set)) and all(isinstance(v, (str, int, float)) for v in value):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _safe_dict(data: dict) -> dict:
    return {k: s for k, v in data.items() if (s := _safe(v)) is not None}


def export_safe(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose graph, node and edge attributes are strings, numbers or booleans.

    Same class, nodes, edges and keys as ``G``; the rules are in the module
    docstring. ``G`` itself is not changed.
    """
    H = G.__class__()
    H.graph.update(_safe_dict(G.graph))
    H.add_nodes_from((n, _safe_dict(d)) for n, d in G.nodes(data=True))
    if G.is_multigraph():
        H.add_edges_from((u, v, k, _safe_dict(d)) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        H.add_edges_from((u, v, _safe_dict(d)) for u, v, d in G.edges(data=True))
    return H


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (read by yEd, Cytoscape, Gephi, networkx); returns the path."""
    path = Path(path)
    nx.write_graphml(export_safe(G), path, encoding="utf-8")
    return path


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.2 (Gephi's own format); returns the path.

    GEXF has one weight per edge and no graph attributes; node and edge
    attributes are kept as GEXF attributes.
    """
    path = Path(path)
    H = export_safe(G)
    H.graph.clear()
    for _, data in H.nodes(data=True):
        data.pop("label", None)  # GEXF has its own label: set below from ours
    for n, label in G.nodes(data="label"):
        if label is not None:
            H.nodes[n]["label"] = str(label)
    nx.write_gexf(H, path, encoding="utf-8", version="1.2draft")
    return path


def _cell(value, *, array: bool = False) -> str:
    if value is None:
        return ""
    if array and isinstance(value, (list, tuple, set)):
        return ";".join(str(v).replace(";", ",") for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def write_csv(G: nx.Graph, folder: str | Path) -> tuple[Path, Path]:
    """Write ``folder/nodes.csv`` and ``folder/edges.csv``; returns both paths.

    UTF-8, comma-separated, a header row with ``neo4j-admin import`` types
    (``id:ID``, ``:LABEL`` is the node's type, ``:TYPE`` the relation in upper
    case, ``aliases:string[]`` split on ``;``). Values that contain commas,
    quotes or newlines (evidence sentences) are quoted as RFC 4180 says; give
    ``neo4j-admin import`` the option ``--multiline-fields=true`` for them.

    >>> import tempfile, csv
    >>> from graph.network import example_graph
    >>> nodes, edges = write_csv(example_graph(), tempfile.mkdtemp())
    >>> next(csv.reader(open(edges, encoding="utf-8")))[:3]
    [':START_ID', ':END_ID', ':TYPE']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    arrays = {name for name, header in NODE_COLUMNS if header.endswith("[]")}
    with open(nodes_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([header for _, header in NODE_COLUMNS])
        for n, d in G.nodes(data=True):
            row = {**d, "id": n}
            w.writerow([_cell(row.get(name), array=name in arrays) for name, _ in NODE_COLUMNS])
    with open(edges_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([header for _, header in EDGE_COLUMNS])
        for u, v, d in G.edges(data=True):
            relation = str(d.get("relation") or "related")
            row = {
                **d,
                "source": u,
                "target": v,
                "type": relation.upper().replace(" ", "_"),
                "former": bool(d.get("former")),
                "sources": len(d.get("sources") or []),
            }
            w.writerow([_cell(row.get(name)) for name, _ in EDGE_COLUMNS])
    return nodes_path, edges_path
