"""Plain-text articles in the seed's layout.

Headline on the first line, then a byline (``By NAME``), then ``PUBLISHER, Month
D, YYYY``, then paragraphs. Page furniture (share links, comment forms, "Adjust
font size") is dropped.

>>> a = parse_text("Acme buys Widget\\n\\nBy Ann Lee\\nDaily Wire, March 3, 2020\\n\\n"
...                "Acme Corp. agreed to buy Widget Inc. on Monday for $2 billion.\\n", "x.txt")
>>> a.title, a.author, a.publisher, a.published.isoformat()
('Acme buys Widget', 'Ann Lee', 'Daily Wire', '2020-03-03')
>>> a.text
'Acme Corp. agreed to buy Widget Inc. on Monday for $2 billion.'
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import SourceError
from graph.sources.common import (
    FURNITURE_INLINE,
    MONTH_RE,
    Article,
    clean_text,
    paragraphs,
    parse_date,
    slugify,
    story_body,
)

__all__ = ["parse_text"]

_DATELINE = re.compile(rf"(?:^|\s|\))(?P<pub>[A-Z][\w.&'\- ]{{0,60}}?),\s+(?P<date>{MONTH_RE}\s+\d{{1,2}},\s+\d{{4}})")
_BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'\- ]{1,60}?)\s*$")


def parse_text(raw: str, source: str, article_id: str | None = None) -> Article:
    """Parse a plain-text article in the seed layout (see the module docstring).

    Raises :class:`SourceError` when no story text remains.
    """
    lines = clean_text(raw).splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise SourceError("empty file: no text to read", source)
    title = lines[0].strip()
    author = publisher = published = None
    body_start = 1
    for i, line in enumerate(lines[1:8], start=1):
        if author is None and (m := _BYLINE.match(line)):
            author, body_start = m["name"].strip(), i + 1
        if published is None and (m := _DATELINE.search(FURNITURE_INLINE.sub(" ", line))):
            published = parse_date(m["date"])
            publisher = m["pub"].strip() or None
            body_start = i + 1
    text = story_body(paragraphs(lines[body_start:]))
    if not text:
        raise SourceError("no article text found (only a headline or page furniture)", source)
    return Article(
        id=article_id or slugify(Path(source).stem),
        source=source,
        text=text,
        title=title,
        published=published,
        publisher=publisher,
        author=author,
    )
