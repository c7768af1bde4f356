"""Read news articles from plain text, HTML and JSON Lines files.

The first stage of the pipeline: files in, :class:`Article` records out. Readers
never raise on one bad file in the middle of a run: :func:`iter_articles` yields a
:class:`~graph.errors.SourceError` in its place, naming the file (and line), so
the caller can report it and go on with the rest.

Plain-text articles follow the seed's layout: headline on the first line, then a
byline (``By NAME``), then ``PUBLISHER, Month D, YYYY``, then paragraphs. Page
furniture (share links, comment forms, "Adjust font size") is dropped.

>>> a = parse_text("Acme buys Widget\\n\\nBy Ann Lee\\nDaily Wire, March 3, 2020\\n\\n"
...                "Acme Corp. agreed to buy Widget Inc. on Monday for $2 billion.\\n", "x.txt")
>>> a.title, a.author, a.publisher, a.published.isoformat()
('Acme buys Widget', 'Ann Lee', 'Daily Wire', '2020-03-03')
>>> a.text
'Acme Corp. agreed to buy Widget Inc. on Monday for $2 billion.'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from graph.errors import SourceError

__all__ = [
    "Article",
    "SUFFIXES",
    "iter_files",
    "iter_articles",
    "read_file",
    "parse_text",
    "parse_html",
    "parse_record",
    "parse_date",
    "slugify",
]

SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own limit; a news article is ~1,000-20,000


@dataclass(frozen=True)
class Article:
    """One news article, the unit the rest of the pipeline works on.

    ``id`` is a slug, unique within a build; ``source`` is the path the article
    came from (with ``:LINE`` for a JSON Lines record).
    """

    id: str
    source: str
    text: str
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def content_hash(self) -> str:
        """A hash of everything extraction reads, to skip unchanged articles."""
        h = hashlib.sha256()
        for part in (self.title, self.published, self.publisher, self.author, self.url, self.text):
            h.update(str(part or "").encode("utf-8"))
            h.update(b"\x00")
        return "sha256:" + h.hexdigest()

    @property
    def words(self) -> int:
        return len(self.text.split())


# ---------------------------------------------------------------- helpers

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATELINE = re.compile(
    rf"(?:^|\s|\))(?P<pub>[A-Z][\w.&'\- ]{{0,60}}?),\s+(?P<date>{_MONTH_RE}\s+\d{{1,2}},\s+\d{{4}})"
)
_BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'\- ]{1,60}?)\s*$")
_FURNITURE_INLINE = re.compile(
    r"\d+\s*Comment\(s\)|Print\s*E-mail|Bookmark and Share|Adjust font size:?", re.I
)
_FURNITURE_LINE = re.compile(
    r"^(?:Adjust font size|Print E-mail|Go to Forum|No comments\.|Add your comments|"
    r"User Name Required|Your Comment|Enter the words you see|Send your stories|"
    r"Follow .{1,60} on (?:Twitter|Facebook)|Share this|Related:|Advertisement$|"
    r"Racist, abusive|Copyright|All rights reserved|Click here|Read more|Sign up|Subscribe)",
    re.I,
)
_END_OF_STORY = re.compile(r"^(?:Follow .{1,60} on (?:Twitter|Facebook)|Go to Forum|Print E-mail Bookmark)", re.I)
_CAPTION_TAG = re.compile(r"\[(?:File )?(?:photo|Photo|image|Image)[^\]]*\]")
_INVISIBLE = dict.fromkeys(
    i for i in range(0x110000) if i < 0x20 and i not in (9, 10, 13)
) | dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069])


def slugify(text: str, max_len: int = 80) -> str:
    """A readable, IRI-safe slug: lower case ASCII words joined by hyphens.

    >>> slugify("Lions Gate Entertainment")
    'lions-gate-entertainment'
    >>> slugify("Société Générale S.A.")
    'societe-generale-s-a'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:  # a name in a script with no ASCII letters
        slug = "x" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]  # surrogates: bytes of a name that are not UTF-8
    return slug[:max_len].rstrip("-")


def parse_date(value: str | None) -> date | None:
    """Parse a publication date written as ISO 8601 or ``Month D, YYYY``; None if unreadable.

    >>> parse_date("Oct. 29, 2014"), parse_date("2019-03-01T10:00:00Z")
    (datetime.date(2014, 10, 29), datetime.date(2019, 3, 1))
    """
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.match(rf"({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})", value)
    if m:
        month = _MONTHS.get(m[1].rstrip(".").lower())
        try:
            return date(int(m[3]), month, int(m[2])) if month else None
        except ValueError:
            return None
    return None


def clean_text(text: str) -> str:
    """Drop control and zero-width characters and normalise Unicode to NFC."""
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def _paragraphs(lines: Iterable[str]) -> list[str]:
    paras, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return paras


def _is_story(paragraph: str) -> bool:
    """True for a paragraph of the story, False for page furniture."""
    if _FURNITURE_LINE.match(paragraph) or paragraph.startswith(("•", "·", "|")):
        return False
    words = paragraph.split()
    return len(words) >= 6 or paragraph.endswith((".", "!", "?", '"', "”"))


def _body(paragraphs: list[str]) -> str:
    kept = []
    for p in paragraphs:
        if _END_OF_STORY.match(p):
            break
        p = _CAPTION_TAG.sub("", _FURNITURE_INLINE.sub(" ", p)).strip()
        if p and _is_story(p):
            kept.append(re.sub(r"\s+", " ", p))
    return "\n\n".join(kept)


# ---------------------------------------------------------------- readers


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
        if published is None and (m := _DATELINE.search(_FURNITURE_INLINE.sub(" ", line))):
            published = parse_date(m["date"])
            publisher = m["pub"].strip() or None
            body_start = i + 1
    text = _body(_paragraphs(lines[body_start:]))
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


class _HTMLArticleParser(HTMLParser):
    """Collects the title, meta tags and paragraph text of an HTML page."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "button"}
    BLOCKS = {"p", "h1", "h2", "h3", "li", "blockquote", "div", "section", "article", "br", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.chunks: list[str] = []
        self._skip = 0
        self._in_title = False
        self._in_article = 0
        self.article_chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
        elif tag == "link" and a.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", a.get("href", ""))
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        elif tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._in_article += 1
        if tag in self.BLOCKS:
            self._push("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "article" and self._in_article:
            self._in_article -= 1
        if tag in self.BLOCKS:
            self._push("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._push(data)

    def _push(self, s: str) -> None:
        self.chunks.append(s)
        if self._in_article:
            self.article_chunks.append(s)


def parse_html(raw: str, source: str, article_id: str | None = None) -> Article:
    """Parse an HTML page: metadata from ``<meta>`` tags, text from ``<article>`` or ``<p>``s."""
    parser = _HTMLArticleParser()
    try:
        parser.feed(clean_text(raw))
        parser.close()
    except (AssertionError, ValueError) as e:  # html.parser's own complaints
        raise SourceError(f"unreadable HTML ({e})", source) from e
    chunks = parser.article_chunks or parser.chunks
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in "".join(chunks).split("\n\n")]
    text = _body([p for p in paragraphs if p])
    if not text:
        raise SourceError("no article text found in the HTML page", source)
    m = parser.meta
    title = m.get("og:title") or m.get("headline") or parser.title.strip() or None
    published = parse_date(
        m.get("article:published_time") or m.get("datepublished") or m.get("date") or m.get("time")
    )
    return Article(
        id=article_id or slugify(Path(source).stem),
        source=source,
        text=text,
        title=re.sub(r"\s+", " ", title) if title else None,
        published=published,
        publisher=m.get("og:site_name") or m.get("publisher") or None,
        author=m.get("author") or m.get("article:author") or None,
        url=m.get("og:url") or m.get("canonical") or None,
    )


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
        article_id = slugify(re.sub(r"^[a-z]+://(www\.)?", "", url))
    else:
        article_id = f"{slugify(Path(source).stem)}-{line}"
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", clean_text(text)) if p.strip()]
    body = _body(paragraphs) or re.sub(r"\s+", " ", clean_text(text)).strip()
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


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise SourceError("empty file: no text to read", source)
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not an article", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "re-save the file as UTF-8",
            source,
            line,
        ) from e


def read_file(path: str | Path) -> Iterator[Article | SourceError]:
    """Read one file, yielding its articles, and a SourceError for each part that failed."""
    path = Path(path)
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield SourceError(f"file is larger than {MAX_FILE_BYTES // 2**20} MB", source)
            return
        data = path.read_bytes()
    except OSError as e:
        yield SourceError(f"cannot read file ({e.strerror or e})", source)
        return
    try:
        raw = _decode(data, source)
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            yield from _read_jsonl(raw, source)
        elif suffix in (".html", ".htm"):
            yield parse_html(raw, source)
        else:
            yield parse_text(raw, source)
    except SourceError as e:
        yield e


def _read_jsonl(raw: str, source: str) -> Iterator[Article | SourceError]:
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


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | SourceError]:
    """Expand files and folders (recursively, sorted) into article files.

    A path that does not exist yields a SourceError; files in folders with other
    suffixes are skipped silently, a file named explicitly is always read.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."):
                    yield f
        elif p.is_file():
            yield p
        else:
            yield SourceError("no such file or folder", str(p))


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | SourceError]:
    """Stream the articles of files and folders; errors come inline, in order.

    Article ids are made unique within one call: a second article with the same
    id gets ``-2``, ``-3`` ... appended.
    """
    seen: dict[str, int] = {}
    for f in iter_files(paths):
        if isinstance(f, SourceError):
            yield f
            continue
        for item in read_file(f):
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
