"""The ``dealgraph`` command line: a thin skin over the Python API.

Data goes to stdout (or ``-o FILE``), messages to stderr. Exit codes: 0 success,
1 an error in the input or the store (with one readable message), 2 a usage error.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from graph.errors import DealGraphError, SourceError

app = typer.Typer(
    help="Turn business news into a knowledge graph of companies, people, products and deals.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)

def _version(value: bool) -> None:
    if value:
        from graph import __version__

        typer.echo(f"dealgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Turn business news into a knowledge graph of companies, people, products and deals."""


STORE_HELP = "Store folder (default: $DEALGRAPH_STORE or .dealgraph), 'memory', or a SPARQL endpoint URL."
DEFAULT_ARTICLES = Path("data/articles")


def _store_location(store: Optional[str]) -> str:
    return store or os.environ.get("DEALGRAPH_STORE") or ".dealgraph"


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def _write(text: str, output: Optional[Path]) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, "utf-8")
        err.print(f"wrote {output}", highlight=False)


def _report_errors(errors: list[SourceError]) -> None:
    for e in errors:
        err.print(f"[yellow]skipped[/] {escape(_printable(str(e)))}", highlight=False, markup=True, soft_wrap=True)


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="Article files or folders (.txt, .html, .jsonl)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the JSON Lines here instead of stdout."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", help="Drop facts below this confidence."),
) -> None:
    """Print the facts of articles as JSON Lines (one fact per line), without storing them."""
    from graph.pipeline import extract_paths

    errors: list[SourceError] = []
    lines, n_articles = [], 0
    try:
        for _, facts in extract_paths(files, errors):
            n_articles += 1
            lines.extend(json.dumps(f.to_dict(), ensure_ascii=False) for f in facts if f.confidence >= min_confidence)
    except DealGraphError as e:
        _fail(str(e))
    _write("".join(line + "\n" for line in lines), output)
    _report_errors(errors)
    err.print(f"{n_articles} articles, {len(lines)} facts, {len(errors)} skipped", highlight=False)
    if n_articles == 0:
        raise typer.Exit(1)


INPUT_HELP = ("Article files or folders: .txt, .html/.htm (.html.gz), .jsonl, .warc/.warc.gz (the HTML responses "
              "inside), .rss/.atom/.xml feeds (each item an article).")


def _inputs(paths, urls, fetch, cache, delay, timeout):
    """The readers' input: files and folders, URL lists, and the polite fetcher they need."""
    from graph.sources import Inputs

    fetcher = None
    if urls or fetch:
        from graph.sources.fetch import Fetcher

        fetcher = Fetcher(cache if cache is not None else "default", delay=delay, timeout=timeout)
    return Inputs(list(paths or []), urls=list(urls or []), fetcher=fetcher, fetch_links=fetch)


def _count_inputs(paths, urls) -> int:
    """Articles to expect (records in JSON Lines and CSV files, items in feeds, pages in archives), for the bar."""
    from graph.sources.estimate import count_articles

    n = count_articles(paths or [])
    for u in urls or []:
        try:
            n += sum(1 for line in Path(u).read_text("utf-8", "replace").splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))
        except OSError:
            pass
    return n


URLS_HELP = "A file of URLs (one a line) to fetch politely (robots.txt, a delay per host, a cache) and read; repeatable."
FETCH_HELP = "For feeds: fetch and read the page each item links to (through the same polite fetcher)."
CACHE_HELP = "Where fetched pages are kept (default: $DEALGRAPH_CACHE or ~/.cache/dealgraph/pages)."
DELAY_HELP = "Seconds between two requests to one host (robots.txt's Crawl-delay may ask for more)."
TIMEOUT_HELP = "Seconds before a connection or a read gives up."


@app.command()
def read(
    paths: List[Path] = typer.Argument(None, help=INPUT_HELP),
    urls: List[Path] = typer.Option(None, "--urls", help=URLS_HELP),
    fetch: bool = typer.Option(False, "--fetch", help=FETCH_HELP),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help=DELAY_HELP),
    timeout: float = typer.Option(15.0, "--http-timeout", min=0.1, help=TIMEOUT_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the JSON Lines here instead of stdout."),
) -> None:
    """Print what the readers see: one JSON object per article (id, url, title, published, author, publisher, text).

    Shows why a fact came or did not come: the text extraction reads is exactly this.
    """
    from graph.sources import Article, iter_articles

    if not paths and not urls:
        _fail("give files or folders to read, or --urls FILE", 2)
    errors: list[SourceError] = []
    lines: list[str] = []
    streaming = output is None or str(output) == "-"
    for item in iter_articles([_inputs(paths, urls, fetch, cache, delay, timeout)]):
        if isinstance(item, Article):
            line = json.dumps(item.to_dict(), ensure_ascii=False) + "\n"
            if streaming:  # one article at a time: a long URL list shows progress as it goes
                sys.stdout.write(line)
                sys.stdout.flush()
            lines.append("" if streaming else line)
        else:
            errors.append(item)
            _report_errors([item])
    if not streaming:
        _write("".join(lines), output)
    err.print(f"{len(lines)} articles, {len(errors)} skipped", highlight=False)
    if not lines and errors:
        raise typer.Exit(1)


@app.command()
def build(
    paths: List[Path] = typer.Argument(None, help="Article files or folders (default: data/articles). " + INPUT_HELP),
    urls: List[Path] = typer.Option(None, "--urls", help=URLS_HELP),
    fetch: bool = typer.Option(False, "--fetch", help=FETCH_HELP),
    cache: Optional[Path] = typer.Option(None, "--cache", help=CACHE_HELP),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help=DELAY_HELP),
    http_timeout: float = typer.Option(15.0, "--http-timeout", min=0.1, help=TIMEOUT_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
    force: bool = typer.Option(False, "--force", help="Re-extract articles even when unchanged."),
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Check the result against the SHACL shapes."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Print 'committed FILE' on stderr as each article is stored."),
    update_url: Optional[str] = typer.Option(
        None, "--update-url", envvar="DEALGRAPH_UPDATE_URL",
        help="SPARQL Update URL of a remote --store (default: derived from the query URL).",
    ),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-w", min=1, envvar="DEALGRAPH_WORKERS",
        help="Processes that extract (default: this machine's cores); one process writes, so the graph is the same.",
    ),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", envvar="DEALGRAPH_CLUSTER",
        help="Extract on a Dask cluster: the scheduler's address (tcp://host:8786); this process still writes.",
    ),
) -> None:
    """Read articles, extract facts, resolve entities and write them to the store.

    Re-running adds nothing twice: unchanged articles are skipped, a changed one
    replaces its own named graph.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graph.parallel import default_workers
    from graph.pipeline import build as run_build
    from graph.errors import StoreError
    from graph.store import is_full, open_store

    paths = paths or ([] if urls else [DEFAULT_ARTICLES])
    if verbose:
        _log_to_stderr("graph.pipeline")
    try:
        total = _count_inputs(paths, urls)
    except OSError as e:
        _fail(_printable(f"cannot list the articles: {e}"))
    inputs = [_inputs(paths, urls, fetch, cache, delay, http_timeout)] if urls or fetch else paths
    progress = Progress(
        TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, disable=quiet or total < 2, transient=True,
    )
    location = _store_location(store)
    report = closing = None
    validation, count = None, "?"
    try:
        with open_store(location, **({"update_url": update_url} if update_url else {})) as st, progress:
            task = progress.add_task("", total=total)

            def tick(item) -> None:  # one step per article (or error): a 300-line JSON Lines file is 300 steps
                src = (item.path or "") if isinstance(item, SourceError) else item.source
                if not src.startswith(("http://", "https://")):
                    src = src.split(":")[0]
                progress.update(task, advance=1, description=_printable(Path(src).name))

            report = run_build(inputs, st, force=force, on_article=tick,
                                workers=workers or default_workers(), cluster=cluster)
            validation = _validate_store(st) if validate and report.read else None
            count = st.count()
    except (DealGraphError, OSError, UnicodeError) as e:  # one line, never a traceback
        message = _printable(str(e) if not isinstance(e, UnicodeError) else f"cannot write text as RDF: {e}")
        if report is None:
            _fail(message)
        closing = message  # the build is done; only closing the store failed
    _report_errors(report.errors)
    err.print(
        f"{report.read} articles ({report.added} added, {report.replaced} replaced, {report.unchanged} unchanged), "
        f"{report.facts} facts, {len(report.errors)} skipped; store {location}: {count} quads",
        highlight=False, soft_wrap=True,
    )
    if validation is not None:
        err.print(validation, highlight=False)
    stored = f"The {report.stored} article{'s' if report.stored != 1 else ''} this build stored " + \
        ("are" if report.stored != 1 else "is")
    for problem, what, then in (
        (report.stopped, "[bold red]Stopped:[/]", "kept; {fix} and run the same build again to add the rest"),
        (report.flush_error, "[bold yellow]Warning:[/]",
         "committed (in the store's log, read again when it is next opened); {fix} before the next build"),
        (closing, "[bold yellow]Warning:[/]", "committed"),
    ):
        if problem:
            fix = "free some disk space" if is_full(StoreError(problem)) else "fix that"
            err.print(f"{what} {escape(_printable(problem))}. {stored} {then.format(fix=fix)}.",
                      highlight=False, markup=True, soft_wrap=True)
    if not report.ok or (report.stopped and report.stored == 0):
        raise typer.Exit(1)


def _printable(text: str) -> str:
    """``text`` with the bytes of a file name that are not UTF-8 shown as ``\\xNN`` (they cannot be printed).

    >>> _printable(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    return "".join(
        (f"\\x{ord(c) - 0xDC00:02x}" if c >= "\udc80" else f"\\u{ord(c):04x}") if "\ud800" <= c <= "\udfff" else c
        for c in text
    )


def _log_to_stderr(name: str) -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)  # flushed after every line
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _validate_store(st) -> str:
    try:
        from graph.validate import validate as shacl_validate
    except ImportError:
        return "validation skipped (graph.validate unavailable)"
    rep = shacl_validate(st.rdflib_dataset())
    if rep.conforms:
        return "validated against ontology/shapes.ttl: 0 violations"
    return f"validation: {len(rep.violations)} violations (run `dealgraph validate` for details)"


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


@app.command()
def query(
    sparql: Optional[str] = typer.Argument(None, help="The SPARQL query (common prefixes predeclared)."),
    file: Optional[Path] = typer.Option(None, "-f", "--file", help="Read the query from a .rq file."),
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Run a saved question (see --list)."),
    param: List[str] = typer.Option(None, "--param", "-p", help="A saved question's parameter, NAME=VALUE."),
    list_: bool = typer.Option(False, "--list", help="List the saved questions and exit."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="Output format for SELECT/ASK."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    reason: bool = typer.Option(
        False, "--reason", help="Answer with the RDFS and OWL RL entailments too (dg:party finds acquirers, dg:affiliatedWith CEOs)."
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


def _is_local(store: Optional[str]) -> bool:
    loc = _store_location(store)
    return loc not in ("memory", ":memory:") and not loc.startswith(("http://", "https://"))


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
                _fail(f"bad --param {p!r}; {name} takes: {', '.join(f'{k}=VALUE' for k in sq.params) or 'no parameters'}", 2)
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


EXPORT_FORMAT_HELP = ("ttl and nt merge the article graphs; trig, nq and jsonld keep them; graphml and gexf (Gephi, yEd, "
                      "Cytoscape) and csv (nodes.csv + edges.csv, Neo4j import headers) hold the network of entities.")


@app.command()
def export(
    fmt: ExportFmt = typer.Option(ExportFmt.trig, "--format", help=EXPORT_FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout (csv: a folder)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
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


def _export_network(fmt: str, output: Optional[Path], store: Optional[str]) -> None:
    """``export --format graphml|gexf|csv``: files from graph.export.export_network; GraphML/GEXF to stdout without -o."""
    import tempfile

    from graph.export import export_network
    from graph.store import open_store

    to_stdout = output is None or str(output) == "-"
    if fmt == "csv" and to_stdout:
        _fail("--format csv writes two files (nodes.csv, edges.csv): give a folder with -o", 2)
    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st, \
                tempfile.TemporaryDirectory() as tmp:
            written = export_network(st, fmt, Path(tmp) / f"graph.{fmt}" if to_stdout else output)
            if to_stdout:
                sys.stdout.buffer.write(written[0].read_bytes())
                sys.stdout.flush()
                return
    except (DealGraphError, OSError) as e:
        _fail(_printable(str(e)))
    for path in written:
        err.print(f"wrote {_printable(str(path))}", highlight=False)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="An RDF file: .ttl, .trig, .nt, .nq, .jsonld, .rdf (RDF/XML)."),
    graph: Optional[str] = typer.Option(None, "--graph", help="The named graph to load it into (default: id:graph/import/NAME, from the file name)."),
    rdf_format: Optional[str] = typer.Option(None, "--format", help="The file's format when its suffix does not say: ttl, trig, nt, nq, jsonld, rdfxml."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
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


@app.command()
def view(
    output: Path = typer.Option(Path("graph.html"), "-o", "--output", help="The HTML file to write."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Show only the neighbourhood of this entity (label or IRI)."),
    depth: int = typer.Option(2, "--depth", help="Hops around --focus."),
    max_nodes: int = typer.Option(5000, "--max-nodes", help="Keep at most this many nodes (each type keeps the same share, its most connected first); the page says what was left out."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
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


@app.command()
def info(
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
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


@app.command()
def validate(
    file: Optional[Path] = typer.Argument(None, help="An RDF file to check (default: the store)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
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


@app.command()
def serve(
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    allow_update: bool = typer.Option(False, "--allow-update", help="Accept SPARQL Update, with the bearer token only."),
    token: Optional[str] = typer.Option(
        None, "--token", envvar="DEALGRAPH_SERVE_TOKEN",
        help="Bearer token for updates (default with --allow-update: a random one, printed at start).",
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before the answer is 503."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Most rows (or triples) in an answer; more is a 400."),
    workers: int = typer.Option(4, "--workers", help="Queries evaluated at the same time."),
    queue_wait: float = typer.Option(
        1.0, "--queue-wait", help="Seconds a request may wait for a free worker; then 503 with Retry-After."),
    per_client: Optional[int] = typer.Option(
        None, "--per-client", help="Queries one client address may run at once (default: workers - 1)."),
    request_timeout: float = typer.Option(
        10.0, "--request-timeout", help="Seconds a client may take to send a whole request; then 408."),
    in_memory: bool = typer.Option(
        False, "--in-memory", help="Serve a snapshot copied into RAM at start (faster queries; read-only stores)."
    ),
    get: Optional[str] = typer.Option(None, "--get", help="Answer this one PATH in-process, print it and exit (no socket)."),
) -> None:
    """Serve the store over HTTP: SPARQL 1.1 endpoint, query page at /, the view at /view."""
    import secrets

    import pyoxigraph as ox

    from graph.server import create_app, make_server, request
    from graph.store import open_store

    if allow_update and not token:
        token = secrets.token_urlsafe(24)
        err.print(f"update token: {token}", highlight=False)
    try:
        st = open_store(_store_location(store), read_only=_is_local(store) and not allow_update)
        if in_memory:
            if allow_update:
                _fail("--in-memory serves a snapshot: it cannot be combined with --allow-update", 2)
            snapshot = open_store("memory")
            snapshot.load_nquads(st.dump(ox.RdfFormat.N_QUADS))
            st.close()
            st = snapshot
        app = create_app(st, allow_update=allow_update, token=token, timeout=timeout, max_rows=max_rows, workers=workers,
                         queue_wait=queue_wait, per_client=per_client)
    except (DealGraphError, ValueError) as e:
        _fail(str(e))
    if get is not None:
        r = request(app, get)
        sys.stdout.buffer.write(r.body)
        sys.stdout.flush()
        app.close()
        st.close()
        if r.status >= 400:
            err.print(f"HTTP {r.status}", highlight=False)
            raise typer.Exit(1)
        return
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach it can query the graph", markup=True, highlight=False)
    import signal

    try:
        server = make_server(app, host, port, request_timeout=request_timeout)
    except (OSError, ValueError) as e:
        app.close()
        st.close()
        _fail(f"cannot listen on {host}:{port}: {e}")
    err.print(f"serving {_store_location(store)} on http://{host}:{port}/ (SPARQL at /sparql, graphs at /store, "
              "view at /view); Ctrl+C stops", highlight=False, soft_wrap=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # a plain kill stops as cleanly as Ctrl+C
    try:
        server.run()  # returns on Ctrl+C (waitress stops its threads)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        server.task_dispatcher.shutdown(timeout=2)
        app.close()
        st.close()


class AnalyzeFmt(str, Enum):
    table = "table"
    json = "json"


class Measure(str, Enum):
    degree = "degree"
    pagerank = "pagerank"
    betweenness = "betweenness"


class Backend(str, Enum):
    auto = "auto"
    networkx = "networkx"
    igraph = "igraph"


@app.command()
def analyze(
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
    top: int = typer.Option(10, "--top", min=1, help="Rows per ranking; communities shown."),
    types: List[str] = typer.Option(None, "--type", help="Rank this type only (repeatable): Organization, Person, Product, Deal."),
    by: Measure = typer.Option(Measure.degree, "--by", help="The measure that orders the rankings."),
    path: Optional[tuple[str, str]] = typer.Option(None, "--path", help='The shortest connection between two entities, with evidence: --path "Jack Ma" "Tim Cook".'),
    ego: Optional[str] = typer.Option(None, "--ego", help="Everything within --depth hops of this entity (label, alias or IRI)."),
    depth: int = typer.Option(1, "--depth", min=0, help="Hops around --ego."),
    show_communities: bool = typer.Option(False, "--communities", help="Find communities (Louvain)."),
    as_of_date: Optional[str] = typer.Option(None, "--as-of", help="The graph as of this date: YYYY, YYYY-MM or YYYY-MM-DD."),
    drop_undated: bool = typer.Option(False, "--drop-undated", help="With --as-of, also leave out relations and deals without a date."),
    backend: Backend = typer.Option(Backend.auto, "--backend", help="Where betweenness and communities run (auto: igraph on large graphs)."),
    fmt: AnalyzeFmt = typer.Option(AnalyzeFmt.table, "--format", help="table or json."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Also write PNG plots (deals over time, most connected companies) to this folder."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
) -> None:
    """Rank entities per type, find communities, explain the connection between two entities, show an ego network.

    Without --path, --ego or --communities (or with --type) it ranks entities by
    degree, PageRank and betweenness.
    """
    import networkx as nx

    from graph import network as net
    from graph.store import open_store

    if drop_undated and as_of_date is None:
        _fail("--drop-undated needs --as-of DATE", 2)
    result: dict = {}
    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st:
            G = net.to_networkx(st)
        if as_of_date is not None:
            G = net.as_of(G, as_of_date, keep_undated=not drop_undated)
        result["graph"] = {**{k: v for k, v in net.summary(G).items() if k != "relations"}, "as_of": as_of_date}
        if path:
            try:
                hops = net.shortest_path(G, *path)
                result["path"] = {"from": path[0], "to": path[1], "text": net.path_text(hops), "hops": hops}
            except nx.NetworkXNoPath as e:
                result["path"] = {"from": path[0], "to": path[1], "text": None, "hops": None, "message": str(e)}
        if ego is not None:
            result["ego"] = {"center": ego, "depth": depth, **net.to_records(net.ego_network(G, ego, depth=depth))}
        if show_communities:
            result["communities"] = net.communities(G, backend=backend.value)
        if types or not (path or ego is not None or show_communities):
            result["rankings"] = net.rank(G, by=by.value, types=types or None, top=top, backend=backend.value)
        if plot is not None:
            from graph.plots import save_plots

            result["plots"] = [str(p) for p in save_plots(G, plot, top=max(top, 10), backend=backend.value)]
    except (DealGraphError, ValueError, OSError) as e:
        _fail(str(e))
    g = result["graph"]
    err.print(f"{g['nodes']} nodes, {g['edges']} edges, {g['articles']} articles"
              + (f" as of {as_of_date}" if as_of_date else ""), highlight=False)
    for p in result.get("plots", []):
        err.print(f"wrote {p}", highlight=False)
    if fmt == AnalyzeFmt.json:
        _write(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n", output)
        return
    import io

    buffer = io.StringIO()
    console = Console(file=buffer, width=140) if output is not None else Console(highlight=False)
    for item in _analysis_renderables(result, by.value, top):
        if isinstance(item, str):
            console.print(item, highlight=False, markup=False, soft_wrap=True)
        else:
            console.print(item)
    if output is not None:
        _write(buffer.getvalue(), output)


def _analysis_renderables(result: dict, by: str, top: int) -> list:
    """``dealgraph analyze``'s sections as rich tables and plain lines (labels never read as markup)."""
    from rich.table import Table
    from rich.text import Text

    from graph.network import explain_path

    out: list = []
    for kind, rows in result.get("rankings", {}).items():
        table = Table(title=f"{kind} by {by}", header_style="bold", title_justify="left")
        for col in ("#", "name", "degree", "deals", "PageRank", "betweenness"):
            table.add_column(col, justify="left" if col == "name" else "right")
        for r in rows:
            table.add_row(str(r["rank"]), Text(r["label"]), str(r["degree"]), str(r["deals"]),
                          f"{r['pagerank']:.4f}", f"{r['betweenness']:.4f}")
        out.append(table)
    if "path" in result:
        p = result["path"]
        if p["hops"]:
            out.append(explain_path(p["hops"]))
        else:
            out.append(p.get("message") or f"{p['from']} and {p['to']} are the same entity")
    if "ego" in result:
        e = result["ego"]
        table = Table(title=Text(f"within {e['depth']} hop(s) of {e['center']}"), header_style="bold", title_justify="left")
        for col in ("hops", "name", "type"):
            table.add_column(col, justify="right" if col == "hops" else "left")
        for n in e["nodes"]:
            table.add_row(str(n["hops"]), Text(n["label"]), str(n["type"]))
        out.append(table)
        out.extend(f"{x['source_label']} -{x['label']}-> {x['target_label']}" + (f"  ({x['date']})" if x["date"] else "")
                   for x in e["edges"])
    if "communities" in result:
        found = result["communities"]
        table = Table(title=f"{len(found)} communities (Louvain), largest first", header_style="bold", title_justify="left")
        for col in ("#", "size", "types", "best connected"):
            table.add_column(col, justify="right" if col in ("#", "size") else "left")
        for c in found[:top]:
            kinds = ", ".join(f"{v} {k}" for k, v in c["types"].items())
            table.add_row(str(c["id"]), str(c["size"]), kinds, Text(", ".join(c["hubs"])))
        out.append(table)
    return out


@app.command("eval")
def eval_(
    gold: List[Path] = typer.Argument(..., help="Gold facts: JSON Lines files or folders of them."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Predicted facts (JSON Lines); default: extract the gold's articles now."),
    min_f1: Optional[float] = typer.Option(None, "--min-f1", help="Exit 1 when the overall F1 is below this."),
    show_errors: bool = typer.Option(False, "--errors", help="List the missed and wrong facts."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score extracted facts against gold: precision, recall, F1 per relation, and the
    accuracy of the deal details (value, currency, date, status) on matched deals."""
    from rich.table import Table

    from graph.eval import REQUIRED, evaluate, read_jsonl
    from graph.pipeline import extract_paths

    files = [f for g in gold for f in (sorted(g.glob("*.jsonl")) if g.is_dir() else [g])]
    try:
        gold_facts = [f for path in files for f in read_jsonl(path, REQUIRED)]
        if pred is not None:
            pred_facts = read_jsonl(pred, REQUIRED)
        else:
            articles = sorted({g["article"].split(":")[0] for g in gold_facts})
            errors: list[SourceError] = []
            pred_facts = [f.to_dict() for _, facts in extract_paths(articles, errors) for f in facts]
            _report_errors(errors)
    except (DealGraphError, OSError, UnicodeDecodeError) as e:
        _fail(_printable(str(e)))
    scores = evaluate(gold_facts, pred_facts)
    if as_json:
        typer.echo(json.dumps(scores, indent=1))
    else:
        table = Table(header_style="bold")
        for col in ("relation", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col, justify="left" if col == "relation" else "right")
        rows = [*scores["relations"].items(), ("overall", scores["overall"])]
        for rel, s in rows:
            table.add_row(rel, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"]))
        Console().print(table)
        details = Table(header_style="bold", title="deal details (matched deal facts)")
        for col in ("detail", "accuracy", "correct", "total"):
            details.add_column(col, justify="left" if col == "detail" else "right")
        for field, s in scores["details"].items():
            details.add_row(field, f"{s['accuracy']:.3f}", str(s["correct"]), str(s["total"]))
        Console().print(details)
        if show_errors:
            for e in scores["errors"]:
                typer.echo(_error_line(e))
    if min_f1 is not None and scores["overall"]["f1"] < min_f1:
        err.print(f"overall F1 {scores['overall']['f1']:.3f} is below --min-f1 {min_f1}", highlight=False)
        raise typer.Exit(1)


def _error_line(e: dict) -> str:
    """One line of ``eval --errors``; every field but kind, subject, relation and object may be missing.

    >>> _error_line({"kind": "missed", "article": "a/01.txt", "subject": "Jack Ma", "relation": "ceo_of", "object": "Ant"})
    'missed 01.txt: Jack Ma -ceo_of-> Ant'
    """
    what = f"{e.get('subject')} -{e.get('relation')}-> {e.get('object')}" + (" (former)" if e.get("former") else "")
    if e.get("kind") == "detail":
        what += f"  {e.get('field')}: gold {e.get('gold')!r}, got {e.get('pred')!r}"
    evidence = " ".join(str(e.get("evidence") or "").split())[:140]
    line = f"{e.get('kind', ''):<6} {Path(str(e.get('article') or '')).name}: {what}"
    return f"{line}  | {evidence}" if evidence else line


# ----------------------------------------------------------------- curation (graph.curation)

BY_HELP = "Who made the correction (default: $DEALGRAPH_CURATOR or the login name)."
NOTE_HELP = "Why, in a few words (kept with the record)."


def _curate(store: Optional[str], action, verb: Optional[str] = None):
    """Open the store for writing, run ``action(st)``, say what was recorded (``verb``), errors in one line."""
    from graph.curation import names_of
    from graph.store import open_store

    try:
        with open_store(_store_location(store)) as st:
            result = action(st)
            if verb:
                done = result if isinstance(result, list) else [result]
                names = names_of(st, done)
                for r in done:
                    err.print(f"{verb} {r.id}: {escape(_printable(r.describe(names)))}", highlight=False, soft_wrap=True)
            return result
    except (DealGraphError, ValueError, OSError) as e:
        _fail(_printable(str(e)))


@app.command()
def merge(
    names: List[str] = typer.Argument(..., help="Two or more entity names (label, alias or IRI); the first one is kept."),
    undo: bool = typer.Option(False, "--undo", help="Undo the merge of these entities instead."),
    by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=NOTE_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Make several entities one from now on (the others' names become its aliases); kept across rebuilds.

    Example: dealgraph merge "Walt Disney Company" Disney
    """
    from graph import curation

    _curate(store, lambda st: curation.merge(st, names, by=by, note=note, undo=undo), "undone" if undo else "recorded")


@app.command()
def alias(
    name: str = typer.Argument(..., help="The entity (label, alias or IRI)."),
    alias_name: str = typer.Argument(..., metavar="ALIAS", help="Another name for it."),
    by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=NOTE_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Give an entity another name; an entity of its type with that label is folded into it.

    Example: dealgraph alias "Whole Foods Market" "Whole Foods"
    """
    from graph import curation

    _curate(store, lambda st: curation.alias(st, name, alias_name, by=by, note=note), "recorded")


@app.command()
def retract(
    triple: List[str] = typer.Argument(None, metavar="[SUBJECT RELATION OBJECT]", help="The fact, by names and relation (ceo_of ...)."),
    fact_id: Optional[str] = typer.Option(None, "--id", help="The fact's id instead (its IRI, or the hex after fact/)."),
    undo: bool = typer.Option(False, "--undo", help="Undo the retraction instead."),
    by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=NOTE_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Mark a fact wrong: queries, analyze, view and exports leave it out; the article graph keeps it.

    Example: dealgraph retract "Ryan Coogler" works_for "Black Panther"
    """
    from graph import curation

    if bool(triple) == bool(fact_id) or (triple and len(triple) != 3):
        _fail("give SUBJECT RELATION OBJECT, or --id FACT", 2)
    s, r, o = triple if triple else (None, None, None)
    _curate(store, lambda st: curation.retract(st, fact=fact_id, subject=s, relation=r, object=o, by=by, note=note,
                                               undo=undo), "undone" if undo else "recorded")


@app.command()
def remove(
    article: str = typer.Argument(..., help="The article: its file, source path, id, IRI or title."),
    undo: bool = typer.Option(False, "--undo", help="Undo the removal (the next build reads the article again)."),
    by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=NOTE_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Remove an article: its named graph and everything only it stated; later builds skip it.

    Example: dealgraph remove data/articles/05_disney_fox.txt
    """
    from graph import curation

    _curate(store, lambda st: curation.remove_article(st, article, by=by, note=note, undo=undo),
            "undone" if undo else "recorded")


@app.command("known-names")
def known_names(
    file: Path = typer.Argument(..., help="NAME,TYPE lines (or TAB-separated), or JSON like graph/resources/gazetteer.json."),
    by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    note: Optional[str] = typer.Option(None, "--note", help=NOTE_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Add names with their type (Organization, Person, Product, Place, NotEntity) for the extractor.

    The next `dealgraph build` extracts every article again with them.
    Example: echo "Activision Blizzard,Organization" > names.csv; dealgraph known-names names.csv
    """
    from graph import curation

    try:
        names = curation.read_known_names(file)
    except DealGraphError as e:
        _fail(_printable(str(e)))
    added = _curate(store, lambda st: curation.add_known_names(st, names, by=by, note=note))
    err.print(f"{len(added)} new or changed names of {len(names)}; the next build extracts every article again"
              if added else f"all {len(names)} names were known already", highlight=False)


@app.command()
def curation(
    export_to: Optional[Path] = typer.Option(None, "--export", help="Write the curation records as Turtle to this file ('-': stdout)."),
    import_from: Optional[Path] = typer.Option(None, "--import", help="Add the records of a file written by --export."),
    undo: List[str] = typer.Option(None, "--undo", help="Undo a record by its id (repeatable)."),
    apply_: bool = typer.Option(False, "--apply", help="Apply the corrections to the store again (after writes made elsewhere)."),
    active: bool = typer.Option(False, "--active", help="List only what is in effect (not undone)."),
    as_json: bool = typer.Option(False, "--json", help="List as JSON Lines."),
    by: Optional[str] = typer.Option(None, "--by", help=BY_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """List the corrections made to the graph (merges, aliases, retractions, removals, known names), share them.

    Example: dealgraph curation --export team.ttl; dealgraph curation --import team.ttl --store other
    """
    from graph import curation as cur
    from graph.store import open_store

    if import_from is not None:
        try:
            text = import_from.read_text("utf-8")
        except (OSError, UnicodeError) as e:
            _fail(_printable(f"cannot read {import_from}: {e}"))
        n = _curate(store, lambda st: cur.import_curation(st, text))
        err.print(f"imported {n} new records from {import_from}", highlight=False)
    if undo:
        _curate(store, lambda st: cur.undo(st, undo, by=by), "undone")
    if apply_:
        _curate(store, cur.apply)
    if import_from is not None or undo or apply_:
        return
    try:
        with open_store(_store_location(store), read_only=_is_local(store)) as st:
            if export_to is not None:
                _write(cur.export_curation(st), export_to)
                return
            recs = cur.records(st, active_only=active)
            names = cur.names_of(st, recs)
    except DealGraphError as e:
        _fail(_printable(str(e)))
    for r in recs:
        if as_json:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        else:
            state = "" if r.active else f"  (undone {r.undone_at} by {r.undone_by})"
            sys.stdout.write(f"{r.id}\t{r.at}\t{r.by}\t{_printable(r.describe(names))}{state}\n")
    err.print(f"{len(recs)} records", highlight=False)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
