"""Read news articles: plain text, web pages, JSON Lines, web archives, feeds and URL lists.

The first stage of the pipeline: inputs in, :class:`Article` records out. One
module per kind of input: :mod:`~graph.sources.text` (the seed's plain-text
layout), :mod:`~graph.sources.html` (web pages, through trafilatura),
:mod:`~graph.sources.records` (JSON Lines), :mod:`~graph.sources.tables` (CSV with a
header row), :mod:`~graph.sources.warc` (web
archives, through warcio), :mod:`~graph.sources.feeds` (RSS and Atom, through
feedparser) and :mod:`~graph.sources.fetch` (URL lists, fetched politely).

Readers never raise on one bad input in the middle of a run: :func:`iter_articles`
yields a :class:`~graph.errors.SourceError` in its place, naming the file (and
line, record or URL), so the caller can report it and go on with the rest.

The plain-text layout, with an example, is documented in :mod:`graph.sources.text`.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import SourceError
from graph.sources.common import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    Article,
    clean_text,
    decode_text,
    not_regular,
    parse_date,
    read_capped,
    slugify,
    url_id,
)
from graph.sources.html import MAX_HTML_BYTES, parse_html
from graph.sources.records import parse_record, read_jsonl
from graph.sources.text import parse_text

if TYPE_CHECKING:
    from graph.sources.fetch import Fetcher

__all__ = [
    "Article",
    "Inputs",
    "SUFFIXES",
    "iter_files",
    "iter_articles",
    "read_file",
    "parse_text",
    "parse_html",
    "parse_record",
    "parse_date",
    "slugify",
    "clean_text",
    "url_id",
    "kind_of",
]

SUFFIXES = (
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".xhtml",
    ".html.gz",
    ".htm.gz",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".warc",
    ".warc.gz",
    ".rss",
    ".atom",
    ".xml",
)
_KINDS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".html.gz": "html.gz",
    ".htm.gz": "html.gz",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc.gz": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "xml",
}


def kind_of(path: str | Path) -> str | None:
    """The kind of input a file name says: text, html, html.gz, jsonl, csv, warc, feed, xml (a feed
    if it looks like one), or None for another suffix.

    >>> kind_of("crawl/CC-NEWS-2024.warc.gz"), kind_of("page.HTM"), kind_of("notes.md")
    ('warc', 'html', None)
    """
    name = Path(path).name.lower()
    for suffix, kind in sorted(_KINDS.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return kind
    return None


def _gunzip_capped(path: Path, source: str, limit: int) -> bytes:
    try:
        with gzip.open(path, "rb") as f:
            data = f.read(limit + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise SourceError(f"not a readable gzip file ({e})", source) from e
    if len(data) > limit:
        raise SourceError(f"page is too long to read (more than {limit // 2**20} MB once uncompressed)", source)
    return data


def _looks_like_feed(data: bytes) -> bool:
    head = data[:4096].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_file(path: str | Path, *, fetcher: Fetcher | None = None) -> Iterator[Article | SourceError]:
    """Read one file, yielding its articles, and a SourceError for each part that failed.

    ``fetcher`` (a :class:`~graph.sources.fetch.Fetcher`) makes a feed's items be
    read from the pages they link to.
    """
    path = Path(path)
    source = str(path)
    kind = kind_of(path)
    try:
        if kind == "warc":
            from graph.sources.warc import read_warc

            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                raise SourceError(not_regular(st.st_mode), source)
            yield from read_warc(path)
            return
        if kind == "html.gz":
            read_capped(path, source, MAX_HTML_BYTES)  # the regular-file and compressed-size checks
            yield parse_html(_gunzip_capped(path, source, MAX_HTML_BYTES), source, slugify(path.name.split(".")[0]))
            return
        data = read_capped(path, source, MAX_HTML_BYTES if kind == "html" else MAX_FILE_BYTES)
        if kind in ("feed", "xml") or (kind is None and _looks_like_feed(data)):
            if kind == "xml" and not _looks_like_feed(data):
                raise SourceError("an XML file that is not an RSS or Atom feed", source)
            from graph.sources.feeds import read_feed

            yield from read_feed(data, source, fetcher=fetcher)
        elif kind == "html":
            yield parse_html(data, source)
        elif kind == "jsonl":
            yield from read_jsonl(decode_text(data, source), source)
        elif kind == "csv":
            from graph.sources.tables import read_csv

            yield from read_csv(decode_text(data, source), source)
        else:
            yield parse_text(decode_text(data, source), source)
    except SourceError as e:
        yield e
    except OSError as e:
        yield SourceError(f"cannot read file ({e.strerror or e})", source)


@dataclass
class Inputs:
    """Files, folders and URL lists read together, with the fetcher the web needs.

    Pass it inside the ``paths`` of :func:`iter_articles` (or ``graph.pipeline.build``):

    >>> Inputs(["data/articles"]).paths
    ['data/articles']
    """

    paths: Sequence[str | Path] = ()
    urls: Sequence[str | Path] = ()  # files listing one URL a line
    fetcher: Fetcher | None = None  # for the URL lists, and for feeds' links when fetch_links
    fetch_links: bool = False

    def articles(self) -> Iterator[Article | SourceError]:
        feed_fetcher = self.fetcher if self.fetch_links else None
        for f in iter_files(self.paths):
            yield from (f,) if isinstance(f, SourceError) else read_file(f, fetcher=feed_fetcher)
        if self.urls:
            from graph.sources.fetch import Fetcher, read_url_list

            fetcher = self.fetcher or Fetcher()
            for u in self.urls:
                yield from read_url_list(u, fetcher, fetch_links=self.fetch_links)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | SourceError]:
    """Expand files and folders (recursively, sorted) into article files.

    A path that does not exist, or is not a file or folder (a FIFO, a device),
    yields a SourceError saying what it is; files in folders with other suffixes
    are skipped silently, a file named explicitly is always read. An
    :class:`Inputs` passes through as it is.
    """
    for p in paths:
        if isinstance(p, Inputs):
            yield p  # type: ignore[misc]
            continue
        p = Path(p)
        try:
            mode = os.stat(p).st_mode
        except FileNotFoundError:
            yield SourceError("no such file or folder", str(p))
            continue
        except OSError as e:
            yield SourceError(f"cannot read ({e.strerror or e})", str(p))
            continue
        if stat.S_ISDIR(mode):
            for f in sorted(p.rglob("*")):
                if f.name.startswith(".") or kind_of(f) is None or not f.is_file():
                    continue
                if kind_of(f) == "xml" and not _sniff_feed(f):
                    continue
                yield f
        elif stat.S_ISREG(mode):
            yield p
        else:
            yield SourceError(not_regular(mode), str(p))


def _sniff_feed(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return _looks_like_feed(f.read(4096))
    except OSError:
        return True  # let the reader report it


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | SourceError]:
    """Stream the articles of files and folders (and :class:`Inputs`); errors come inline, in order.

    Article ids are made unique within one call: a second article with the same
    id gets ``-2``, ``-3`` ... appended.
    """
    seen: dict[str, int] = {}
    for f in iter_files(paths):
        if isinstance(f, SourceError):
            yield f
            continue
        items = f.articles() if isinstance(f, Inputs) else read_file(f)
        for item in items:
            if isinstance(item, Article) and len(item.text) > MAX_ARTICLE_CHARS:
                item = SourceError(
                    f"article text is too long ({len(item.text):,} characters; the limit is {MAX_ARTICLE_CHARS:,})",
                    item.source,
                )
            if isinstance(item, Article):
                n = seen.get(item.id, 0) + 1
                seen[item.id] = n
                if n > 1:
                    item = Article(**{**item.__dict__, "id": f"{item.id}-{n}"})
            yield item
