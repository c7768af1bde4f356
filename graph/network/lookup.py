"""Finding an entity node by its label, an alias or its IRI.

>>> from graph.network import example_graph
>>> find_entity(example_graph(), "Jack Ma")
'https://w3id.org/dealgraph/id/person/jack-ma'
"""

from __future__ import annotations

import difflib

import networkx as nx


def _names(d: dict) -> set[str]:
    return {str(s).strip().casefold() for s in [d.get("label") or "", *(d.get("aliases") or [])] if str(s).strip()}


def _label(G, n) -> str:
    return str(G.nodes[n].get("label") or n)


def find_entity(G: nx.Graph, name: str) -> str:
    """The node named ``name``: its IRI, its label or one of its aliases (any case).

    A label match wins over an alias match; a name that fits several nodes
    equally is an error (give the IRI then).

    Parameters
    ----------
    G : networkx graph
        Nodes with ``label`` and ``aliases`` attributes, as :func:`to_networkx` makes.
    name : str

    Returns
    -------
    str
        The node (an IRI).

    Raises
    ------
    ValueError
        When no node has that name (the message suggests close names) or several do.

    Examples
    --------
    >>> from graph.network import example_graph
    >>> G = example_graph()
    >>> find_entity(G, "alibaba")
    'https://w3id.org/dealgraph/id/org/alibaba'
    >>> find_entity(G, "Tim Cok")
    Traceback (most recent call last):
    ValueError: unknown entity 'Tim Cok': no node has that IRI, label or alias; did you mean 'Tim Cook'?
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"entity must be a non-empty name or IRI, got {name!r}")
    if name in G:
        return name
    wanted = name.strip().casefold()
    by_label, by_alias = [], []
    for n, d in G.nodes(data=True):
        if str(d.get("label") or "").strip().casefold() == wanted:
            by_label.append(n)
        elif wanted in _names(d):
            by_alias.append(n)
    found = by_label or by_alias
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{_label(G, n)} <{n}>" for n in sorted(found)[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise ValueError(f"ambiguous entity {name!r}: it names {listed}{more}; give the IRI")
    labels = {str(d.get("label")): None for _, d in G.nodes(data=True) if d.get("label")}
    close = difflib.get_close_matches(name.strip(), list(labels), n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.strip().casefold(), [str(x).casefold() for x in labels], n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"unknown entity {name!r}: no node has that IRI, label or alias{hint}")
