"""What every command shares: the typer app, the store option, writing output, one-line errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from graph.errors import SourceError

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
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn business news into a knowledge graph of companies, people, products and deals."""


STORE_HELP = "Store folder (default: $DEALGRAPH_STORE or .dealgraph), 'memory', or a SPARQL endpoint URL."
DEFAULT_ARTICLES = Path("data/articles")


def _store_location(store: str | None) -> str:
    return store or os.environ.get("DEALGRAPH_STORE") or ".dealgraph"


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def _write(text: str, output: Path | None) -> None:
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


def _is_local(store: str | None) -> bool:
    loc = _store_location(store)
    return loc not in ("memory", ":memory:") and not loc.startswith(("http://", "https://"))
