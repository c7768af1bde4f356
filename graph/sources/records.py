"""JSON Lines: one article per line, as a JSON object.

>>> [a.title for a in read_jsonl('{"title": "T", "text": "Acme bought Widget."}\\n', "f.jsonl")]
['T']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from graph.errors import SourceError
from graph.sources.common import Article, clean_text, parse_date, slugify, story_body, url_id

__all__ = ["parse_record", "read_jsonl"]


def parse_record(record: object, source: str, line: int) -> Article:
    """Turn one JSON Lines record into an Article.

    The record needs a non-empty ``text``; ``title``, ``date`` (or ``published``),
    ``url``, ``id``, ``publisher`` and ``author`` are optional.

    >>> parse_record({"text": "Acme bought Widget.", "url": "https://n.example/a-b"}, "f.jsonl", 3).id
    'n-example-a-b'
    """
    if not isinstance(record, dict):
        raise SourceError("expected a JSON object with a 'text' field", source, line)
    text = record.get("text") or record.get("body") or record.get("content")
    if not isinstance(text, str) or not text.strip():
        raise SourceError("record has no 'text' field (or it is empty)", source, line)

    def opt(*keys: str) -> str | None:
        for k in keys:
            v = record.get(k)
            if v is not None and str(v).strip():
                return str(v).strip()
        return None

    url = opt("url", "link")
    ident = opt("id")
    if ident:
        article_id = slugify(ident)
    elif url:
        article_id = url_id(url)
    else:
        article_id = f"{slugify(Path(source).stem)}-{line}"
    paras = [p for p in re.split(r"\n\s*\n|\n", clean_text(text)) if p.strip()]
    body = story_body(paras) or re.sub(r"\s+", " ", clean_text(text)).strip()
    if not body:
        raise SourceError("record's 'text' has no visible characters", source, line)
    return Article(
        id=article_id,
        source=f"{source}:{line}",
        text=body,
        title=opt("title", "headline"),
        published=parse_date(opt("date", "published", "datePublished")),
        publisher=opt("publisher", "source"),
        author=opt("author"),
        url=url,
    )


def read_jsonl(raw: str, source: str) -> Iterator[Article | SourceError]:
    """The articles of a JSON Lines text, a SourceError (with its line) for each bad line."""
    found = False
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        try:
            yield parse_record(json.loads(line), source, n)
        except json.JSONDecodeError as e:
            yield SourceError(f"malformed JSON ({e.msg} at column {e.colno})", source, n)
        except SourceError as e:
            yield e
    if not found:
        yield SourceError("empty file: no JSON records", source)
