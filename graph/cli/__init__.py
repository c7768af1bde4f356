"""The ``dealgraph`` command line: a thin skin over the Python API.

Data goes to stdout (or ``-o FILE``), messages to stderr. Exit codes: 0 success,
1 an error in the input or the store (with one readable message), 2 a usage error.

The commands live in one module per group: :mod:`~graph.cli.build` (extract,
read, build), :mod:`~graph.cli.data` (query, export, import, view, info,
validate), :mod:`~graph.cli.serve`, :mod:`~graph.cli.analyze` (analyze, eval)
and :mod:`~graph.cli.curate` (merge, alias, retract, remove, known-names,
curation); what they share is in :mod:`~graph.cli.common`. They are registered
here on the one typer ``app``, in the order ``dealgraph --help`` lists them.
"""

from __future__ import annotations

from graph.cli import analyze, build, curate, data, serve
from graph.cli.common import app

#: Every command by its name, in the order of ``dealgraph --help``.
COMMANDS = {
    "extract": build.extract,
    "read": build.read,
    "build": build.build,
    "query": data.query,
    "export": data.export,
    "import": data.import_,
    "view": data.view,
    "info": data.info,
    "validate": data.validate,
    "serve": serve.serve,
    "analyze": analyze.analyze,
    "eval": analyze.eval_,
    "merge": curate.merge,
    "alias": curate.alias,
    "retract": curate.retract,
    "remove": curate.remove,
    "known-names": curate.known_names,
    "curation": curate.curation,
}
for name, command in COMMANDS.items():
    app.command(name)(command)

__all__ = ["app", "main", "COMMANDS"]


def main() -> None:
    """Console-script entry point."""
    app()
