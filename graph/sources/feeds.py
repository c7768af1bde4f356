"""RSS and Atom feeds, through feedparser: each item becomes an article.

The item's title, link, date and author, with the content (or summary) the feed
carries as its text. With a fetcher, the linked page is read instead, through the
same polite fetcher as URL lists, and the feed fills what the page lacks.

>>> rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Wire</title>'
...        b'<item><title>Acme buys Widget</title><link>https://news.example/acme</link>'
...        b'<pubDate>Tue, 03 Mar 2020 08:00:00 GMT</pubDate><description>&lt;p&gt;Acme Corp. '
...        b'agreed to buy Widget Inc.&lt;/p&gt;</description></item></channel></rss>')
>>> [(a.title, str(a.published), a.publisher, a.text) for a in read_feed(rss, "f.rss")]
[('Acme buys Widget', '2020-03-03', 'Daily Wire', 'Acme Corp. agreed to buy Widget Inc.')]
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import SourceError
from graph.sources.common import Article, clean_text, slugify, url_id

if TYPE_CHECKING:
    from graph.sources.fetch import Fetcher

__all__ = ["read_feed", "fragment_text"]

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
    "figcaption",
    "pre",
}


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed item's content), one paragraph per block.

    >>> fragment_text("<p>One <b>two</b>.</p><p>Three.</p><script>x()</script>")
    'One two.\\n\\nThree.'
    """
    import lxml.html
    from lxml import etree

    if "<" not in html:
        return re.sub(r"[ \t]+", " ", clean_text(html)).strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            if el.tag in _BLOCKS:
                parts.append("\n\n")
            if el.text:
                parts.append(el.text)
        else:
            if el.tag in _BLOCKS:
                parts.append("\n\n")
            if el.tail and el is not root:
                parts.append(el.tail)
    paras = [re.sub(r"\s+", " ", p).strip() for p in clean_text("".join(parts)).split("\n\n")]
    return "\n\n".join(p for p in paras if p)


def _date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return date(t.tm_year, t.tm_mon, t.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _content(entry) -> str:
    for c in entry.get("content") or []:
        if c.get("value"):
            return c["value"] if "html" in (c.get("type") or "html") else c["value"].replace("<", "&lt;")
    return entry.get("summary") or entry.get("description") or ""


def read_feed(data: bytes, source: str, *, fetcher: Fetcher | None = None) -> Iterator[Article | SourceError]:
    """The articles of an RSS or Atom feed (``source`` of each: ``FEED:ITEM``)."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))  # bytes in a stream: feedparser never fetches anything
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        yield SourceError(f"no items in the feed{why}", source)
        return
    publisher = clean_text(parsed.feed.get("title") or "").strip() or None
    stem = slugify(Path(source).stem)
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{source}:{n}"
        link = (entry.get("link") or "").strip() or None
        title = clean_text(entry.get("title") or "").strip() or None
        author = clean_text(entry.get("author") or "").strip() or None
        published = _date(entry)
        ident = url_id(link) if link else (slugify(entry["id"]) if entry.get("id") else f"{stem}-{n}")
        if fetcher is not None and link:
            try:
                page = fetcher.article(link)
            except SourceError as e:
                yield e
                continue
            yield replace(
                page,
                id=ident,
                title=page.title or title,
                published=page.published or published,
                author=page.author or author,
                publisher=page.publisher or publisher,
                url=page.url or link,
            )
            continue
        text = fragment_text(_content(entry))
        if not text:
            hint = " (use --fetch to read the linked page)" if link else ""
            yield SourceError(f"feed item {title or n!r} carries no text{hint}", source, n)
            continue
        yield Article(
            id=ident,
            source=where,
            text=text,
            title=title,
            published=published,
            publisher=publisher,
            author=author,
            url=link,
        )
