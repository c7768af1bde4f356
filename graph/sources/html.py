"""Web pages: main text and metadata through trafilatura (with htmldate for the date).

Configured for news: the story's text without navigation, comments, share rows or
related-story boxes; the headline without the site's name; the publication date
(JSON-LD, meta tags, the page itself); author, site name and canonical URL. The
character set is the one the page or its HTTP header declares, else the one
charset-normalizer detects.

>>> page = ('<html><head><title>Acme buys Widget | Daily Wire</title>'
...         '<meta property="og:site_name" content="Daily Wire">'
...         '<meta property="article:published_time" content="2020-03-03T08:00:00Z"></head>'
...         '<body><nav>Home | Markets</nav><article><p>Acme Corp. agreed to buy Widget Inc. '
...         'for $2 billion on Monday, the company said in a statement.</p></article></body></html>')
>>> a = parse_html(page, "acme.html")
>>> a.title, a.publisher, str(a.published)
('Acme buys Widget', 'Daily Wire', '2020-03-03')
>>> a.text
'Acme Corp. agreed to buy Widget Inc. for $2 billion on Monday, the company said in a statement.'
"""

from __future__ import annotations

import codecs
import logging
import re
from datetime import date
from pathlib import Path

from graph.errors import SourceError
from graph.sources.common import Article, clean_text, slugify, unicode_by_bytes

__all__ = ["MAX_HTML_BYTES", "parse_html", "decode_html", "clean_title"]

MAX_HTML_BYTES = 10 * 1024 * 1024  # a news page is ~50 KB-3 MB; above this it is refused, not parsed
_SINGLE_BYTE_LATIN = {"cp1252", "latin_1", "iso8859_15", "ascii"}
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]{1,40})""", re.I)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]+\s+|\s*[|·•»]\s*")

for _name in ("trafilatura", "htmldate", "charset_normalizer", "courlan"):  # their chatter is not ours to print
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def _codec(name: str | None) -> str | None:
    """Python's codec for a declared charset name, None if unknown (WHATWG: latin-1 means cp1252)."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if codec in ("latin_1", "ascii", "iso8859_1") else codec


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP ``Content-Type``.

    >>> charset_of("text/html; charset=ISO-8859-1")
    'ISO-8859-1'
    """
    m = _HEADER_CHARSET.search(content_type or "")
    return m[1] if m else None


def decode_html(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode a page: byte-order mark, then the declared charset (HTTP header, then
    ``<meta charset>``), then UTF-8, then charset-normalizer's detection.

    A page that declares a Latin single-byte charset but is valid UTF-8 with
    non-ASCII characters is read as UTF-8 (the declaration is stale).

    >>> decode_html('<meta charset="windows-1252"><p>Caf\\u00e9</p>'.encode("cp1252"), "p.html")[-8:]
    'Café</p>'
    >>> decode_html("<p>Caf\\u00e9</p>".encode("utf-8"), "p.html", "iso-8859-1")
    '<p>Café</p>'
    """
    if not data.strip():
        raise SourceError("empty file: no text to read", source)
    text = unicode_by_bytes(data, source)
    if text is not None:
        return text
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not a web page", source)
    codec = _codec(declared)
    if codec is None:
        m = _META_CHARSET.search(data[:8192])
        codec = _codec(m[1].decode("ascii")) if m else None
    if codec in _SINGLE_BYTE_LATIN or codec is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec is not None:
        return data.decode(codec, errors="replace")
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    sample = data[:200_000]
    best = from_bytes(sample).best()
    if best is None or not best.encoding:
        raise SourceError("not text in any character set charset-normalizer knows; not a web page", source)
    encoding = best.encoding
    if encoding != "cp1252" and not is_multi_byte_encoding(encoding):
        # single-byte code pages tie on short Latin text: windows-1252, the web's default, wins a tie
        western = from_bytes(sample, cp_isolation=["cp1252"]).best()
        if western is not None and western.chaos <= best.chaos + 0.01:
            encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def _key(s: str) -> str:
    return re.sub(r"\W+", "", s.lower())


def _site_key(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower()).removeprefix("www").removeprefix("the")


def _same(a: str, b: str) -> bool:
    ka, kb = _site_key(a), _site_key(b)
    if not ka or not kb:
        return False
    for tld in ("com", "org", "net", "couk", "co", "ca", "de", "in"):
        ka, kb = ka.removesuffix(tld), kb.removesuffix(tld)
    return bool(ka) and bool(kb) and (ka == kb or (min(len(ka), len(kb)) >= 4 and (ka in kb or kb in ka)))


def clean_title(title: str | None, site: str | None = None, host: str | None = None) -> str | None:
    """A headline without the site's name around it.

    >>> clean_title("Best tech gadgets of 2019 | ZDNet", "ZDNet")
    'Best tech gadgets of 2019'
    >>> clean_title("MacBook sale at Amazon - 9to5Mac", "9To5Mac")
    'MacBook sale at Amazon'
    >>> clean_title("LinkNaija | Nigeria's news: BREAKING NEWS: Chelsea win", "LinkNaija | Nigeria's news")
    'BREAKING NEWS: Chelsea win'
    >>> clean_title("Apple - the company - buys Beats", None)
    'Apple - the company - buys Beats'
    """
    if not title:
        return None
    title = re.sub(r"\s+", " ", clean_text(title)).strip()
    names = [n for n in (site, host) if n]
    for name in names:  # the whole site name as a prefix or suffix
        name = re.sub(r"\s+", " ", name).strip()
        for sep in (" | ", " - ", " – ", " — ", ": ", " :: ", " · ", " » "):
            if title.startswith(name + sep) and len(title) > len(name + sep) + 8:
                title = title[len(name + sep) :].strip()
            elif title.endswith(sep + name) and len(title) > len(sep + name) + 8:
                title = title[: -len(sep + name)].strip()
    parts = _SEPARATORS.split(title)
    if len(parts) > 1 and names and min(len(parts[0].split()), len(parts[-1].split())) <= 6:
        if any(_same(parts[-1], n) for n in names):
            cut = title.rfind(parts[-1])
            title = re.sub(r"[\s|\-–—:·•»/]+$", "", title[:cut])
        elif any(_same(parts[0], n) for n in names):
            title = re.sub(r"^[\s|\-–—:·•»/]+", "", title[len(parts[0]) :])
    return title.strip() or None


def _extract(html: str, url: str | None, **options):
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        **options,
    )


_LAYOUT_TAG = re.compile(
    r"</?(?:div|span|section|font|center|b|i|u|em|strong|table|tbody|tr|td|a)\b[^>]{0,2000}>", re.I
)
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ")", "。", "！", "？", "」", "…", ":")


def _flattened(html: str) -> str:
    """The page without layout tags: lxml gives up on a tree nested deeper than a few hundred levels."""
    return _LAYOUT_TAG.sub(" ", html)


_NOT_STORY = re.compile(
    r"^\[?\s*(?:related|read more|read also|see also|more on this|recommended|advertisement|sponsored)\b[^\]]{0,200}\]?$",
    re.I,
)


def _is_prose(p: str) -> bool:
    return len(p.split()) > 15 or p.rstrip("\"'”’)").endswith((".", "!", "?", "。", "！", "？", "…", ":"))


def _story_paragraphs(paras: list[str], title: str | None, page_title: str | None) -> list[str]:
    """The story without what sits around it: the headline, kicker and dek repeated at the
    top (short lines that are not sentences, before the first sentence), and "Related: ..." lines.

    >>> _story_paragraphs(["Review", "Acme buys Widget", "Acme agreed to buy Widget.", "[Related: Other news]"],
    ...                   "Acme buys Widget", None)
    ['Acme agreed to buy Widget.']
    """
    kept = [p for p in paras if not (len(p) < 200 and _NOT_STORY.match(p))] or paras
    titles = {_key(t) for t in (title, page_title) if t}
    top = 0
    while top < min(3, len(kept) - 1) and (_key(kept[top]) in titles or not _is_prose(kept[top])):
        top += 1
    if top < len(kept) and _is_prose(kept[top]):
        kept = kept[top:]
    return kept


def _has_story(paras: list[str]) -> bool:
    """True when some paragraph reads as prose (a menu or a lone heading is not a story)."""
    return any(len(p.split()) >= 6 or (len(p) >= 8 and p.endswith(_SENTENCE_END)) or len(p) >= 40 for p in paras)


def parse_html(
    raw: str | bytes,
    source: str,
    article_id: str | None = None,
    *,
    url: str | None = None,
    charset: str | None = None,
) -> Article:
    """Read one web page (text or bytes) into an Article; raises SourceError if it has no story.

    ``url`` is where the page came from (used when the page names no canonical
    URL); ``charset`` the one an HTTP header declared.
    """
    if isinstance(raw, bytes):
        if len(raw) > MAX_HTML_BYTES:
            raise SourceError(_too_long(len(raw)), source)
        raw = decode_html(raw, source, charset)
    elif len(raw) > MAX_HTML_BYTES:
        raise SourceError(_too_long(len(raw)), source)
    html = _CONTROLS.sub("", _XML_DECL.sub("", raw, count=1))  # the rest of clean_text runs on the output
    if not html.strip():
        raise SourceError("empty file: no text to read", source)
    if "<html" not in html[:4096].lower():  # a fragment: give it the document around it
        html = f"<html><body>{html}</body></html>"
    doc, paras = None, []
    try:
        for page, options in (
            (html, {"favor_precision": True}),
            (html, {"favor_recall": True}),
            (None, {"favor_recall": True}),
        ):
            if page is None:  # nothing found: perhaps too deep for lxml's tree
                page = _flattened(html)
                if page == html:
                    break
            found = _extract(page, url, **options)
            doc = doc or found
            paras = [
                re.sub(r"\s+", " ", p).strip() for p in clean_text((found.text or "") if found else "").splitlines()
            ]
            paras = [p for p in paras if p]
            if _has_story(paras):
                doc = found if doc is None or not (doc.text or "").strip() else doc
                break
    except (RecursionError, MemoryError) as e:
        raise SourceError(f"unreadable HTML ({type(e).__name__})", source) from e
    except Exception as e:  # trafilatura and lxml raise many types on broken markup
        raise SourceError(f"unreadable HTML ({type(e).__name__}: {e})", source) from e
    if not _has_story(paras):
        raise SourceError("no article text found in the HTML page", source)
    meta = doc
    title = clean_title(getattr(meta, "title", None), getattr(meta, "sitename", None), getattr(meta, "hostname", None))
    paras = _story_paragraphs(paras, title, getattr(meta, "title", None))
    text = "\n\n".join(paras)
    site = getattr(meta, "sitename", None) or None
    published = None
    if meta is not None and meta.date:
        try:
            published = date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    return Article(
        id=article_id or slugify(Path(source).stem),
        source=source,
        text=text,
        title=title,
        published=published,
        publisher=clean_text(site) if site else None,
        author=clean_text(meta.author) if meta is not None and meta.author else None,
        url=getattr(meta, "url", None) or url,
    )


def _too_long(n: int) -> str:
    return f"page is too long to read ({n / 2**20:.1f} MB; the limit for one HTML page is {MAX_HTML_BYTES // 2**20} MB)"
