"""Ask the graph: run SPARQL and format the answers; the saved questions.

:func:`run` always returns a :class:`Result` (whatever the query form) and wraps
every engine error in :class:`~graph.errors.QueryError`. The common prefixes
(``dg:``, ``schema:``, ``rdfs:``, ``prov:`` ... see ``graph.ns.PREFIXES``) are
predeclared, and the default graph is the union of all article graphs.

Saved questions live in ``ontology/queries/*.rq``; their header comments give a
description and parameters::

    # Deals of a company, with the other party, date and status.
    # param: company = Alibaba   (matched against labels, case-insensitive)

>>> from graph.store import open_store
>>> r = run(open_store("memory"), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
>>> r.vars, r.rows
(['n'], [(0,)])
>>> print(to_csv(r), end="")
n
0
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.bindings import bind_values
from graph.errors import QueryError
from graph.ns import OUTPUT_PREFIXES, PREFIXES
from graph.sandbox import refusal_message, refused_operation, safe_message
from graph.sparql_errors import short_syntax_error
from graph.store import Store, Triples

__all__ = [
    "Result",
    "run",
    "bind_parameters",
    "to_csv",
    "to_tsv",
    "tsv_field",
    "to_json",
    "to_table",
    "to_turtle",
    "SavedQuery",
    "saved_queries",
    "load_saved",
    "QUERY_DIR",
]

QUERY_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"


@dataclass
class Result:
    """A query's answer: ``kind`` is ``select``, ``ask`` or ``graph``.

    ``vars`` and ``rows`` (Python values: str, int, float, Decimal, date or None)
    for select; ``boolean`` for ask; ``triples`` (pyoxigraph Triples) for graph.
    ``terms`` keeps the RDF terms of a select, for formats that need them.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    terms: list[tuple] = field(default_factory=list, repr=False)
    boolean: bool | None = None
    triples: list = field(default_factory=list, repr=False)


def _py(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        v = term.value
        try:
            if dt in ("integer", "int", "long", "nonNegativeInteger"):
                return int(v)
            if dt in ("double", "float"):
                return float(v)
            if dt == "decimal":
                f = float(v)
                return int(f) if f.is_integer() and abs(f) >= 1e6 else f
            if dt == "boolean":
                return v == "true"
        except ValueError:
            return v
        return v
    return term.value


def run(
    store: Store,
    sparql: str,
    *,
    substitutions: dict[str, str] | None = None,
    limit: int | None = None,
    reason: bool = False,
) -> Result:
    """Run a SPARQL query on ``store`` and return a :class:`Result`.

    ``substitutions`` binds variables to literals before evaluation (the saved
    questions' parameters). With ``reason=True`` the query runs on the store plus
    its RDFS and OWL 2 RL entailments (:func:`graph.reason.reasoned_store`), so
    ``?d dg:party ?x`` also finds acquirers and ``?p dg:affiliatedWith ?o`` CEOs.
    Raises :class:`QueryError` with the engine's message on a syntax or
    evaluation error, and for ``SERVICE`` or ``LOAD``, which would fetch from
    the network (:func:`graph.sandbox.refused_operation`; the evaluation
    could not reach the network anyway, see :meth:`graph.store.Store.query`).

    >>> from graph.store import open_store
    >>> run(open_store("memory"), "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:65530/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: federated queries (SERVICE) are refused: dealgraph never fetches from the network
    """
    operation = refused_operation(sparql)
    if operation:
        raise QueryError(refusal_message(operation))
    if reason:
        from graph.reason import reasoned_store  # owlrl is only needed when asked for

        store = reasoned_store(store)
    if substitutions:
        sparql = bind_parameters(sparql, substitutions)
    try:
        res = store.query(sparql)
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, (ox.QueryTriples, Triples)):
            return Result("graph", triples=list(res))
        names = [v.value for v in res.variables]
        terms = []
        for i, sol in enumerate(res):
            if limit is not None and i >= limit:
                break
            terms.append(tuple(sol[n] for n in names))
    except SyntaxError as e:
        raise QueryError(short_syntax_error(str(e), sparql)) from None
    except (OSError, RuntimeError, ValueError) as e:
        # an embedded store's error never shows what a remote server said; a remote store's is its endpoint's
        raise QueryError(f"query failed: {safe_message(e) if isinstance(store, Store) else e}") from None
    finally:
        res = None  # pyoxigraph's lazy results are dropped on the thread that made them
    return Result("select", names, [tuple(_py(t) for t in row) for row in terms], terms)


def bind_parameters(sparql: str, values: dict[str, str]) -> str:
    """Bind variables to string literals, each once, where the query uses it (:func:`graph.bindings.bind_values`).

    >>> bind_parameters("SELECT ?x WHERE { ?x ?p ?company }", {"company": "Apple"})
    'SELECT ?x WHERE { VALUES (?company) { ("Apple") } ?x ?p ?company }'
    """
    try:
        return bind_values(sparql, {k: str(ox.Literal(v)) for k, v in values.items()})
    except ValueError as e:
        raise QueryError(str(e)) from None


def _delimited(result: Result, dialect: str) -> str:
    if result.kind == "ask":
        return f"{'true' if result.boolean else 'false'}\n"
    if result.kind == "graph":
        return to_turtle(result)
    if dialect == "tsv":
        lines = ["\t".join(tsv_field(v) for v in result.vars)]
        lines += ["\t".join(tsv_field(v) for v in row) for row in result.rows]
        return "".join(line + "\n" for line in lines)
    out = io.StringIO()
    w = csv.writer(out, delimiter=",", lineterminator="\n")
    w.writerow(result.vars)
    for row in result.rows:
        w.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def tsv_field(value) -> str:
    """One TSV field: a backslash, tab, newline or carriage return inside a value is written
    ``\\\\``, ``\\t``, ``\\n``, ``\\r`` (the escapes of the "linear TSV" convention), so that every
    line is one row and every tab a column break; ``None`` is empty.

    >>> print(tsv_field("line one\\nC:\\\\dir\\tend"))
    line one\\nC:\\\\dir\\tend
    >>> tsv_field(None), tsv_field(71300000000)
    ('', '71300000000')
    """
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def to_csv(result: Result) -> str:
    """CSV with a header row (SPARQL 1.1 CSV results: plain values)."""
    return _delimited(result, "csv")


def to_tsv(result: Result) -> str:
    """Tab-separated values with a header row; tabs, newlines and backslashes inside values
    are escaped as :func:`tsv_field` says."""
    return _delimited(result, "tsv")


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON (select, ask) or JSON-LD-free N-Triples lines (graph)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    if result.kind == "graph":
        return to_turtle(result)
    bindings = []
    for row in result.terms:
        b = {}
        for name, t in zip(result.vars, row):
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                b[name] = {"type": "uri", "value": t.value}
            elif isinstance(t, ox.BlankNode):
                b[name] = {"type": "bnode", "value": t.value}
            else:
                b[name] = {"type": "literal", "value": t.value}
                if t.language:
                    b[name]["xml:lang"] = t.language
                elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    b[name]["datatype"] = t.datatype.value
        bindings.append(b)
    return (
        json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)
        + "\n"
    )


def to_turtle(result: Result) -> str:
    """Turtle for CONSTRUCT / DESCRIBE answers."""
    return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=OUTPUT_PREFIXES).decode("utf-8")


def _short(value) -> str:
    if value is None:
        return ""
    s = str(value)
    for prefix, ns in PREFIXES.items():
        if s.startswith(ns) and prefix != "id":
            return f"{prefix}:{s[len(ns) :]}"
    if s.startswith(PREFIXES["id"]):
        return s[len(PREFIXES["id"]) :]
    return s


_ATOM_MAX = 40  # a value without spaces up to this long (a number, a date, a short IRI) is never split


def to_table(result: Result, *, max_width: int = 80, width: int | None = None):
    """A ``rich`` Table for the terminal (IRIs shortened with the known prefixes).

    A value without spaces (a number, a date, a currency, a short IRI) is never
    split across lines: its column is at least as wide as it. Text columns wrap
    at spaces. When those widths do not fit in ``width`` (the terminal's), each
    row is shown as a block of ``name  value`` lines instead.

    >>> import io; from rich.console import Console
    >>> r = Result("select", ["deal", "value", "date"], [("Walt Disney Company and 21st Century Fox", 71300000000, "2019-03-20")])
    >>> c = Console(width=40, file=io.StringIO()); c.print(to_table(r, width=40))
    >>> print(c.file.getvalue().splitlines()[3])
    │ Walt      │ 71300000000 │ 2019-03-20 │
    """
    from rich.table import Table

    if result.kind != "select":
        raise ValueError("to_table formats SELECT results only")
    cells = [[_short(v) for v in row] for row in result.rows]
    mins, atoms = [], []
    for i, name in enumerate(result.vars):
        column = [row[i] for row in cells if row[i]]
        atom = bool(column) and all(len(c) <= _ATOM_MAX and not any(ch.isspace() for ch in c) for c in column)
        longest_word = max((len(w) for c in column for w in c.split()), default=0)
        mins.append(max(len(name), longest_word if atom else min(longest_word, 16)))
        atoms.append(atom)
    needed = sum(mins) + 3 * len(mins) + 1  # cell padding and borders
    if width is not None and needed > width and result.vars:
        table = Table(show_header=False, header_style="bold")
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        for row in cells:
            for i, (name, cell) in enumerate(zip(result.vars, row)):
                table.add_row(name, cell, end_section=i == len(row) - 1)
        return table
    table = Table(show_lines=False, header_style="bold")
    for v, atom, least in zip(result.vars, atoms, mins):
        table.add_column(v, overflow="fold", no_wrap=atom, min_width=least, max_width=None if atom else max_width)
    for row in cells:
        table.add_row(*row)
    return table


# ------------------------------------------------------------------ saved questions


@dataclass
class SavedQuery:
    """A named question from ``ontology/queries``: its text, description and parameters."""

    name: str
    description: str
    sparql: str
    params: dict[str, str]  # name -> default value ("" when required)


def load_saved(path: Path) -> SavedQuery:
    text = path.read_text("utf-8")
    desc, params = [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if m := re.match(r"param:\s*(\w+)\s*(?:=\s*(.*?))?\s*(?:\(.*\))?$", body):
            params[m[1]] = (m[2] or "").strip()
        elif body:
            desc.append(body)
    return SavedQuery(path.stem, " ".join(desc), text, params)


def saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved question, by name."""
    d = directory or QUERY_DIR
    return {p.stem: load_saved(p) for p in sorted(d.glob("*.rq"))}
