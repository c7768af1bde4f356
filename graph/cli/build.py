"""``dealgraph extract``, ``read`` and ``build``: from articles to facts, and facts into the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape

from graph.cli.common import (
    DEFAULT_ARTICLES,
    STORE_HELP,
    _fail,
    _log_to_stderr,
    _printable,
    _report_errors,
    _store_location,
    _validate_store,
    _write,
    err,
)
from graph.errors import DealGraphError, SourceError


def extract(
    files: list[Path] = typer.Argument(..., help="Article files or folders (.txt, .html, .jsonl)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the JSON Lines here instead of stdout."),
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


INPUT_HELP = (
    "Article files or folders: .txt, .html/.htm (.html.gz), .jsonl, .warc/.warc.gz (the HTML responses "
    "inside), .rss/.atom/.xml feeds (each item an article)."
)


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
            n += sum(
                1
                for line in Path(u).read_text("utf-8", "replace").splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            )
        except OSError:
            pass
    return n


URLS_HELP = (
    "A file of URLs (one a line) to fetch politely (robots.txt, a delay per host, a cache) and read; repeatable."
)
FETCH_HELP = "For feeds: fetch and read the page each item links to (through the same polite fetcher)."
CACHE_HELP = "Where fetched pages are kept (default: $DEALGRAPH_CACHE or ~/.cache/dealgraph/pages)."
DELAY_HELP = "Seconds between two requests to one host (robots.txt's Crawl-delay may ask for more)."
TIMEOUT_HELP = "Seconds before a connection or a read gives up."


def read(
    paths: list[Path] = typer.Argument(None, help=INPUT_HELP),
    urls: list[Path] = typer.Option(None, "--urls", help=URLS_HELP),
    fetch: bool = typer.Option(False, "--fetch", help=FETCH_HELP),
    cache: Path | None = typer.Option(None, "--cache", help=CACHE_HELP),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help=DELAY_HELP),
    timeout: float = typer.Option(15.0, "--http-timeout", min=0.1, help=TIMEOUT_HELP),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the JSON Lines here instead of stdout."),
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


def build(
    paths: list[Path] = typer.Argument(None, help="Article files or folders (default: data/articles). " + INPUT_HELP),
    urls: list[Path] = typer.Option(None, "--urls", help=URLS_HELP),
    fetch: bool = typer.Option(False, "--fetch", help=FETCH_HELP),
    cache: Path | None = typer.Option(None, "--cache", help=CACHE_HELP),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help=DELAY_HELP),
    http_timeout: float = typer.Option(15.0, "--http-timeout", min=0.1, help=TIMEOUT_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
    force: bool = typer.Option(False, "--force", help="Re-extract articles even when unchanged."),
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Check the result against the SHACL shapes."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
    verbose: bool = typer.Option(
        False, "-v", "--verbose", help="Print 'committed FILE' on stderr as each article is stored."
    ),
    update_url: str | None = typer.Option(
        None,
        "--update-url",
        envvar="DEALGRAPH_UPDATE_URL",
        help="SPARQL Update URL of a remote --store (default: derived from the query URL).",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        min=1,
        envvar="DEALGRAPH_WORKERS",
        help="Processes that extract (default: this machine's cores); one process writes, so the graph is the same.",
    ),
    cluster: str | None = typer.Option(
        None,
        "--cluster",
        envvar="DEALGRAPH_CLUSTER",
        help="Extract on a Dask cluster: the scheduler's address (tcp://host:8786); this process still writes.",
    ),
) -> None:
    """Read articles, extract facts, resolve entities and write them to the store.

    Re-running adds nothing twice: unchanged articles are skipped, a changed one
    replaces its own named graph.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graph.errors import StoreError
    from graph.parallel import default_workers
    from graph.pipeline import build as run_build
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
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        disable=quiet or total < 2,
        transient=True,
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

            report = run_build(
                inputs, st, force=force, on_article=tick, workers=workers or default_workers(), cluster=cluster
            )
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
        highlight=False,
        soft_wrap=True,
    )
    if validation is not None:
        err.print(validation, highlight=False)
    stored = f"The {report.stored} article{'s' if report.stored != 1 else ''} this build stored " + (
        "are" if report.stored != 1 else "is"
    )
    for problem, what, then in (
        (report.stopped, "[bold red]Stopped:[/]", "kept; {fix} and run the same build again to add the rest"),
        (
            report.flush_error,
            "[bold yellow]Warning:[/]",
            "committed (in the store's log, read again when it is next opened); {fix} before the next build",
        ),
        (closing, "[bold yellow]Warning:[/]", "committed"),
    ):
        if problem:
            fix = "free some disk space" if is_full(StoreError(problem)) else "fix that"
            err.print(
                f"{what} {escape(_printable(problem))}. {stored} {then.format(fix=fix)}.",
                highlight=False,
                markup=True,
                soft_wrap=True,
            )
    if not report.ok or (report.stopped and report.stored == 0):
        raise typer.Exit(1)
