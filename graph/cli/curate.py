"""``dealgraph merge``, ``alias``, ``retract``, ``remove``, ``known-names`` and ``curation`` (graph.curation)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape

from graph.cli.common import STORE_HELP, _fail, _is_local, _printable, _store_location, _write, err
from graph.errors import DealGraphError

BY_HELP = "Who made the correction (default: $DEALGRAPH_CURATOR or the login name)."
NOTE_HELP = "Why, in a few words (kept with the record)."


def _curate(store: str | None, action, verb: str | None = None):
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
                    err.print(
                        f"{verb} {r.id}: {escape(_printable(r.describe(names)))}", highlight=False, soft_wrap=True
                    )
            return result
    except (DealGraphError, ValueError, OSError) as e:
        _fail(_printable(str(e)))


def merge(
    names: list[str] = typer.Argument(
        ..., help="Two or more entity names (label, alias or IRI); the first one is kept."
    ),
    undo: bool = typer.Option(False, "--undo", help="Undo the merge of these entities instead."),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    note: str | None = typer.Option(None, "--note", help=NOTE_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Make several entities one from now on (the others' names become its aliases); kept across rebuilds.

    Example: dealgraph merge "Walt Disney Company" Disney
    """
    from graph import curation

    _curate(store, lambda st: curation.merge(st, names, by=by, note=note, undo=undo), "undone" if undo else "recorded")


def alias(
    name: str = typer.Argument(..., help="The entity (label, alias or IRI)."),
    alias_name: str = typer.Argument(..., metavar="ALIAS", help="Another name for it."),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    note: str | None = typer.Option(None, "--note", help=NOTE_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Give an entity another name; an entity of its type with that label is folded into it.

    Example: dealgraph alias "Whole Foods Market" "Whole Foods"
    """
    from graph import curation

    _curate(store, lambda st: curation.alias(st, name, alias_name, by=by, note=note), "recorded")


def retract(
    triple: list[str] = typer.Argument(
        None, metavar="[SUBJECT RELATION OBJECT]", help="The fact, by names and relation (ceo_of ...)."
    ),
    fact_id: str | None = typer.Option(None, "--id", help="The fact's id instead (its IRI, or the hex after fact/)."),
    undo: bool = typer.Option(False, "--undo", help="Undo the retraction instead."),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    note: str | None = typer.Option(None, "--note", help=NOTE_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Mark a fact wrong: queries, analyze, view and exports leave it out; the article graph keeps it.

    Example: dealgraph retract "Ryan Coogler" works_for "Black Panther"
    """
    from graph import curation

    if bool(triple) == bool(fact_id) or (triple and len(triple) != 3):
        _fail("give SUBJECT RELATION OBJECT, or --id FACT", 2)
    s, r, o = triple if triple else (None, None, None)
    _curate(
        store,
        lambda st: curation.retract(st, fact=fact_id, subject=s, relation=r, object=o, by=by, note=note, undo=undo),
        "undone" if undo else "recorded",
    )


def remove(
    article: str = typer.Argument(..., help="The article: its file, source path, id, IRI or title."),
    undo: bool = typer.Option(False, "--undo", help="Undo the removal (the next build reads the article again)."),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    note: str | None = typer.Option(None, "--note", help=NOTE_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
) -> None:
    """Remove an article: its named graph and everything only it stated; later builds skip it.

    Example: dealgraph remove data/articles/05_disney_fox.txt
    """
    from graph import curation

    _curate(
        store,
        lambda st: curation.remove_article(st, article, by=by, note=note, undo=undo),
        "undone" if undo else "recorded",
    )


def known_names(
    file: Path = typer.Argument(
        ..., help="NAME,TYPE lines (or TAB-separated), or JSON like graph/resources/gazetteer.json."
    ),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    note: str | None = typer.Option(None, "--note", help=NOTE_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
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
    err.print(
        f"{len(added)} new or changed names of {len(names)}; the next build extracts every article again"
        if added
        else f"all {len(names)} names were known already",
        highlight=False,
    )


def curation(
    export_to: Path | None = typer.Option(
        None, "--export", help="Write the curation records as Turtle to this file ('-': stdout)."
    ),
    import_from: Path | None = typer.Option(None, "--import", help="Add the records of a file written by --export."),
    undo: list[str] = typer.Option(None, "--undo", help="Undo a record by its id (repeatable)."),
    apply_: bool = typer.Option(
        False, "--apply", help="Apply the corrections to the store again (after writes made elsewhere)."
    ),
    active: bool = typer.Option(False, "--active", help="List only what is in effect (not undone)."),
    as_json: bool = typer.Option(False, "--json", help="List as JSON Lines."),
    by: str | None = typer.Option(None, "--by", help=BY_HELP),
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
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
