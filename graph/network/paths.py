"""Paths and neighbourhoods: the shortest connection between two entities, hop by hop with its evidence, and ego networks.

Passing through a deal node counts as one hop, as the relation it stands for would.
"""

from __future__ import annotations

import math
import re
from collections import deque

import networkx as nx

from graph.network.lookup import _label, find_entity
from graph.network.projection import RELATION_LABELS


def _neighbours(G: nx.MultiDiGraph, n):
    yield from G.succ[n]
    yield from G.pred[n]


def _hops_from(G: nx.MultiDiGraph, start, *, stop=None, limit=None):
    """0-1 breadth-first search ignoring direction, where leaving a deal node costs nothing.

    Returns (distance, parent) dicts; stops early once ``stop`` is settled and
    does not go beyond ``limit`` hops.
    """
    deal = {n for n, t in G.nodes(data="type") if t == "Deal"} if G.number_of_nodes() else set()
    dist, parent = {start: 0}, {start: None}
    queue, done = deque([start]), set()
    while queue:
        u = queue.popleft()
        if u in done:
            continue
        done.add(u)
        if u == stop:
            break
        for v in _neighbours(G, u):
            w = 0 if (u in deal and u != start) else 1
            d = dist[u] + w
            if (limit is not None and d > limit) or d >= dist.get(v, math.inf):
                continue
            dist[v], parent[v] = d, u
            if w == 0:
                queue.appendleft(v)
            else:
                queue.append(v)
    return dist, parent


def _best_edge(G: nx.MultiDiGraph, u, v) -> tuple[dict, bool, list[str]]:
    """The most confident relation between u and v (either direction), whether it runs u -> v, all relations."""
    options = [(d, True) for d in (G.succ[u].get(v) or {}).values()]
    options += [(d, False) for d in (G.succ[v].get(u) or {}).values()]
    options.sort(key=lambda o: (-(o[0].get("confidence") or 0), not o[1], str(o[0].get("relation"))))
    return options[0][0], options[0][1], [str(d.get("relation")) for d, _ in options]


def _published(G, article) -> str | None:
    return ((G.graph.get("articles") or {}).get(article) or {}).get("published")


def _deal_info(G, deal) -> dict:
    d = G.nodes[deal]
    return {
        "iri": deal,
        "label": d.get("label"),
        "deal_type": d.get("deal_type"),
        "status": d.get("status"),
        "date": d.get("date"),
        "value": d.get("value"),
        "currency": d.get("currency"),
    }


def _edge_hop(G, u, v) -> dict:
    d, forward, relations = _best_edge(G, u, v)
    article = d.get("article")
    return {
        "source": u,
        "source_label": _label(G, u),
        "target": v,
        "target_label": _label(G, v),
        "relation": d.get("relation"),
        "label": d.get("label") or str(d.get("relation")).replace("_", " "),
        "forward": forward,
        "evidence": d.get("evidence"),
        "article": article,
        "article_title": d.get("article_title"),
        "published": _published(G, article),
        "date": d.get("date"),
        "confidence": d.get("confidence"),
        "relations": relations,
        "deal": None,
    }


def _deal_hop(G, u, deal, v) -> dict:
    roles_u = set(G.succ[deal].get(u) or {})
    roles_v = set(G.succ[deal].get(v) or {})
    info = _deal_info(G, deal)
    forward = True
    if {"acquirer", "target"} & (roles_u | roles_v):
        relation, forward = "acquired", "target" in roles_v or "acquirer" in roles_u
    elif {"investor", "investee"} & (roles_u | roles_v):
        relation, forward = "invested_in", "investee" in roles_v or "investor" in roles_u
    else:
        relation = "deal_with"
    d = G.nodes[deal]
    article = (d.get("articles") or [None])[0]
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", d.get("deal_type") or "deal").lower()
    label = RELATION_LABELS[relation] if relation != "deal_with" else f"{kind} with"
    return {
        "source": u,
        "source_label": _label(G, u),
        "target": v,
        "target_label": _label(G, v),
        "relation": relation,
        "label": label,
        "forward": forward,
        "evidence": d.get("evidence"),
        "article": article,
        "article_title": d.get("article_title"),
        "published": _published(G, article),
        "date": d.get("date"),
        "confidence": d.get("confidence"),
        "relations": [relation],
        "deal": info,
    }


def shortest_path(G: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """The shortest connection between two entities, hop by hop, each with its evidence.

    Relations are followed in either direction; a deal links its parties in one
    hop (``Alibaba Group -partnership with-> Starbucks``, the deal in
    ``hop["deal"]``). Between two nodes with several relations, the most
    confident one explains the hop. Linear in the size of the graph.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As :func:`to_networkx` makes it (the evidence lives on its edges).
    source, target : str
        Labels, aliases or IRIs (see :func:`find_entity`).

    Returns
    -------
    list of dict
        One per hop: ``source``, ``source_label``, ``target``, ``target_label``,
        ``relation``, ``label``, ``forward`` (False when the stored relation
        points back, as in ``Apple <-CEO of- Tim Cook``), ``evidence``,
        ``article``, ``article_title``, ``published``, ``date``,
        ``confidence``, ``relations`` (every relation between the two) and
        ``deal`` (the deal's details for a hop through a deal, else None).
        Empty when source and target are the same node.

    Raises
    ------
    ValueError
        When a name matches no node (with suggestions) or several.
    networkx.NetworkXNoPath
        When the two are not connected.

    See Also
    --------
    path_text, explain_path

    Examples
    --------
    >>> from graph.network import example_graph, shortest_path
    >>> hops = shortest_path(example_graph(), "Jack Ma", "Apple Pay")
    >>> [(h["source_label"], h["label"], h["target_label"]) for h in hops]
    [('Jack Ma', 'CEO of', 'Alibaba Group'), ('Alibaba Group', 'deal with', 'Apple'), ('Apple', 'launched', 'Apple Pay')]
    >>> hops[0]["evidence"]
    'Jack Ma, CEO of the Alibaba Group, said he wants to work with Apple.'
    """
    s, t = find_entity(G, source), find_entity(G, target)
    if not G.is_directed() or not G.is_multigraph():
        raise ValueError("shortest_path needs the MultiDiGraph of to_networkx (the evidence is on its edges)")
    if s == t:
        return []
    dist, parent = _hops_from(G, s, stop=t)
    if t not in dist:
        raise nx.NetworkXNoPath(f"no connection between {_label(G, s)} and {_label(G, t)}")
    path = [t]
    while path[-1] != s:
        path.append(parent[path[-1]])
    path.reverse()
    hops, i = [], 0
    while i < len(path) - 1:
        mid = path[i + 1]
        if G.nodes[mid].get("type") == "Deal" and i + 2 < len(path):  # party -> deal -> party: one hop
            hops.append(_deal_hop(G, path[i], mid, path[i + 2]))
            i += 2
        else:
            hops.append(_edge_hop(G, path[i], mid))
            i += 1
    return hops


def path_text(hops: list[dict]) -> str:
    """A path as one line: ``Jack Ma -CEO of-> Alibaba Group -deal with-> Apple <-CEO of- Tim Cook``.

    Parameters
    ----------
    hops : list of dict
        As :func:`shortest_path` returns them.

    Returns
    -------
    str

    Examples
    --------
    >>> from graph.network import example_graph, shortest_path
    >>> path_text(shortest_path(example_graph(), "Taobao.com", "Lions Gate Entertainment"))
    'Taobao.com -subsidiary of-> Alibaba Group -deal with-> Lions Gate Entertainment'
    >>> path_text([])
    ''
    """
    if not hops:
        return ""
    parts = [hops[0]["source_label"]]
    for h in hops:
        parts.append(f"-{h['label']}->" if h["forward"] else f"<-{h['label']}-")
        parts.append(h["target_label"])
    return " ".join(parts)


def explain_path(hops: list[dict]) -> str:
    """A path with the evidence of each hop: the sentence, the article and its date.

    Parameters
    ----------
    hops : list of dict
        As :func:`shortest_path` returns them.

    Returns
    -------
    str
        The :func:`path_text` line, then one numbered block per hop.

    Examples
    --------
    >>> from graph.network import example_graph, shortest_path
    >>> print(explain_path(shortest_path(example_graph(), "Jack Ma", "Apple")))
    Jack Ma -CEO of-> Alibaba Group -deal with-> Apple
    1. Jack Ma -CEO of-> Alibaba Group
       "Jack Ma, CEO of the Alibaba Group, said he wants to work with Apple."
       -- Jack Ma to work with Apple on online payments (2014-10-29)
    2. Alibaba Group -deal with-> Apple
       "Jack Ma intends to work with Apple on a digital wallet business."
       -- Jack Ma to work with Apple on online payments (2014-10-29)
    """
    lines = [path_text(hops)]
    for i, h in enumerate(hops, 1):
        lines.append(f"{i}. {path_text([h])}")
        if h["deal"]:
            deal = h["deal"]
            lines.append("   deal: " + ", ".join(str(x) for x in (deal["label"], deal["status"], deal["date"]) if x))
        if h["evidence"]:
            lines.append(f'   "{" ".join(str(h["evidence"]).split())}"')
        cite = h["article_title"] or h["article"]
        if cite:
            lines.append(f"   -- {cite}" + (f" ({h['published']})" if h["published"] else ""))
    return "\n".join(lines)


def ego_network(G: nx.MultiDiGraph, entity: str, *, depth: int = 1) -> nx.MultiDiGraph:
    """Everything within ``depth`` hops of an entity, with every relation among them.

    Hops ignore direction and a deal links its parties in one hop (the deal
    node comes along). Nodes get a ``hops`` attribute; ``graph["center"]`` is
    the entity.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        As :func:`to_networkx` makes it.
    entity : str
        Label, alias or IRI (see :func:`find_entity`).
    depth : int, optional
        Hops (default 1; 0 is the entity alone).

    Returns
    -------
    networkx.MultiDiGraph
        The induced subgraph (a copy), in the same shape as ``G``.

    Raises
    ------
    ValueError
        For an unknown entity or a negative depth.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> E = ego_network(example_graph(), "Tim Cook", depth=1)
    >>> sorted(d["label"] for _, d in E.nodes(data=True))
    ['Apple', 'Tim Cook']
    >>> E2 = ego_network(example_graph(), "Apple", depth=1)
    >>> sorted(d["label"] for _, d in E2.nodes(data=True) if d["hops"] == 1 and d["type"] != "Deal")
    ['Alibaba Group', 'Apple Pay', 'Eddy Cue', 'Tim Cook']
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    center = find_entity(G, entity)
    dist, _ = _hops_from(G, center, limit=depth)
    E = G.subgraph(dist).copy()
    for n, d in dist.items():
        E.nodes[n]["hops"] = d
    E.graph["center"] = center
    return E
