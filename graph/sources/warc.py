"""Web archives: the HTML responses inside a ``.warc`` or ``.warc.gz`` file, through warcio.

Each ``response`` record with a 2xx status and an HTML content type is one page,
read like a saved page (charset from its HTTP header or the page); other records
(requests, metadata, images, redirects) are passed over. A record that cannot be
read gives one SourceError naming the record number and URL; the rest goes on.
Memory stays bounded: one record's body at a time, at most
:data:`~graph.sources.html.MAX_HTML_BYTES` of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graph.errors import SourceError
from graph.sources.common import Article, url_id
from graph.sources.html import MAX_HTML_BYTES, charset_of, parse_html

__all__ = ["read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str | Path) -> Iterator[Article | SourceError]:
    """The articles of a WARC file's HTML responses (``source`` is ``FILE:RECORD``)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    pages = 0
    n = 0
    with open(path, "rb") as f:
        try:
            for n, record in enumerate(ArchiveIterator(f), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                status = record.http_headers.get_statuscode() or ""
                ctype = record.http_headers.get_header("Content-Type") or ""
                if not status.startswith("2") or not ctype.lower().startswith(_HTML_TYPES):
                    continue
                pages += 1
                where = f"record {n} <{uri}>"
                try:
                    body = record.content_stream().read(MAX_HTML_BYTES + 1)
                except Exception as e:  # a damaged gzip member or chunked body: report, go on
                    yield SourceError(f"{where}: unreadable body ({type(e).__name__}: {e})", source)
                    continue
                if len(body) > MAX_HTML_BYTES:
                    yield SourceError(
                        f"{where}: page is too long to read (more than {MAX_HTML_BYTES // 2**20} MB)", source
                    )
                    continue
                try:
                    yield parse_html(
                        body, f"{source}:{n}", url_id(uri) if uri else None, url=uri or None, charset=charset_of(ctype)
                    )
                except SourceError as e:
                    yield SourceError(f"{where}: {str(e).removeprefix(f'{source}:{n}: ')}", source)
        except ArchiveLoadFailed as e:
            yield SourceError(f"not a readable WARC file after record {n} ({str(e).strip()[:200]})", source)
            return
        except (OSError, EOFError, ValueError) as e:
            yield SourceError(f"damaged WARC file after record {n} ({type(e).__name__}: {e})", source)
            return
    if pages == 0:
        yield SourceError(f"no HTML responses in the WARC file ({n} records)", source)
