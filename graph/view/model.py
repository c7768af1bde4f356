"""What a view is made of: the limits, the looks of node types and relations, the ``_View`` record,
and the small helpers every part uses to print values."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: Above this many nodes, positions are computed in Python and physics is off.
PHYSICS_MAX_NODES = 300

#: Above this many nodes, the page opens on communities drawn as groups.
GROUP_ABOVE = 500

#: Shown at most, by default (each type keeps the same share when more qualify).
MAX_NODES = 5000

#: Node type -> (fill, border, vis-network shape). Unknown types use ``None``.
NODE_STYLES = {
    "Person": ("#a9c8ea", "#2f6aa8", "dot"),
    "Organization": ("#ffd8ae", "#d9731a", "box"),
    "Product": ("#b5dfa9", "#3f8a35", "triangle"),
    "Deal": ("#f7b3b4", "#c4393c", "diamond"),
    None: ("#d9d9d9", "#7a7a7a", "dot"),
}

#: Relation -> edge colour, by family (roles, ownership, deals, products).
_ROLE, _OWN, _DEAL, _MAKE = "#6b7f99", "#8d6e63", "#c4393c", "#3f8a35"
RELATION_COLORS = {
    "ceo_of": _ROLE,
    "founder_of": _ROLE,
    "chair_of": _ROLE,
    "executive_of": _ROLE,
    "board_member_of": _ROLE,
    "works_for": _ROLE,
    "subsidiary_of": _OWN,
    "acquired": _DEAL,
    "invested_in": _DEAL,
    "deal_with": _DEAL,
    "party": _DEAL,
    "acquirer": _DEAL,
    "target": _DEAL,
    "investor": _DEAL,
    "investee": _DEAL,
    "launched": _MAKE,
    "offers": _MAKE,
}
_SYMMETRIC = {"deal_with"}
_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|%|vh|em|rem)$")
_MAX_LABEL, _MAX_EVIDENCE, _MAX_TIP_ITEMS = 48, 280, 3
_ARTICLE_KEYS = ("title", "published", "url", "publisher")
_MIN_GROUP, _POOL_SIZE = 8, 150
_DEAL_RELATIONS = {"acquired", "invested_in", "deal_with"}
_DEAL_ROLES = {"party", "acquirer", "target", "investor", "investee"}
_FOCUS_BORDER = "#e8590c"


@dataclass(frozen=True)
class _View:
    """What both the pyvis network and the HTML page are made of."""

    nodes: list
    edges: list
    options: dict
    articles: dict
    title: str
    total_nodes: int
    total_edges: int
    physics: bool
    groups: list
    group_edges: list
    notes: list
    drawn_edges: int


def _type_order(kind):
    order = list(NODE_STYLES)
    return (order.index(kind), "") if kind in order else (len(order), str(kind))


def _text(value):
    """``value`` as a string, or None when missing."""
    return None if value is None or value == "" else str(value)


def _number(value):
    """``value`` as a finite float, or None."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _short(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
