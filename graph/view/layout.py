"""Layout: positions computed here for large graphs (community by community), groups, vis-network options."""

from __future__ import annotations

import math

import networkx as nx

from graph.view.model import _MAX_LABEL, _MIN_GROUP, _POOL_SIZE, _short, _type_order


def _force_layout(n, pairs, *, seed=7, iterations=60, gravity=0.0):
    """Fruchterman-Reingold positions (an ``(n, 2)`` array), exact and deterministic.

    networkx's ``spring_layout`` needs SciPy from 500 nodes on, and its dense
    solver holds n x n x 2 arrays; this one works in float32 row blocks, so
    memory stays near 10 MB (5,000 nodes: about 2.5 s).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    x, y = rng.random((2, n), dtype=np.float32)
    if n < 2 or not pairs:
        return np.column_stack([x, y])
    src, dst = (np.array(a, dtype=np.intp) for a in zip(*pairs))
    k2, k = np.float32(1.0 / n), math.sqrt(1.0 / n)
    block = max(1, 1_000_000 // n)
    fx, fy = np.empty(n, np.float32), np.empty(n, np.float32)
    for it in range(iterations):
        for s in range(0, n, block):
            dx = x[s : s + block, None] - x[None, :]
            dy = y[s : s + block, None] - y[None, :]
            d2 = dx * dx
            d2 += dy * dy
            np.maximum(d2, np.float32(1e-9), out=d2)
            np.divide(k2, d2, out=d2)
            fx[s : s + block] = np.einsum("ij,ij->i", dx, d2)
            fy[s : s + block] = np.einsum("ij,ij->i", dy, d2)
        ex, ey = x[src] - x[dst], y[src] - y[dst]
        pull = np.sqrt(ex * ex + ey * ey) / k
        np.subtract.at(fx, src, ex * pull)
        np.add.at(fx, dst, ex * pull)
        np.subtract.at(fy, src, ey * pull)
        np.add.at(fy, dst, ey * pull)
        if gravity:  # a pull to the centre keeps separate pieces from ringing the others
            fx -= gravity * (x - x.mean())
            fy -= gravity * (y - y.mean())
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        move = np.minimum(length, 0.1 * (1 - it / (iterations + 1))) / length
        x += fx * move
        y += fy * move
    return np.column_stack([x, y])


def _unit_layout(n, pairs, gravity=5.0):
    """Force-directed positions of ``n`` nodes, centred and scaled into the unit disc."""
    import numpy as np

    pos = _force_layout(n, pairs, gravity=gravity) if n > 1 else np.zeros((n, 2), np.float32)
    pos = pos - pos.mean(0)
    radius = float(np.sqrt((pos * pos).sum(1)).max()) if n > 1 else 0.0
    return pos / radius if radius > 0 else pos


def _communities(nodes, pairs):
    """Louvain communities (seeded) of the shown nodes, as lists of indices, largest first.

    Communities smaller than ``_MIN_GROUP`` are pooled, most connected first,
    into "small groups" of up to ``_POOL_SIZE`` nodes, so that a graph of many
    small components still opens on a few dozen groups.
    """
    H = nx.Graph()
    H.add_nodes_from(range(len(nodes)))
    H.add_edges_from(pairs)
    found = nx.community.louvain_communities(H, seed=7)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    big = [c for c in found if len(c) >= _MIN_GROUP]
    small = [c for c in found if len(c) < _MIN_GROUP]
    pools, current = [], []
    for c in small:
        if len(current) + len(c) > _POOL_SIZE:
            pools.append(current)
            current = []
        current += c
    if current:
        pools.append(current)
    return [(c, False) for c in big] + [(c, True) for c in pools]


def _pack(centres, radii, rounds=500):
    """Push overlapping circles apart (deterministic); returns the new centres.

    >>> import numpy as np
    >>> c = _pack(np.zeros((2, 2)) + [[0, 0], [1, 0]], np.array([10.0, 10.0]))
    >>> bool(np.hypot(*(c[0] - c[1])) >= 20)
    True
    """
    import numpy as np

    c = centres.astype(np.float64).copy()
    gap = 30.0
    for _ in range(rounds):
        d = c[:, None, :] - c[None, :, :]
        dist = np.maximum(np.sqrt((d * d).sum(-1)), 1e-6)
        push = np.clip(radii[:, None] + radii[None, :] + gap - dist, 0, None)
        np.fill_diagonal(push, 0)
        if not push.any():
            break
        overlaps = np.maximum((push > 0).sum(1), 1)[:, None]
        c += 0.5 * ((d / dist[..., None]) * push[..., None]).sum(1) / overlaps
    return c


def _layout(nodes, edges):
    """Place the nodes (``x``/``y``) community by community; return the communities.

    Each community gets a disc of radius ``30 * sqrt(size)`` px laid out on its
    own; the discs are placed by a force layout of the community graph and
    pushed apart until none overlap. Returns ``[(indices, pooled, centre, radius)]``.
    """
    import numpy as np

    index = {item["id"]: i for i, item in enumerate(nodes)}
    pairs = sorted({(index[e["from"]], index[e["to"]]) for e in edges if e["from"] != e["to"]})
    groups = _communities(nodes, pairs)
    member = np.empty(len(nodes), np.intp)
    for g, (members, _) in enumerate(groups):
        member[members] = g
    radii = np.array([30.0 * math.sqrt(len(m)) + 20 for m, _ in groups])
    meta = sorted({(min(a, b), max(a, b)) for a, b in ((member[u], member[v]) for u, v in pairs) if a != b})
    centres = _unit_layout(len(groups), meta, 3.0) * (1.2 * math.sqrt(float((radii**2).sum())))
    centres = _pack(centres, radii)
    out = []
    for g, (members, pooled) in enumerate(groups):
        local = {n: k for k, n in enumerate(members)}
        inner = [(local[u], local[v]) for u, v in pairs if u in local and v in local]
        pos = _unit_layout(len(members), inner) * (radii[g] - 20) + centres[g]
        for n, (x, y) in zip(members, pos):
            nodes[n]["x"], nodes[n]["y"] = round(float(x), 1), round(float(y), 1)
        out.append((members, pooled, (float(centres[g][0]), float(centres[g][1])), float(radii[g])))
    return out


def _group_items(G, nodes, edges, groups):
    """The page's group nodes and the edges that stand for links into closed groups."""
    of, items, group_ids = {}, [], set()
    taken = {item["id"] for item in nodes}
    for g, (members, pooled, (x, y), radius) in enumerate(groups):
        gid = f"group:{g}"
        while gid in taken:  # node ids are arbitrary strings
            gid += "'"
        group_ids.add(gid)
        ranked = sorted(members, key=lambda n: -nodes[n]["dg"]["degree"])
        named = [nodes[n]["dg"]["label"] for n in ranked if nodes[n]["dg"]["type"] != "Deal"][:3]
        named = named or [nodes[n]["dg"]["label"] for n in ranked[:3]]
        counts = {}
        for n in members:
            nodes[n]["dg"]["group"] = gid
            of[nodes[n]["id"]] = gid
            kind = nodes[n]["dg"]["type"] or "Other"
            counts[kind] = counts.get(kind, 0) + 1
        head = _short(", ".join(named[:2]), _MAX_LABEL)
        label = f"{head} +{len(members) - len(named[:2])}" if len(members) > len(named[:2]) else head
        what = "pool of small communities" if pooled else "community"
        tip = [
            f"A {what} of {len(members):,} nodes (click to open it)",
            ", ".join(f"{c:,} {t}" for t, c in sorted(counts.items(), key=lambda kv: _type_order(kv[0]))),
            "Most connected: " + ", ".join(_short(t, 40) for t in named),
        ]
        items.append(
            {
                "id": gid,
                "label": label,
                "shape": "dot",
                "x": round(x, 1),
                "y": round(y, 1),
                "size": round(max(14.0, 0.45 * radius), 1),
                "color": {
                    "background": "#e4e7eb",
                    "border": "#52606d",
                    "highlight": {"background": "#cbd2d9", "border": "#111111"},
                    "hover": {"background": "#cbd2d9", "border": "#111111"},
                },
                "borderWidth": 2,
                "title": "\n".join(tip),
                "dg": {
                    "kind": "group",
                    "label": label,
                    "size": len(members),
                    "counts": counts,
                    "radius": round(radius, 1),
                    "pooled": pooled,
                    "named": named,
                },
            }
        )
    links = {}
    for e in edges:
        a, b = of[e["from"]], of[e["to"]]
        if a == b:
            continue
        for key in ((a, b) if a < b else (b, a), (e["from"], b), (e["to"], a)):
            links[key] = links.get(key, 0) + 1
    group_edges = []
    for (a, b), count in sorted(links.items()):
        kind = "gg" if a in group_ids else "ng"
        group_edges.append(
            {
                "id": f"k{len(group_edges)}",
                "from": a,
                "to": b,
                "hidden": True,
                "width": round(1 + math.log2(count), 1) if kind == "gg" else 1,
                "color": {"color": "#9aa5b1", "highlight": "#111111", "hover": "#111111"},
                "arrows": {"to": {"enabled": False}},
                "dashes": kind == "ng",
                "title": f"{count:,} link(s)",
                "dg": {"kind": kind, "count": count},
            }
        )
    return items, group_edges


def _options(n, physics):
    """vis-network options: physics that stabilises, then stops, for small graphs."""
    font = {
        "face": "system-ui, -apple-system, 'Segoe UI', sans-serif",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
        "color": "#1f2933",
    }
    return {
        "autoResize": True,
        "nodes": {"font": font, "borderWidth": 1.5, "margin": 8},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {**font, "size": 11, "color": "#52606d", "align": "horizontal"},
            "smooth": {"enabled": physics, "type": "continuous"},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": n > 2000,
            "multiselect": False,
        },
        "layout": {"randomSeed": 7, "improvedLayout": n <= 100},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 800, "updateInterval": 50, "fit": True},
        },
    }
