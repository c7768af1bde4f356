"""CSV: one article per row, under a header row, as news exports look (``url,date,title,text``).

Columns are found by their header, in any case and order, with the names a
JSON Lines record takes (:func:`graph.sources.records.parse_record`): ``text``
(or ``body``, ``content``) is needed; ``title`` (``headline``), ``date``
(``published``), ``url`` (``link``), ``id``, ``publisher`` (``source``) and
``author`` are optional; other columns are ignored. The file is UTF-8 (a
byte-order mark is fine), comma-separated, with RFC 4180 quoting: a text with
commas, quotes or line breaks is in double quotes.

A row that cannot be read (a field count that differs from the header's, an
unclosed quote, no text) is a SourceError naming the file and the line the row
starts on; the other rows are read.

>>> rows = 'URL,Date,Title,Text\\nhttps://n.example/a,2019-03-20,Disney,"Disney bought Fox, in full."\\n'
>>> [(a.title, str(a.published), a.text) for a in read_csv(rows, "news.csv")]
[('Disney', '2019-03-20', 'Disney bought Fox, in full.')]
>>> print(next(read_csv("title,text\\nT,Acme bought Widget.,extra\\n", "news.csv")))
news.csv:2: the row has 3 fields, the header 2
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from graph.errors import SourceError
from graph.sources.common import MAX_FILE_BYTES, Article
from graph.sources.records import parse_record

__all__ = ["read_csv", "TEXT_COLUMNS"]

TEXT_COLUMNS = ("text", "body", "content")


def _raise_field_limit() -> None:
    """Let one field be a whole article (the csv module stops at 128 KiB by default)."""
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)


def read_csv(raw: str, source: str) -> Iterator[Article | SourceError]:
    """The articles of a CSV text with a header row; a SourceError (with its line) for each bad row."""
    _raise_field_limit()
    reader = csv.reader(io.StringIO(raw.lstrip("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield SourceError(f"cannot read the header row ({e})", source, 1)
        return
    if not header or not any(h.strip() for h in header):
        yield SourceError("empty file: no header row (url,date,title,text)", source)
        return
    names = [h.strip().lower() for h in header]
    if not any(n in TEXT_COLUMNS for n in names):
        yield SourceError(f"no 'text' column in the header (found: {', '.join(h.strip() for h in header)})", source, 1)
        return
    found = False
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield SourceError(f"malformed CSV ({e})", source, start)
            return  # the reader cannot find the next row after a broken quote
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        found = True
        if len(row) != len(names):
            yield SourceError(f"the row has {len(row)} fields, the header {len(names)}", source, line)
            continue
        record = {n: v for n, v in zip(names, row) if n}
        try:
            yield parse_record(record, source, line)
        except SourceError as e:
            yield e
    if not found:
        yield SourceError("no rows under the header", source)
