"""Choosing the nodes: the focus and its neighbourhood, and a cap that keeps every type's share."""

from __future__ import annotations

import difflib
from collections import deque
from dataclasses import dataclass

from graph.view.model import _text, _type_order


def _find_focus(G, focus):
    """Return the nodes whose IRI is ``focus`` or whose label/alias matches it."""
    if focus in G:
        return [focus]
    wanted = focus.strip().casefold()
    found = [n for n, d in G.nodes(data=True) if wanted in _names(d)]
    if not found:
        labels = [str(d.get("label", n)) for n, d in G.nodes(data=True)]
        close = difflib.get_close_matches(focus, labels, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"unknown focus {focus!r}: no node has that IRI, label or alias{hint}")
    return found


def _names(d):
    """The casefolded label and aliases of a node's attributes."""
    return {str(s).strip().casefold() for s in [d.get("label", ""), *(d.get("aliases") or [])]}


def _distances(G, centers, depth):
    """Hops from the nearest of ``centers``, ignoring edge direction."""
    dist = {c: 0 for c in centers}
    queue = deque(centers)
    while queue:
        n = queue.popleft()
        if dist[n] == depth:
            continue
        for m in (*G.succ[n], *G.pred[n]):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    return dist


def _select(G, focus, depth, max_nodes):
    """The nodes to show, most important first, and a :class:`_Omitted` saying what was left out.

    When more than ``max_nodes`` nodes qualify, every type keeps the same share
    of its nodes (largest remainders), nearest the focus then most connected
    first: a cap never drops a whole type because its nodes have few links.
    """
    centers = [] if focus is None else _find_focus(G, focus)
    dist = dict.fromkeys(G, 0) if focus is None else _distances(G, centers, depth)
    ranked = sorted(dist, key=lambda n: (dist[n], -G.degree(n), str(n)))
    by_type = {}
    for n in ranked:
        by_type.setdefault(_text(G.nodes[n].get("type")), []).append(n)
    if len(ranked) <= max_nodes:
        keep = ranked
    else:
        share = {t: max_nodes * len(ns) / len(ranked) for t, ns in by_type.items()}
        quota = {t: int(x) for t, x in share.items()}
        for t in sorted(share, key=lambda t: (quota[t] - share[t], str(t)))[: max_nodes - sum(quota.values())]:
            quota[t] += 1
        chosen = {n for t, ns in by_type.items() for n in ns[: quota[t]]}
        chosen.update(centers)
        keep = [n for n in ranked if n in chosen][:max_nodes]
    kept = set(keep)
    per_type = [
        (t or "Other", sum(1 for n in ns if n in kept), len(ns))
        for t, ns in sorted(by_type.items(), key=lambda kv: _type_order(kv[0]))
    ]
    omitted = _Omitted([_label_of(G, c) for c in centers], depth, len(dist), max_nodes, per_type, G.number_of_nodes())
    return keep, omitted


def _label_of(G, n):
    return _text(G.nodes[n].get("label")) or str(n)


@dataclass(frozen=True)
class _Omitted:
    """What the selection left out, and why (for the page's note and the CLI)."""

    centers: list
    depth: int
    candidates: int
    max_nodes: int
    per_type: list  # (type, kept, candidates)
    total: int

    def notes(self):
        """Plain sentences for the page.

        >>> _Omitted(["Apple"], 1, 3, 2, [("Person", 1, 2), ("Organization", 1, 1)], 10).notes()[0]
        'Around Apple: the 3 nodes within 1 hop (7 other nodes of the graph left out; --depth widens).'
        """
        out = []
        if self.centers:
            names = ", ".join(self.centers[:3]) + (" \u2026" if len(self.centers) > 3 else "")
            hops = "hop" if self.depth == 1 else "hops"
            out.append(
                f"Around {names}: the {self.candidates:,} nodes within {self.depth} {hops} "
                f"({self.total - self.candidates:,} other nodes of the graph left out; "
                "--depth widens)."
            )
        kept = sum(k for _, k, _ in self.per_type)
        if kept < self.candidates:
            parts = ", ".join(f"{t} {k:,} of {c:,}" for t, k, c in self.per_type)
            out.append(
                f"Left out {self.candidates - kept:,} of {self.candidates:,} nodes to stay "
                f"within max_nodes={self.max_nodes:,}: each type keeps the same share, "
                f"its most connected first ({parts}). Raise --max-nodes (max_nodes= "
                "in the address) or use --focus to see the rest."
            )
        return out
