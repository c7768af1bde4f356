"""The corrections applied to a networkx projection (:func:`graph.network.to_networkx`)."""

from __future__ import annotations

from graph.curation.state import Curation
from graph.ns import DG, relation_from_property


def curate_networkx(G, st: Curation) -> None:
    """Apply the corrections to a graph from :func:`graph.network.to_networkx`, in place.

    Merged entities become one node (the canonical one; the others' names join
    its ``aliases``, their edges move to it), aliases are added, and retracted
    facts, their deals and entities left with no fact are dropped. On a graph
    projected from an embedded store (already curated) this changes nothing.
    """
    if st.empty:
        return
    nodes = G.nodes
    for a in sorted(st.merged):
        c = st.canonical(a)
        if a not in G:
            continue
        if c not in G:
            G.add_node(c, **dict(nodes[a]))
        data = nodes[c]
        data["aliases"] = sorted(
            set(data.get("aliases", []))
            | set(nodes[a].get("aliases", []))
            | {nodes[a].get("label")} - {data.get("label"), None}
        )
        data["articles"] = sorted(set(data.get("articles", [])) | set(nodes[a].get("articles", [])))
        for _, v, k, d in list(G.out_edges(a, keys=True, data=True)):
            _move_edge(G, c, c if v == a else v, k, d)
        for u, _, k, d in list(G.in_edges(a, keys=True, data=True)):
            if u != a:
                _move_edge(G, u, c, k, d)
        G.remove_node(a)
    for e, ns in st.aliases.items():
        c = st.canonical(e)
        if c in G:
            nodes[c]["aliases"] = sorted(set(nodes[c].get("aliases", [])) | (set(ns) - {nodes[c].get("label")}))
    ends = set()
    for _f, (s, p, o, article, deal) in st.retracted.items():
        s, o = st.canonical(s), st.canonical(o)
        ends |= {s, o}
        relation = relation_from_property(p)
        if deal and deal in G:
            G.remove_node(deal)
        for key in (relation, f"former {relation}"):
            for u, v in ((s, o), (o, s)) if p == str(DG.dealWith) else ((s, o),):
                if G.has_edge(u, v, key):
                    d = G.edges[u, v, key]
                    d["sources"] = [x for x in d.get("sources", []) if x.get("article") != article]
                    if not d["sources"]:
                        G.remove_edge(u, v, key)
                    elif d.get("article") == article:
                        best = max(d["sources"], key=lambda x: x["confidence"])
                        d.update(
                            evidence=best["evidence"],
                            article=best["article"],
                            article_title=best["article_title"],
                            confidence=best["confidence"],
                        )
    for e in ends:
        if e in G and G.degree(e) == 0:
            G.remove_node(e)


def _move_edge(G, u, v, key, data) -> None:
    if u == v:
        return
    if G.has_edge(u, v, key):
        d = G.edges[u, v, key]
        seen = {(x.get("article"), x.get("evidence")) for x in d.get("sources", [])}
        d.setdefault("sources", []).extend(
            x for x in data.get("sources", []) if (x.get("article"), x.get("evidence")) not in seen
        )
        return
    G.add_edge(u, v, key=key, **data)
