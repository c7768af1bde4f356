"""Property-based tests: the readers and extraction never crash on odd input.

Every input either yields Articles or a SourceError naming the file; extraction
of whatever text comes out returns facts (possibly none), never an exception.
The longer run is ``benchmarks/fuzz.py`` (same properties, many more examples).
"""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import SourceError
from graph.extract import extract
from graph.sources import Article, iter_articles, parse_html, parse_record, parse_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_odd = st.sampled_from(["\u200b", "\u202e", "\u2066", "\ufeff", "\x00", "\x07", "\r", "\t", "\u00a0", "\u0301",
                        "\u05d0\u05d1", "\u0627\u0644", "\U0001f600", "\ud7ff", "By ", "Inc.", "$3 billion", "\n\n"])
TEXT = st.lists(st.one_of(st.text(min_size=0, max_size=40), _odd,
                          st.sampled_from(["Apple", "acquired", "CEO of", "Jack Ma", ",", "."])), max_size=60).map("".join)


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
@given(records=st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["text", "title", "date", "url", "id"]), st.one_of(TEXT, st.integers(), st.none())),
    st.integers(), st.text(max_size=20)), max_size=8))
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
