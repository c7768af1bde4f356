"""What every reader shares: the :class:`Article` record, limits, text clean-up and decoding.

>>> decode_text("Caf\\u00e9".encode("utf-16"), "a.txt")
'Café'
>>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR", "b.txt")
Traceback (most recent call last):
...
graph.errors.SourceError: b.txt: binary file (contains NUL bytes), not an article
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.errors import SourceError

__all__ = [
    "Article",
    "MAX_FILE_BYTES",
    "MAX_ARTICLE_CHARS",
    "slugify",
    "parse_date",
    "clean_text",
    "decode_text",
    "url_id",
    "story_body",
    "read_capped",
    "not_regular",
]

MAX_FILE_BYTES = 50 * 1024 * 1024  # a text or JSON Lines file; larger is refused before it is read
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own limit; a news article is ~1,000-20,000


@dataclass(frozen=True)
class Article:
    """One news article, the unit the rest of the pipeline works on.

    ``id`` is a slug, unique within a build; ``source`` is the path the article
    came from (with ``:N`` for a JSON Lines line, a WARC record or a feed item),
    or the URL it was fetched from.
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

    def to_dict(self) -> dict:
        """What a reader saw, as JSON-ready data (``dealgraph read`` prints this).

        >>> Article("a", "a.txt", "Text.", published=date(2020, 1, 2)).to_dict()["published"]
        '2020-01-02'
        """
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "author": self.author,
            "publisher": self.publisher,
            "source": self.source,
            "text": self.text,
        }


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_INVISIBLE = dict.fromkeys(i for i in range(0x110000) if i < 0x20 and i not in (9, 10, 13)) | dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
)


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
        slug = "x" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return slug[:max_len].rstrip("-")


def url_id(url: str) -> str:
    """The article id of a page known by its URL.

    >>> url_id("https://www.news.example/2020/acme-buys-widget")
    'news-example-2020-acme-buys-widget'
    """
    return slugify(re.sub(r"^[a-z]+://(www\.)?", "", url, flags=re.I))


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
    m = re.match(rf"({MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})", value)
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


# ---------------------------------------------------------------- furniture in plain text

FURNITURE_INLINE = re.compile(r"\d+\s*Comment\(s\)|Print\s*E-mail|Bookmark and Share|Adjust font size:?", re.I)
_FURNITURE_LINE = re.compile(
    r"^(?:Adjust font size|Print E-mail|Go to Forum|No comments\.|Add your comments|"
    r"User Name Required|Your Comment|Enter the words you see|Send your stories|"
    r"Follow .{1,60} on (?:Twitter|Facebook)|Share this|Related:|Advertisement$|"
    r"Racist, abusive|Copyright|All rights reserved|Click here|Read more|Sign up|Subscribe)",
    re.I,
)
_END_OF_STORY = re.compile(r"^(?:Follow .{1,60} on (?:Twitter|Facebook)|Go to Forum|Print E-mail Bookmark)", re.I)
_CAPTION_TAG = re.compile(r"\[(?:File )?(?:photo|Photo|image|Image)[^\]]*\]")


def paragraphs(lines: Iterable[str]) -> list[str]:
    """Join runs of non-blank lines into paragraphs."""
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
    return len(words) >= 6 or paragraph.endswith((".", "!", "?", '"', "”", "。", "！", "？", "」"))


def story_body(paras: list[str]) -> str:
    """The story paragraphs of a plain-text article, page furniture dropped."""
    kept = []
    for p in paras:
        if _END_OF_STORY.match(p):
            break
        p = _CAPTION_TAG.sub("", FURNITURE_INLINE.sub(" ", p)).strip()
        if p and _is_story(p):
            kept.append(re.sub(r"\s+", " ", p))
    return "\n\n".join(kept)


# ---------------------------------------------------------------- bytes to text

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes fall as in mostly-Latin UTF-16 text."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    if nul_odd > 0.4 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.4 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def unicode_by_bytes(data: bytes, source: str) -> str | None:
    """Decode text that says it is Unicode by a byte-order mark or the pattern of its NUL bytes.

    None when the bytes carry no such sign. Raises :class:`SourceError` naming the encoding when they do but do not decode.
    """
    marked = next((entry for entry in _BOMS if data.startswith(entry[0])), None)
    if marked is not None:
        bom, codec, name = marked
    else:
        codec = _utf16_without_bom(data[:4096])
        bom, name = b"", "UTF-16"
        if codec is None:
            return None
    try:
        return data[len(bom) :].decode(codec)
    except UnicodeDecodeError as e:
        raise SourceError(
            f"{name} text{'' if bom else ' (no byte-order mark)'} with an invalid sequence at byte "
            f"{e.start + len(bom)}; re-save the file as UTF-8",
            source,
        ) from e


def decode_text(data: bytes, source: str) -> str:
    """Decode a text file: UTF-8, or UTF-16/32 (with a byte-order mark, or recognised without).

    Raises :class:`SourceError` for an empty or binary file and for bytes that are not UTF-8.
    """
    if not data.strip():
        raise SourceError("empty file: no text to read", source)
    text = unicode_by_bytes(data, source)
    if text is not None:
        pass
    elif b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not an article", source)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise SourceError(
                f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); re-save the file as UTF-8",
                source,
                line,
            ) from e
    if not text.strip():
        raise SourceError("empty file: no text to read", source)
    return text


# ---------------------------------------------------------------- files

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular(mode: int) -> str:
    for test, what in _NOT_REGULAR:
        if test(mode):
            return f"{what}, not a regular file: not read"
    return "not a regular file: not read"


def read_capped(path: Path, source: str, limit: int) -> bytes:
    """The bytes of a regular file, refused (never read) above ``limit``."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(not_regular(st.st_mode), source)
    if st.st_size > limit:
        raise SourceError(
            f"file is too long to read ({st.st_size / 2**20:.1f} MB; the limit is {limit // 2**20} MB)", source
        )
    with open(path, "rb") as f:
        return f.read(limit + 1)
