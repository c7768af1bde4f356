"""The README documents every command, and every command has help text."""

import re
from pathlib import Path

import typer.main

from graph.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def _commands() -> dict[str, object]:
    return typer.main.get_command(app).commands


def test_every_command_has_a_readme_section():
    headings = set(re.findall(r"^### `dealgraph ([\w-]+)", README, re.M))
    missing = sorted(set(_commands()) - headings)
    assert not missing, f"commands without a '### `dealgraph NAME`' section in README.md: {missing}"


def test_every_command_has_help_text():
    for name, cmd in _commands().items():
        assert (cmd.help or "").strip(), f"{name} has no help text"


def test_readme_gives_the_two_commands_first():
    first_block = README.split("```", 2)[1]
    assert "make demo" in first_block and "make test" in first_block
