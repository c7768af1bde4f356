"""How many articles the inputs hold, counted before they are read (for a progress bar).

Cheap counts, not a parse: a JSON Lines file counts its non-empty lines, a CSV
file its rows under the header, a feed its ``<item>`` and ``<entry>`` tags, a
web archive its response records; any other file is one article. An input that
cannot be read counts as one (its error is one step of the bar).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.jsonl").write_text('{"text": "x"}\\n\\n{"text": "y"}\\n')
>>> _ = (d / "b.txt").write_text("Acme bought Widget.")
>>> count_articles([d])
3
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterable
from pathlib import Path

from graph.errors import SourceError

__all__ = ["count_articles", "articles_in"]

_CHUNK = 1 << 20


def _chunks(path: Path, gz: bool) -> Iterable[bytes]:
    opener = gzip.open if gz else open
    with opener(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def _count_marks(path: Path, marks: tuple[bytes, ...], gz: bool = False) -> int:
    n, tail = 0, b""
    keep = max(len(m) for m in marks) - 1
    for chunk in _chunks(path, gz):
        data = tail + chunk
        n += sum(data.count(m) for m in marks)
        tail = data[-keep:] if keep else b""
        n -= sum(tail.count(m) for m in marks)  # counted again with the next chunk
    return n


def articles_in(path: str | Path) -> int:
    """The number of articles one file holds, as the module docstring counts them (at least 1)."""
    from graph.sources import kind_of  # the package imports this module's users, not the other way round

    path = Path(path)
    kind = kind_of(path)
    try:
        if kind == "jsonl":
            with open(path, "rb") as f:
                return max(sum(1 for line in f if line.strip()), 1)
        if kind == "csv":
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
                return max(sum(1 for row in csv.reader(f) if any(c.strip() for c in row)) - 1, 1)
        if kind in ("feed", "xml"):
            return max(_count_marks(path, (b"<item", b"<entry")), 1)
        if kind == "warc":
            return max(_count_marks(path, (b"WARC-Type: response",), gz=path.name.lower().endswith(".gz")), 1)
    except (OSError, EOFError, zlib.error, csv.Error, io.UnsupportedOperation):
        return 1
    return 1


def count_articles(paths: Iterable[str | Path]) -> int:
    """The number of articles in files and folders (see the module docstring)."""
    from graph.sources import iter_files

    return sum(1 if isinstance(f, SourceError) else articles_in(f) for f in iter_files(paths))
