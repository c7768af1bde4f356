"""``dealgraph analyze`` (the network measures, paths, communities) and ``eval`` (scores against gold)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

from graph.cli.common import STORE_HELP, _fail, _is_local, _printable, _report_errors, _store_location, _write, err
from graph.errors import DealGraphError, SourceError


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


def analyze(
    store: str | None = typer.Option(None, "--store", "-s", help=STORE_HELP),
    top: int = typer.Option(10, "--top", min=1, help="Rows per ranking; communities shown."),
    types: list[str] = typer.Option(
        None, "--type", help="Rank this type only (repeatable): Organization, Person, Product, Deal."
    ),
    by: Measure = typer.Option(Measure.degree, "--by", help="The measure that orders the rankings."),
    path: tuple[str, str] | None = typer.Option(
        None, "--path", help='The shortest connection between two entities, with evidence: --path "Jack Ma" "Tim Cook".'
    ),
    ego: str | None = typer.Option(
        None, "--ego", help="Everything within --depth hops of this entity (label, alias or IRI)."
    ),
    depth: int = typer.Option(1, "--depth", min=0, help="Hops around --ego."),
    show_communities: bool = typer.Option(False, "--communities", help="Find communities (Louvain)."),
    as_of_date: str | None = typer.Option(
        None, "--as-of", help="The graph as of this date: YYYY, YYYY-MM or YYYY-MM-DD."
    ),
    drop_undated: bool = typer.Option(
        False, "--drop-undated", help="With --as-of, also leave out relations and deals without a date."
    ),
    backend: Backend = typer.Option(
        Backend.auto, "--backend", help="Where betweenness and communities run (auto: igraph on large graphs)."
    ),
    fmt: AnalyzeFmt = typer.Option(AnalyzeFmt.table, "--format", help="table or json."),
    plot: Path | None = typer.Option(
        None, "--plot", help="Also write PNG plots (deals over time, most connected companies) to this folder."
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
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
    err.print(
        f"{g['nodes']} nodes, {g['edges']} edges, {g['articles']} articles"
        + (f" as of {as_of_date}" if as_of_date else ""),
        highlight=False,
    )
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
            table.add_row(
                str(r["rank"]),
                Text(r["label"]),
                str(r["degree"]),
                str(r["deals"]),
                f"{r['pagerank']:.4f}",
                f"{r['betweenness']:.4f}",
            )
        out.append(table)
    if "path" in result:
        p = result["path"]
        if p["hops"]:
            out.append(explain_path(p["hops"]))
        else:
            out.append(p.get("message") or f"{p['from']} and {p['to']} are the same entity")
    if "ego" in result:
        e = result["ego"]
        table = Table(
            title=Text(f"within {e['depth']} hop(s) of {e['center']}"), header_style="bold", title_justify="left"
        )
        for col in ("hops", "name", "type"):
            table.add_column(col, justify="right" if col == "hops" else "left")
        for n in e["nodes"]:
            table.add_row(str(n["hops"]), Text(n["label"]), str(n["type"]))
        out.append(table)
        out.extend(
            f"{x['source_label']} -{x['label']}-> {x['target_label']}" + (f"  ({x['date']})" if x["date"] else "")
            for x in e["edges"]
        )
    if "communities" in result:
        found = result["communities"]
        table = Table(
            title=f"{len(found)} communities (Louvain), largest first", header_style="bold", title_justify="left"
        )
        for col in ("#", "size", "types", "best connected"):
            table.add_column(col, justify="right" if col in ("#", "size") else "left")
        for c in found[:top]:
            kinds = ", ".join(f"{v} {k}" for k, v in c["types"].items())
            table.add_row(str(c["id"]), str(c["size"]), kinds, Text(", ".join(c["hubs"])))
        out.append(table)
    return out


def eval_(
    gold: list[Path] = typer.Argument(..., help="Gold facts: JSON Lines files or folders of them."),
    pred: Path | None = typer.Option(
        None, "--pred", help="Predicted facts (JSON Lines); default: extract the gold's articles now."
    ),
    min_f1: float | None = typer.Option(None, "--min-f1", help="Exit 1 when the overall F1 is below this."),
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
            table.add_row(
                rel,
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
                f"{s['f1']:.3f}",
                str(s["tp"]),
                str(s["fp"]),
                str(s["fn"]),
            )
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
