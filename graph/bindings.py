"""Bind SPARQL variables to values in the query text, once, where the query uses them.

Saved questions have parameters (``?company``); dealgraph binds them with a
``VALUES`` block, which every SPARQL 1.1 engine understands (pyoxigraph's own
``substitutions`` binds projected variables only). Each variable is bound in
the innermost ``WHERE { ... }`` group that holds all its uses: a subquery sees
only the variables it binds itself, so a parameter used inside a subquery is
bound there, and a parameter is never bound twice (two copies invite editing
one and not the other, and make some engines, Virtuoso 7, search without end).
A subquery's projection list (``SELECT ?company ...``) is not a use.

>>> print(bind_values("SELECT ?x WHERE { ?x ?p ?company }", {"company": '"Apple"'}))
SELECT ?x WHERE { VALUES (?company) { ("Apple") } ?x ?p ?company }
>>> print(bind_values('SELECT ?x WHERE {  # not "?company" here\\n { SELECT ?x WHERE { ?x ?p ?company } } }',
...                   {"company": '"Apple"'}))
SELECT ?x WHERE {  # not "?company" here
 { SELECT ?x WHERE { VALUES (?company) { ("Apple") } ?x ?p ?company } } }
>>> print(bind_values(
...     "SELECT ?f WHERE { { SELECT ?o ?n WHERE { ?o rdfs:label ?n FILTER(?n = ?company) } } ?f rdf:object ?o }",
...     {"company": '"Apple"'}))
SELECT ?f WHERE { { SELECT ?o ?n WHERE { VALUES (?company) { ("Apple") } ?o rdfs:label ?n FILTER(?n = ?company) } } ?f rdf:object ?o }
"""

from __future__ import annotations

import re

__all__ = ["bind_values", "where_groups", "in_graph"]

_WHERE = re.compile(r"\bWHERE\s*\{", re.I)
_PROJECTION = re.compile(r"\bSELECT\b.*?\bWHERE\b", re.I | re.S)


def _mask(sparql: str) -> str:
    """``sparql`` with its strings, IRIs and comments blanked (same length), so that braces
    and variable names inside them are not taken for the query's own."""
    out = list(sparql)
    i = 0
    while i < len(sparql):
        c = sparql[i]
        end = i
        if c in "\"'":  # a string, to its closing quote
            end = i + 1
            while end < len(sparql) and sparql[end] != c:
                end += 2 if sparql[end] == "\\" else 1
        elif c == "<" and (m := _IRI.match(sparql, i)):
            end = m.end() - 1
        elif c == "#":
            end = sparql.find("\n", i)
            end = len(sparql) - 1 if end < 0 else end - 1
        if end > i:
            for j in range(i + 1, min(end, len(sparql) - 1) + (1 if c == "#" else 0)):
                out[j] = " "
            i = end
        i += 1
    return "".join(out)


_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")


def where_groups(sparql: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the body of every ``WHERE { ... }``, subqueries included.

    Braces inside string literals, IRIs and comments do not count.

    >>> where_groups('SELECT * WHERE { ?s ?p "}" }')
    [(16, 27)]
    """
    masked = _mask(sparql)
    out = []
    for m in _WHERE.finditer(masked):
        depth, i = 1, m.end()
        while i < len(masked) and depth:
            depth += {"{": 1, "}": -1}.get(masked[i], 0)
            i += 1
        out.append((m.end(), i - 1))
    return out


def bind_values(sparql: str, values: dict[str, str]) -> str:
    """``sparql`` with each variable of ``values`` bound by a ``VALUES`` block; values are SPARQL terms.

    A query with no ``WHERE`` gets the blocks after its first ``{``; one with
    no group at all raises ``ValueError``.

    >>> print(bind_values("SELECT ?x { ?x a ?t }", {"t": "<urn:T>"}))
    SELECT ?x { VALUES (?t) { (<urn:T>) } ?x a ?t }
    >>> bind_values("DESCRIBE ?x", {"x": "<urn:x>"})
    Traceback (most recent call last):
    ...
    ValueError: cannot bind parameters: the query has no WHERE clause
    """
    masked = _mask(sparql)
    groups = where_groups(sparql)
    if not groups:
        m = re.search(r"\{", masked)
        if m is None:
            raise ValueError("cannot bind parameters: the query has no WHERE clause")
        groups = [(m.end(), len(sparql))]
    projections = [m.span() for m in _PROJECTION.finditer(masked)]
    blocks: dict[int, list[tuple[str, str]]] = {}
    for name, term in values.items():
        name = name.lstrip("?$")
        uses = [
            m.start()
            for m in re.finditer(rf"[?$]{re.escape(name)}\b", masked)
            if not any(a <= m.start() < b for a, b in projections)
        ]
        holding = [g for g in groups if all(g[0] <= u <= g[1] for u in uses)] or groups[:1]
        start = min(holding, key=lambda g: g[1] - g[0])[0]
        blocks.setdefault(start, []).append((name, term))
    for start in sorted(blocks, reverse=True):
        names = " ".join(f"?{n}" for n, _ in blocks[start])
        terms = " ".join(t for _, t in blocks[start])
        sparql = sparql[:start] + f" VALUES ({names}) {{ ({terms}) }}" + sparql[start:]
    return sparql


_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.I)
_DATASET = re.compile(r"\bFROM\b", re.I)


def in_graph(sparql: str, iri: str) -> str:
    """``sparql`` with its WHERE clause evaluated in the named graph ``iri`` (``GRAPH <iri> { ... }``).

    What the remote store does to read its curated graph (``graph.curation``):
    the patterns of the query, its subqueries included, match that graph, and a
    ``GRAPH ?g`` inside still ranges over the named graphs. A query that names
    its own dataset (``FROM``), a ``DESCRIBE`` without a WHERE clause, or text
    that is not a query is left as it is.

    >>> print(in_graph("SELECT ?s WHERE { ?s ?p '}' } LIMIT 1", "urn:c"))
    SELECT ?s WHERE { GRAPH <urn:c> { ?s ?p '}' } } LIMIT 1
    >>> print(in_graph("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "urn:c"))
    CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:c> { ?s ?p ?o } }
    >>> print(in_graph("CONSTRUCT WHERE { ?s ?p ?o }", "urn:c"))
    CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:c> { ?s ?p ?o } }
    >>> in_graph("SELECT * FROM <urn:a> WHERE { ?s ?p ?o }", "urn:c")
    'SELECT * FROM <urn:a> WHERE { ?s ?p ?o }'
    """
    masked = _mask(sparql)
    form = _FORM.search(masked)
    if form is None or _DATASET.search(masked, form.end()):
        return sparql
    groups = _top_groups(masked, form.end())
    keyword = form.group(1).upper()
    if keyword == "CONSTRUCT":
        short = re.match(r"\s*WHERE\s*\{", masked[form.end() :], re.I)
        if short and groups:
            start, end = groups[0]
            body = sparql[start + 1 : end]
            return f"{sparql[: form.end()]} {{{body}}} WHERE {{ GRAPH <{iri}> {{{body}}} }}{sparql[end + 1 :]}"
        groups = groups[1:]
    if not groups:
        return sparql
    start, end = groups[0]
    return f"{sparql[: start + 1]} GRAPH <{iri}> {{{sparql[start + 1 : end]}}} {sparql[end:]}"


def _top_groups(masked: str, start: int) -> list[tuple[int, int]]:
    """``(open, close)`` positions of the top-level ``{ ... }`` groups of ``masked`` after ``start``."""
    out, depth, opened = [], 0, 0
    for i in range(start, len(masked)):
        c = masked[i]
        if c == "{":
            if depth == 0:
                opened = i
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                out.append((opened, i))
    return out
