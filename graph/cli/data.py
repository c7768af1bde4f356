"""``dealgraph query``, ``export``, ``import``, ``view``, ``info`` and ``validate``: reading and loading the store."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

from graph.cli.common import STORE_HELP, _fail, _is_local, _printable, _store_location, _write, err
from graph.errors import DealGraphError


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def query(
    sparql: str | None = typer.Argument(None, help="The SPARQL query (common prefixes predeclared)."),
    file: Path | None = typer.Option(None, "-f", "--file", help="Read the query from a .rq file."),
    name: str | None = typer.Option(None, "--name", "-n", help="Run a saved question (see --list)."),
    param: list[str] = typer.Option(None, "--param", "-p", help="A saved question's parameter, NAME=VALUE."),
    list_: bool = typer.Option(False, "--list", help="List the saved questions and exit."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="Output format for SELECT/ASK."),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    reason: bool = typer.Option(
        False,
        "--reason",
        help="Answer with the RDFS and OWL RL entailments too (dg:party finds acquirers, dg:affiliatedWith CEOs).",
    ),
) -> None:
    """Ask the graph a SPARQL question; CONSTRUCT/DESCRIBE print Turtle."""
    from graph import query as q
    from graph.store import open_store

    saved = q.saved_queries()
    if list_:
        for s in saved.values():
            params = " ".join(f"--param {k}={v or '...'}" for k, v in s.params.items())
            sys.stdout.write(f"{s.name}\t{s.description}\t{params}\n")
        return
    text, subs = _query_text(sparql, file, name, param or [], saved)
    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st:
            result = q.run(st, text, substitutions=subs, reason=reason)
    except DealGraphError as e:
        _fail(str(e))
    if result.kind == "graph":
        _write(q.to_turtle(result), output)
    elif fmt == Fmt.table and output is None:
        if result.kind == "ask":
            typer.echo("true" if result.boolean else "false")
        else:
            console = Console()
            console.print(q.to_table(result, width=console.width))
            err.print(f"{len(result.rows)} rows", highlight=False)
    else:
        formatter = {"csv": q.to_csv, "tsv": q.to_tsv, "json": q.to_json, "table": q.to_csv}[fmt.value]
        _write(formatter(result), output)


def _query_text(sparql, file, name, params, saved) -> tuple[str, dict]:
    given = [x is not None for x in (sparql, file, name)]
    if sum(given) != 1:
        _fail("give exactly one of: a query, -f FILE, or --name NAME", 2)
    subs: dict[str, str] = {}
    if name is not None:
        if name not in saved:
            _fail(f"no saved question {name!r}; expected one of: {', '.join(saved)}", 2)
        sq = saved[name]
        subs = {k: v for k, v in sq.params.items() if v}
        for p in params:
            k, sep, v = p.partition("=")
            if not sep or k not in sq.params:
                _fail(
                    f"bad --param {p!r}; {name} takes: {', '.join(f'{k}=VALUE' for k in sq.params) or 'no parameters'}",
                    2,
                )
            subs[k] = v
        missing = [k for k in sq.params if k not in subs]
        if missing:
            _fail(f"{name} needs --param {missing[0]}=VALUE", 2)
        return sq.sparql, subs
    if file is not None:
        try:
            return file.read_text("utf-8"), subs
        except (OSError, UnicodeDecodeError) as e:
            _fail(f"{file}: cannot read the query ({e})")
    return sparql, subs


class ExportFmt(str, Enum):
    ttl = "ttl"
    trig = "trig"
    nq = "nq"
    nt = "nt"
    jsonld = "jsonld"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


EXPORT_FORMAT_HELP = (
    "ttl and nt merge the article graphs; trig, nq and jsonld keep them; graphml and gexf (Gephi, yEd, "
    "Cytoscape) and csv (nodes.csv + edges.csv, Neo4j import headers) hold the network of entities."
)


def export(
    fmt: ExportFmt = typer.Option(ExportFmt.trig, "--format", help=EXPORT_FORMAT_HELP),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout (csv: a folder)."),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Write the whole graph as RDF (Turtle, TriG, N-Quads, N-Triples, JSON-LD) or as a network (GraphML, GEXF, CSV)."""
    from graph.export import export_store
    from graph.store import open_store

    if fmt.value in ("graphml", "gexf", "csv"):
        return _export_network(fmt.value, output, store)
    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st:
            data = export_store(st, fmt.value)
    except DealGraphError as e:
        _fail(str(e))
    _write(data, output)


def _export_network(fmt: str, output: Path | None, store: str | None) -> None:
    """``export --format graphml|gexf|csv``: files from graph.export.export_network; GraphML/GEXF to stdout without -o."""
    import tempfile

    from graph.export import export_network
    from graph.store import open_store

    to_stdout = output is None or str(output) == "-"
    if fmt == "csv" and to_stdout:
        _fail("--format csv writes two files (nodes.csv, edges.csv): give a folder with -o", 2)
    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st, tempfile.TemporaryDirectory() as tmp:
            written = export_network(st, fmt, Path(tmp) / f"graph.{fmt}" if to_stdout else output)
            if to_stdout:
                sys.stdout.buffer.write(written[0].read_bytes())
                sys.stdout.flush()
                return
    except (DealGraphError, OSError) as e:
        _fail(_printable(str(e)))
    for path in written:
        err.print(f"wrote {_printable(str(path))}", highlight=False)


def import_(
    file: Path = typer.Argument(..., help="An RDF file: .ttl, .trig, .nt, .nq, .jsonld, .rdf (RDF/XML)."),
    graph: str | None = typer.Option(
        None, "--graph", help="The named graph to load it into (default: id:graph/import/NAME, from the file name)."
    ),
    rdf_format: str | None = typer.Option(
        None, "--format", help="The file's format when its suffix does not say: ttl, trig, nt, nq, jsonld, rdfxml."
    ),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Load an RDF file into the store as its own named graph (loading it again replaces that graph).

    The file is parsed whole first: a file with an error leaves the store as it was.
    """
    from graph.rdf_import import import_rdf
    from graph.store import open_store

    try:
        with open_store(_store_location(store)) as st:
            iri, n = import_rdf(st, file, graph=graph, fmt=rdf_format)
    except (DealGraphError, OSError) as e:
        _fail(_printable(str(e)))
    err.print(f"loaded {n} triples from {_printable(str(file))} into <{iri}>", highlight=False, soft_wrap=True)


def view(
    output: Path = typer.Option(Path("graph.html"), "-o", "--output", help="The HTML file to write."),
    focus: str | None = typer.Option(
        None, "--focus", help="Show only the neighbourhood of this entity (label or IRI)."
    ),
    depth: int = typer.Option(2, "--depth", help="Hops around --focus."),
    max_nodes: int = typer.Option(
        5000,
        "--max-nodes",
        help="Keep at most this many nodes (each type keeps the same share, its most connected first); the page says what was left out.",
    ),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Write an interactive HTML view of the graph that works offline (large graphs open on groups)."""
    from graph.network import to_networkx
    from graph.store import open_store
    from graph.view import write_page

    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st:
            G = to_networkx(st)
        page = write_page(G, output, focus=focus, depth=depth, max_nodes=max_nodes)
    except (DealGraphError, ValueError, OSError) as e:
        _fail(str(e))
    err.print(f"wrote {output}: {page.summary()}", highlight=False, soft_wrap=True)
    for note in page.notes:
        err.print(f"  {note}", highlight=False, soft_wrap=True)


def info(
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Summarise the store: articles, entities per type, facts per relation."""
    from graph.network import summary, to_networkx
    from graph.store import open_store

    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st:
            s = summary(to_networkx(st))
            s["quads"] = st.count()
    except DealGraphError as e:
        _fail(str(e))
    if as_json:
        typer.echo(json.dumps(s, indent=1))
        return
    typer.echo(f"{s['articles']} articles, {s['nodes']} nodes, {s['edges']} edges, {s['quads']} quads")
    for k, v in sorted(s["types"].items()):
        typer.echo(f"  {k:<16} {v}")
    for k, v in sorted(s["relations"].items(), key=lambda kv: -kv[1]):
        typer.echo(f"  {k:<16} {v}")


def validate(
    file: Path | None = typer.Argument(None, help="An RDF file to check (default: the store)."),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl."""
    from rdflib import Dataset

    from graph.store import open_store
    from graph.validate import validate as shacl_validate

    try:
        if file is not None:
            data = Dataset()
            fmt = {".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld", ".nt": "nt"}.get(file.suffix, "turtle")
            try:
                data.parse(str(file), format=fmt)
            except Exception as e:  # rdflib raises many parser-specific types
                _fail(f"{file}: cannot parse as {fmt} ({e})")
        else:
            with open_store(_store_location(store), read_only=_is_local(store)) as st:
                data = st.rdflib_dataset()
        report = shacl_validate(data)
    except DealGraphError as e:
        _fail(str(e))
    typer.echo(report.text())
    if not report.conforms:
        raise typer.Exit(1)
