"""``make bench-html``: the HTML reader on the article-extraction benchmark, beside the old one.

The benchmark (``../shared/data/html/aeb``: 181 real news and blog pages, the
human-checked article body of each) is scored with its own metric, written here:
each text becomes a bag of overlapping 4-word sequences of ``\\w+`` tokens; per page
tp/fp/fn are counted between the bags and normalised to sum 1; precision is the
mean over pages with some predicted shingle, recall the mean over pages with some
true shingle, F1 is computed from those two means.

Reported per reader, in one run: P/R/F1, pages with no text (failures), pages with
F1 below 0.5, publication date found, title found, pages per second of CPU time on
one core (text and metadata). ``--facts`` also runs dealgraph's extraction on the
English pages and counts the facts whose evidence sentence is not in the
ground-truth body (slower; ``--limit N`` reads only the first N pages).

The old reader is the standard-library parser that ``graph/sources.py`` had before
trafilatura replaced it; it is kept below (``legacy_parse_html``) only so that this
comparison can be run again.

    python -m benchmarks.html_bench [--facts] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from graph.errors import SourceError
from graph.sources import Article, parse_html
from graph.sources.common import clean_text, paragraphs, parse_date, slugify, story_body

_ROOT = Path(__file__).resolve().parents[1]
DATA = next(
    (
        p / "data" / "html" / "aeb"
        for p in (_ROOT.parent / "shared", _ROOT.parent.parent / "shared")
        if (p / "data" / "html" / "aeb").is_dir()
    ),
    _ROOT.parent / "shared" / "data" / "html" / "aeb",
)

# ---------------------------------------------------------------- the benchmark's metric

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    """The bag of n-word sequences of a text (a text shorter than n is one sequence).

    >>> sorted(shingles("a b c d e"))
    [('a', 'b', 'c', 'd'), ('b', 'c', 'd', 'e')]
    >>> shingles("a b")
    Counter({('a', 'b'): 1})
    """
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def page_counts(true: str, pred: str) -> tuple[float, float, float]:
    """tp, fp, fn of one page, normalised to sum 1 (so long pages weigh as much as short ones).

    >>> page_counts("the cat sat on the mat", "the cat sat on the mat")
    (1.0, 0.0, 0.0)
    """
    t, p = shingles(true), shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def _precision(tp, fp, fn):
    return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))


def _recall(tp, fp, fn):
    return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))


def aggregate(rows: list[tuple[float, float, float]]) -> dict:
    """Precision, recall (means over pages) and F1 of those means.

    >>> aggregate([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    {'precision': 0.75, 'recall': 1.0, 'f1': 0.857}
    """
    ps = [_precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [_recall(*r) for r in rows if r[0] + r[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4) if f else 0.0}


def page_f1(row) -> float:
    p, r = _precision(*row), _recall(*row)
    return 2 * p * r / (p + r) if p + r else 0.0


# ---------------------------------------------------------------- the old reader, for comparison


class _LegacyParser(HTMLParser):
    """The hand-written reader's parser: title, meta tags and paragraph text of a page."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "button"}
    BLOCKS = {"p", "h1", "h2", "h3", "li", "blockquote", "div", "section", "article", "br", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.chunks: list[str] = []
        self.article_chunks: list[str] = []
        self._skip = 0
        self._in_title = False
        self._in_article = 0

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


def legacy_parse_html(data: bytes, source: str) -> Article:
    """The old reader, as it was: strict UTF-8, the standard-library parser, meta tags only."""
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError("not valid UTF-8", source) from e
    parser = _LegacyParser()
    try:
        parser.feed(clean_text(raw))
        parser.close()
    except (AssertionError, ValueError) as e:
        raise SourceError(f"unreadable HTML ({e})", source) from e
    chunks = parser.article_chunks or parser.chunks
    paras = [re.sub(r"\s+", " ", p).strip() for p in "".join(chunks).split("\n\n")]
    text = story_body([p for p in paras if p])
    if not text:
        raise SourceError("no article text found in the HTML page", source)
    m = parser.meta
    title = m.get("og:title") or m.get("headline") or parser.title.strip() or None
    published = parse_date(m.get("article:published_time") or m.get("datepublished") or m.get("date") or m.get("time"))
    return Article(
        id=slugify(Path(source).stem),
        source=source,
        text=text,
        title=re.sub(r"\s+", " ", title) if title else None,
        published=published,
        publisher=m.get("og:site_name") or m.get("publisher") or None,
        author=m.get("author") or m.get("article:author") or None,
        url=m.get("og:url") or m.get("canonical") or None,
    )


def new_parse_html(data: bytes, source: str) -> Article:
    return parse_html(data, source)


READERS = {"dealgraph (trafilatura)": new_parse_html, "old reader (html.parser)": legacy_parse_html}
assert paragraphs  # re-exported helpers the old reader relied on stay importable

# ---------------------------------------------------------------- the run

_EN = set(
    "the of and to in a is that for on with as was by at it from he said his be are has have an which "
    "this were but not or its their they will been also who after".split()
)


def is_english(text: str) -> bool:
    """True when the usual English function words make up a tenth of the words or more."""
    words = re.findall(r"[A-Za-z]+", text.lower())
    return bool(words) and sum(w in _EN for w in words) / len(words) >= 0.1 and len(words) >= 0.5 * len(text.split())


def _norm(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def load(data: Path = DATA, limit: int | None = None) -> list[tuple[str, bytes, str]]:
    """``(id, page bytes, true body)`` of every benchmark page, sorted by id."""
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    pages = []
    for path in sorted((data / "html").glob("*.html.gz")):
        key = path.name.split(".")[0]
        pages.append((key, gzip.decompress(path.read_bytes()), truth[key]["articleBody"]))
    return pages[:limit] if limit else pages


def run_reader(name: str, read, pages) -> tuple[dict, dict]:
    rows, out, failures, low = [], {}, [], 0
    dates = titles = 0
    cpu = time.process_time()
    for key, data, _truth in pages:
        try:
            a = read(data, f"{key}.html")
        except SourceError as e:
            failures.append(f"{key[:12]}: {e}")
            a = None
        out[key] = a
    cpu = time.process_time() - cpu
    for key, _data, truth in pages:
        a = out[key]
        row = page_counts(truth, a.text if a else "")
        rows.append(row)
        low += page_f1(row) < 0.5
        dates += bool(a and a.published)
        titles += bool(a and a.title)
    halves = {
        h: aggregate([r for r, (k, _, _) in zip(rows, pages) if (k[0] < "8") == (h == "ids 0-7")])["f1"]
        for h in ("ids 0-7", "ids 8-f")
    }
    result = {
        "reader": name,
        **aggregate(rows),
        "f1_halves": halves,
        "pages": len(pages),
        "no_text": len(failures),
        "f1_below_0.5": low,
        "date_found": dates,
        "title_found": titles,
        "pages_per_s": round(len(pages) / cpu, 1) if cpu else None,
        "failures": failures,
    }
    return result, out


def facts_outside(articles: dict, pages) -> dict:
    """Extract facts from the English pages as read; count evidence sentences not in the true body."""
    from graph.extract import extract

    truth = {k: _norm(t) for k, _, t in pages if is_english(t)}
    total = outside = 0
    examples, crashed = [], []
    for key, a in articles.items():
        if a is None or key not in truth:
            continue
        try:
            facts = extract(a)
        except Exception as e:  # an extraction bug must not hide the reader's figures; it is listed
            crashed.append(f"{key[:12]}: {type(e).__name__}: {e}")
            continue
        for f in facts:
            total += 1
            if _norm(f.evidence) not in truth[key]:
                outside += 1
                if len(examples) < 8:
                    examples.append(f"{key[:12]}: {f.subject} -{f.relation}-> {f.object} | {f.evidence[:100]}")
    return {
        "english_pages": len(truth),
        "facts": total,
        "outside": outside,
        "outside_share": round(outside / total, 4) if total else None,
        "examples": examples,
        "extraction_crashed": crashed,
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DATA, help="the benchmark folder (ground-truth.json, html/)")
    ap.add_argument("--limit", type=int, default=None, help="read only the first N pages")
    ap.add_argument("--facts", action="store_true", help="also count facts from outside the story (runs extraction)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here as JSON")
    ap.add_argument("--show-failures", action="store_true", help="list the pages each reader found no text in")
    args = ap.parse_args(argv)
    data = args.data
    if not (data / "ground-truth.json").is_file():
        print(
            f"no benchmark at {data} (expected ground-truth.json and html/); pass --data ../shared/data/html/aeb",
            file=sys.stderr,
        )
        raise SystemExit(1)
    pages = load(data, args.limit)
    results, read = [], {}
    for name, reader in READERS.items():
        r, out = run_reader(name, reader, pages)
        if args.facts:
            r["facts"] = facts_outside(out, pages)
        results.append(r)
        read[name] = out
    n = len(pages)
    lines = [
        f"HTML reader on the article-extraction benchmark ({n} pages, {data})",
        "",
        "| reader | P | R | F1 | F1 ids 0-7 / 8-f | no text | F1 < 0.5 | date found | title found | pages/s (1 core) |"
        + (" facts | outside the story |" if args.facts else ""),
        "|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if args.facts else ""),
    ]
    for r in results:
        h = r["f1_halves"]
        line = (
            f"| {r['reader']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
            f"{h['ids 0-7']:.3f} / {h['ids 8-f']:.3f} | {r['no_text']} | {r['f1_below_0.5']} | "
            f"{r['date_found']} of {n} | {r['title_found']} of {n} | {r['pages_per_s']} |"
        )
        if args.facts:
            f = r["facts"]
            share = f"{f['outside_share']:.1%}" if f["outside_share"] is not None else "-"
            line += f" {f['facts']} on {f['english_pages']} English pages | {f['outside']} ({share}) |"
        lines.append(line)
    new = results[0]
    targets = [
        ("F1 >= 0.96", new["f1"] >= 0.96),
        ("no page without text", new["no_text"] == 0),
        ("date on >= 95% of pages", new["date_found"] >= 0.95 * n),
        ("pages/s >= 30 on one core", (new["pages_per_s"] or 0) >= 30),
    ]
    if args.facts and new["facts"]["outside_share"] is not None:
        targets.append(("facts from outside the story <= 2%", new["facts"]["outside_share"] <= 0.02))
    lines += ["", "Targets (new reader): " + "; ".join(f"{t} {'met' if ok else 'NOT met'}" for t, ok in targets)]
    for r in results:
        if args.show_failures and r["failures"]:
            lines += ["", f"{r['reader']}: no text on", *(f"  {x}" for x in r["failures"])]
        if args.facts and r["facts"]["examples"]:
            lines += [
                "",
                f"{r['reader']}: facts from outside the story, e.g.",
                *(f"  {x}" for x in r["facts"]["examples"]),
            ]
        if args.facts and r["facts"]["extraction_crashed"]:
            lines += [
                "",
                f"{r['reader']}: extraction crashed on",
                *(f"  {x}" for x in r["facts"]["extraction_crashed"]),
            ]
    print("\n".join(lines))
    out = {"pages": n, "results": results, "targets": {t: ok for t, ok in targets}}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False), "utf-8")
    return out


if __name__ == "__main__":
    main()
