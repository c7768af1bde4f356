"""Property-based tests: the readers and extraction never crash on odd input.

Every input either yields Articles or a SourceError naming the file; extraction
of whatever text comes out returns facts (possibly none), never an exception.
The longer run is ``benchmarks/fuzz.py`` (same properties, many more examples).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import SourceError
from graph.extract import extract
from graph.sources import Article, iter_articles, parse_html, parse_record, parse_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_odd = st.sampled_from(
    [
        "\u200b",
        "\u202e",
        "\u2066",
        "\ufeff",
        "\x00",
        "\x07",
        "\r",
        "\t",
        "\u00a0",
        "\u0301",
        "\u05d0\u05d1",
        "\u0627\u0644",
        "\U0001f600",
        "\ud7ff",
        "By ",
        "Inc.",
        "$3 billion",
        "\n\n",
    ]
)
TEXT = st.lists(
    st.one_of(
        st.text(min_size=0, max_size=40), _odd, st.sampled_from(["Apple", "acquired", "CEO of", "Jack Ma", ",", "."])
    ),
    max_size=60,
).map("".join)


def _ok(items, path):
    for item in items:
        assert isinstance(item, (Article, SourceError))
        if isinstance(item, SourceError):
            assert str(path.name) in str(item)
        else:
            assert item.text.strip()


@SETTINGS
@given(raw=st.binary(max_size=2000))
def test_any_bytes_in_a_text_file(tmp_path, raw):
    p = tmp_path / "x.txt"
    p.write_bytes(raw)
    _ok(list(iter_articles([p])), p)


@SETTINGS
@given(text=TEXT)
def test_any_text_parses_or_fails_cleanly(text):
    try:
        a = parse_text(text, "t.txt")
    except SourceError as e:
        assert "t.txt" in str(e)
        return
    assert isinstance(extract(a), list)


@SETTINGS
@given(depth=st.integers(0, 3000), text=TEXT)
def test_nested_and_broken_html(depth, text):
    html = "<div>" * depth + "<p>" + text.replace("<", "&lt;") + "</p>" + "<span><b>" * 5 + "<!-- x" * (depth % 3)
    try:
        a = parse_html(html, "p.html")
    except SourceError as e:
        assert "p.html" in str(e)
        return
    assert text.strip() == "" or a.text


@SETTINGS
@given(
    records=st.lists(
        st.one_of(
            st.dictionaries(
                st.sampled_from(["text", "title", "date", "url", "id"]), st.one_of(TEXT, st.integers(), st.none())
            ),
            st.integers(),
            st.text(max_size=20),
        ),
        max_size=8,
    )
)
def test_jsonl_records(tmp_path, records):
    p = tmp_path / "f.jsonl"
    p.write_text("\n".join([*(json.dumps(r) for r in records), "{broken"]) + "\n", "utf-8")
    items = list(iter_articles([p]))
    _ok(items, p)
    assert isinstance(items[-1], SourceError) and items[-1].line == len(records) + 1


def test_a_single_20_mb_line(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_text("Headline\n\n" + ("word " * 4_000_000), "utf-8")
    [item] = list(iter_articles([p]))
    assert isinstance(item, SourceError) and "too long" in str(item) and "huge.txt" in str(item)


def test_whitespace_only_and_empty_files(tmp_path):
    for name, content in (("a.txt", ""), ("b.txt", " \n\t\n"), ("c.html", ""), ("d.jsonl", "\n\n")):
        (tmp_path / name).write_text(content)
    items = list(iter_articles([tmp_path]))
    assert len(items) == 4 and all(isinstance(i, SourceError) for i in items)


def test_record_that_is_not_an_object():
    for value in ([], 3, "text", None):
        try:
            parse_record(value, "r.jsonl", 1)
        except SourceError as e:
            assert "r.jsonl:1" in str(e)


# ---------------------------------------------------------------- the hostile-input catalogue

_BIDI = "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f"
_RTL_WORDS = st.sampled_from(
    [
        "\u05e9\u05dc\u05d5\u05dd",
        "\u0634\u0631\u0643\u0629",
        "\u0622\u0628\u0644",
        "\u05d0\u05e4\u05dc \u05e8\u05db\u05e9\u05d4",
        "Apple",
        "acquired",
        "\u0639\u0644\u064a \u0628\u0627\u0628\u0627",
    ]
)
RTL = st.lists(
    st.one_of(_RTL_WORDS, st.sampled_from(list(_BIDI)), st.just(" "), st.just(". ")), min_size=1, max_size=40
).map("".join)


@SETTINGS
@given(title=RTL, body=RTL)
def test_right_to_left_and_bidi_controls(tmp_path, title, body):
    p = tmp_path / "rtl.txt"
    p.write_text(
        f"{title}\n\nBy Ann Lee\nWire, May 4, 2016\n\n{body} Acme Corp. agreed to buy Widget Inc. today.\n", "utf-8"
    )
    [item] = list(iter_articles([p]))
    assert isinstance(item, Article), item
    for ch in _BIDI[:9]:  # direction overrides and isolates never reach the graph
        assert ch not in item.text and ch not in (item.title or "")
    assert isinstance(extract(item), list)


@SETTINGS
@given(
    text=TEXT, attrs=st.lists(st.tuples(st.sampled_from(["onerror", "href", "src", "style", "x"]), TEXT), max_size=4)
)
def test_html_with_hostile_markup_and_extraction(text, attrs):
    attr = " ".join(f'{k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs)
    html = (
        f"<html><head><title>{text[:40]}</title><meta property='og:url' content='javascript:alert(1)'>"
        f"<script>alert(1)</script></head><body><article><p {attr}>{text}</p>"
        f"<p>Acme Corp. agreed to acquire Widget Inc. for $2 billion.</p></article></body></html>"
    )
    try:
        a = parse_html(html, "h.html")
    except SourceError as e:  # e.g. an unclosed "<Apple" swallows the page: a clean, named failure
        assert "h.html" in str(e)
        return
    assert "alert(1)" not in a.text
    assert isinstance(extract(a), list)


def test_duplicate_article_ids_stay_distinct(tmp_path):
    from graph.pipeline import build
    from graph.store import open_store

    story = "Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn for $26.2 billion.\n"
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(story.replace("LinkedIn", f"LinkedIn {sub.upper()}"), "utf-8")
    rec = {"id": "same", "text": "Oracle agreed to acquire NetSuite for $9.3 billion."}
    (tmp_path / "c.jsonl").write_text(
        json.dumps(rec) + "\n" + json.dumps({**rec, "text": rec["text"] + " Later."}) + "\n"
    )
    items = list(iter_articles([tmp_path]))
    ids = [i.id for i in items if isinstance(i, Article)]
    assert len(ids) == 4 and len(set(ids)) == 4, ids
    store = open_store("memory")
    report = build([tmp_path], store)
    assert report.added == 4 and len(store.named_graphs()) == 4


@pytest.mark.parametrize(
    "name, make",
    [
        (
            "huge.jsonl",
            lambda: (
                json.dumps({"text": "word " * 4_200_000})
                + "\n"
                + json.dumps({"text": "Acme Corp. agreed to buy Widget Inc. for $2 billion."})
                + "\n"
            ),
        ),
        ("huge.html", lambda: "<html><body><p>" + "word " * 4_200_000 + "</p></body></html>"),
        ("huge.txt", lambda: "Headline\n\nBy A B\nWire, May 4, 2016\n\n" + "word " * 4_200_000 + "\n"),
    ],
)
def test_a_single_20_mb_line_in_every_reader(tmp_path, name, make):
    p = tmp_path / name
    p.write_text(make(), "utf-8")
    (tmp_path / "ok.txt").write_text("Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn.\n")
    items = list(iter_articles([tmp_path]))
    errors = [i for i in items if isinstance(i, SourceError)]
    assert len(errors) == 1 and name in str(errors[0]) and "too long" in str(errors[0])
    assert sum(isinstance(i, Article) for i in items) == (2 if name.endswith(".jsonl") else 1)


def test_deeply_nested_html_and_control_characters(tmp_path):
    p = tmp_path / "deep.html"
    p.write_text(
        "<div>" * 200_000 + "<p>Acme Corp.\u0000\u0007\u200b agreed to acquire Widget Inc. today.</p>", "utf-8"
    )
    [item] = list(iter_articles([p]))
    assert isinstance(item, Article) and "\u200b" not in item.text and "\x07" not in item.text


@SETTINGS
@given(
    bad=st.lists(
        st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
        min_size=1,
        max_size=5,
    )
)
def test_bad_files_are_one_error_each_and_the_run_goes_on(tmp_path_factory, bad):
    d = tmp_path_factory.mktemp("mixed")
    names = []
    for i, data in enumerate(bad):
        name = f"bad{i}.{('txt', 'html', 'jsonl')[i % 3]}"
        (d / name).write_bytes(data)
        names.append(name)
    (d / "zz_good.txt").write_text("Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn.\n")
    items = list(iter_articles([d]))
    assert isinstance(items[-1], Article) and items[-1].source.endswith("zz_good.txt")
    for item in items:
        if isinstance(item, SourceError):
            assert any(n in str(item) for n in names)


def _peak_reading(folder) -> tuple[int, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        n = sum(1 for a in iter_articles([folder]) if isinstance(a, Article))
        return n, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_bounded_on_many_small_articles(tmp_path):
    """Reading streams: peak memory with 4,000 articles is about that with 500 (not 8x)."""
    for n in (500, 4000):
        d = tmp_path / str(n)
        d.mkdir()
        for i in range(n):
            (d / f"a{i:05d}.txt").write_text(
                f"Story {i}\n\nBy X Y\nWire, May 4, 2016\n\nAcme {i} bought Widget {i} today.\n"
            )
    small_n, small = _peak_reading(tmp_path / "500")
    big_n, big = _peak_reading(tmp_path / "4000")
    assert (small_n, big_n) == (500, 4000)
    assert big < 2 * small + 2_000_000, (small, big)


@SETTINGS
@given(
    raw=st.one_of(
        st.binary(max_size=2000),
        TEXT.map(
            lambda t: f"<rss><channel><item><title>{t}</title><description>{t}</description></item>".encode(
                "utf-8", "surrogatepass"
            )
        ),
    ),
    suffix=st.sampled_from([".warc", ".warc.gz", ".rss", ".atom", ".html.gz", ".html"]),
)
def test_any_bytes_as_an_archive_a_feed_or_a_page(tmp_path_factory, raw, suffix):
    p = tmp_path_factory.mktemp("web") / f"x{suffix}"
    p.write_bytes(raw)
    _ok(list(iter_articles([p])), p)
