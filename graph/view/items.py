"""Items: nodes and edges as vis-network items, with their tooltips and the details the page shows."""

from __future__ import annotations

import re

from graph.view.model import (
    _ARTICLE_KEYS,
    _DEAL_RELATIONS,
    _DEAL_ROLES,
    _MAX_EVIDENCE,
    _MAX_LABEL,
    _MAX_TIP_ITEMS,
    _SYMMETRIC,
    NODE_STYLES,
    RELATION_COLORS,
    _number,
    _short,
    _text,
)


def _node_item(G, n, importance, articles, compact):
    d = G.nodes[n]
    kind = _text(d.get("type"))
    fill, border, shape = NODE_STYLES.get(kind, NODE_STYLES[None])
    if compact and shape == "box":  # a box is as wide as its label, even zoomed out
        shape = "square"
    label = _text(d.get("label")) or str(n)
    shown = _deal_label(d) if kind == "Deal" else label
    aliases = [str(a) for a in d.get("aliases") or [] if str(a) != label]
    info = {
        "type": kind,
        "label": label,
        "iri": str(n),
        "aliases": aliases,
        "articles": [str(a) for a in d.get("articles") or []],
        "degree": G.degree(n),
    }
    if kind == "Deal":
        info.update({k: _text(d.get(k)) for k in ("deal_type", "status", "date", "currency")})
        info["value"] = _number(d.get("value"))
        info["evidence"] = _text(d.get("evidence"))
    return {
        "id": str(n),
        "label": _short(shown, _MAX_LABEL),
        "shape": shape,
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": fill, "border": "#111111"},
            "hover": {"background": fill, "border": "#111111"},
        },
        "size": round(10 + 22 * importance, 1),
        "font": {"size": round(13 + 9 * importance, 1)},
        "title": _node_tip(label, info, articles),
        "dg": info,
    }


def _deal_label(d):
    """A deal's short label: its kind and year ("Acquisition 2016"), drawn once on its node.

    >>> _deal_label({"deal_type": "Partnership", "date": "2014-10-27", "label": "A and B"})
    'Partnership 2014'
    >>> _deal_label({"label": "A and B: deal"})
    'Deal (undated)'
    >>> _deal_label({"deal_type": "JointVenture", "date": "2020"})
    'Joint venture 2020'
    """
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", _text(d.get("deal_type")) or "Deal").capitalize()
    year = re.match(r"\d{4}", _text(d.get("date")) or "")
    return f"{kind} {year.group(0)}" if year else f"{kind} (undated)"


def _node_tip(label, info, articles):
    kind = info["type"] or "Entity"
    if kind == "Deal":
        kind = " \u00b7 ".join(filter(None, [info.get("deal_type") or "Deal", info.get("status"), info.get("date")]))
    lines = [label, kind]
    if info["aliases"]:
        lines.append("Also known as: " + ", ".join(info["aliases"]))
    if info["articles"]:
        lines.append(f"Mentioned in {len(info['articles'])} article(s):")
        for a in info["articles"][:_MAX_TIP_ITEMS]:
            meta = articles.get(a) or {}
            lines.append("\u2022 " + _short(meta.get("title") or a, 90))
    return "\n".join(lines)


def _sources(d):
    """The edge's sources, or one made from its best evidence when it has none."""
    sources = [s for s in d.get("sources") or [] if isinstance(s, dict)]
    if not sources and (d.get("evidence") or d.get("article")):
        sources = [{k: d.get(k) for k in ("article", "article_title", "evidence", "confidence")}]
    keys = ("article", "article_title", "published", "evidence")
    return [{**{k: _text(s.get(k)) for k in keys}, "confidence": _number(s.get("confidence"))} for s in sources]


def _edge_item(G, u, v, key, d, i):
    relation = _text(d.get("relation")) or str(key)
    label = _text(d.get("label")) or relation.replace("_", " ")
    info = {
        "relation": relation,
        "label": label,
        "title": _text(d.get("title")),
        "date": _text(d.get("date")),
        "confidence": _number(d.get("confidence")),
        "sources": _sources(d),
    }
    ends = (_text(G.nodes[u].get("label")) or str(u), _text(G.nodes[v].get("label")) or str(v))
    item = {
        "id": f"e{i}",
        "from": str(u),
        "to": str(v),
        "label": "" if relation == "party" else _short(label, 32),
        "color": {"color": RELATION_COLORS.get(relation, "#8a8a8a"), "highlight": "#111111", "hover": "#111111"},
        "width": 1 + 0.5 * min(len(info["sources"]), 4),
        "title": _edge_tip(ends, info),
        "dg": info,
    }
    if relation in _SYMMETRIC:
        item["arrows"] = {"to": {"enabled": False}}
    return item


def _edge_tip(ends, info):
    head = f"{ends[0]} \u2014 {info['label']} \u2192 {ends[1]}"
    lines = [head, " \u00b7 ".join(filter(None, [info["title"], info["date"]]))]
    for s in info["sources"][:_MAX_TIP_ITEMS]:
        if s["evidence"]:
            lines.append("\u201c" + _short(s["evidence"], _MAX_EVIDENCE) + "\u201d")
        cite = ", ".join(filter(None, [s["article_title"] or s["article"], s["published"]]))
        if cite:
            lines.append("   \u2014 " + _short(cite, 120))
    extra = len(info["sources"]) - _MAX_TIP_ITEMS
    if extra > 0:
        lines.append(f"(+{extra} more source(s))")
    return "\n".join(line for line in lines if line)


def _curve_parallel(edges):
    """Bend edges that share both ends so they do not draw on top of each other."""
    groups = {}
    for e in edges:
        groups.setdefault(frozenset((e["from"], e["to"])), []).append(e)
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0]["from"]
        for k, e in enumerate(group):
            kind = "curvedCW" if e["from"] == first else "curvedCCW"
            e["smooth"] = {"enabled": True, "type": kind, "roundness": round(0.18 * k, 2)}


def _edges(G, keep):
    """Edge items for every edge of ``G`` between two kept nodes.

    A deal is drawn once: a direct ``acquired`` / ``invested_in`` /
    ``deal_with`` edge between two parties of a shown deal node is hidden
    (``dg.deals`` names the deals; the page shows it again when deals are
    filtered out).
    """
    kept = set(keep)
    triples = ((u, v, key, d) for u in keep for v, keyed in G.succ[u].items() if v in kept for key, d in keyed.items())
    edges = [_edge_item(G, u, v, key, d, i) for i, (u, v, key, d) in enumerate(triples)]
    pair_deals = {}
    for n in keep:
        if G.nodes[n].get("type") != "Deal":
            continue
        parties = sorted(
            {
                str(v)
                for v, keyed in G.succ[n].items()
                if v in kept and v != n
                for key, d in keyed.items()
                if (d.get("relation") or key) in _DEAL_ROLES
            }
        )
        for a in parties:
            for b in parties:
                if a < b:
                    pair_deals.setdefault((a, b), []).append(str(n))
    for e in edges:
        if e["dg"]["relation"] in _DEAL_RELATIONS:
            deals = pair_deals.get(tuple(sorted((e["from"], e["to"]))))
            if deals:
                e["hidden"], e["dg"]["deals"] = True, deals
    _curve_parallel([e for e in edges if not e.get("hidden")])
    return edges


def _articles(G, nodes, edges):
    """The metadata of the articles that the shown nodes and edges cite."""
    known = G.graph.get("articles") or {}
    used = {a for item in nodes for a in item["dg"]["articles"]}
    used |= {s["article"] for e in edges for s in e["dg"]["sources"] if s["article"]}
    return {
        a: {k: _text(known[a].get(k)) for k in _ARTICLE_KEYS} for a in sorted(used) if isinstance(known.get(a), dict)
    }
