"""graph/sources.py: readers for text, HTML and JSON Lines, and their errors."""

import json
from datetime import date

import pytest

from graph.errors import SourceError
from graph.sources import Article, iter_articles, parse_html, parse_text, read_file


def test_seed_layout_and_furniture(seed_dir):
    [article] = list(iter_articles([seed_dir]))
    assert isinstance(article, Article)
    assert article.title.startswith("Jack Ma")
    assert (article.author, article.publisher, article.published) == ("Wu Jin", "China.org.cn", date(2014, 10, 29))
    for furniture in ("Adjust font size", "Comment(s)", "User Name", "Follow China.org.cn", "Bookmark", "[File photo]"):
        assert furniture not in article.text
    assert "Lions Gate Entertainment" in article.text


def test_bundled_articles_all_parse(articles_dir):
    items = list(iter_articles([articles_dir]))
    assert len(items) >= 7
    assert all(isinstance(a, Article) and a.published and a.author and a.title for a in items)


def test_html_article():
    html = """<html><head><title>Site | Story</title>
    <meta property="og:title" content="Acme buys Widget">
    <meta property="article:published_time" content="2020-03-03T08:00:00Z">
    <meta property="og:site_name" content="Daily Wire"><meta name="author" content="Ann Lee">
    <meta property="og:url" content="https://news.example/acme"></head>
    <body><nav>Home | Markets</nav><script>var x = "<p>no</p>";</script>
    <article><p>Acme Corp. agreed to buy Widget Inc. for $2 billion on Monday, the company said.</p>
    <p>Widget, founded by Bo Chen, makes gears and other small parts for machines.</p></article>
    <footer>Copyright 2020</footer></body></html>"""
    a = parse_html(html, "acme.html")
    assert a.title == "Acme buys Widget"
    assert a.published == date(2020, 3, 3)
    assert (a.publisher, a.author, a.url) == ("Daily Wire", "Ann Lee", "https://news.example/acme")
    assert a.text.startswith("Acme Corp. agreed") and "Home" not in a.text and "var x" not in a.text


def test_html_without_article_is_an_error():
    with pytest.raises(SourceError, match="no article text"):
        parse_html("<html><body><nav>menu</nav><script>x()</script></body></html>", "empty.html")


def _errors(items):
    return [i for i in items if isinstance(i, SourceError)]


def test_bad_files_give_one_clear_error_each(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.txt").write_text("  \n\n \t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news\n\nBy X\n\nN\xe9stle bought a caf\xe9 chain.".encode("latin-1"))
    (tmp_path / "page.html").write_text("<html><body><nav>only menus</nav></body></html>")
    good = {"title": "Acme buys Widget", "date": "2020-03-03", "url": "https://n.example/1",
            "text": "Acme agreed to buy Widget for $2 billion."}
    (tmp_path / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n")
    items = list(iter_articles([tmp_path]))
    errors = {(str(e.path).rsplit("/", 1)[-1], e.line): str(e) for e in _errors(items)}
    assert "empty file" in errors[("empty.txt", None)]
    assert "empty file" in errors[("blank.txt", None)]
    assert "binary" in errors[("binary.txt", None)]
    assert "UTF-8" in errors[("latin1.txt", 1)] or any("UTF-8" in v for k, v in errors.items() if k[0] == "latin1.txt")
    assert "no article text" in errors[("page.html", None)]
    assert "malformed JSON" in errors[("feed.jsonl", 2)] and "feed.jsonl:2" in errors[("feed.jsonl", 2)]
    assert "no 'text'" in errors[("feed.jsonl", 3)]
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.title for a in articles] == ["Acme buys Widget"]
    assert articles[0].published == date(2020, 3, 3)


def test_missing_path_is_an_error(tmp_path):
    [e] = list(iter_articles([tmp_path / "nope"]))
    assert isinstance(e, SourceError) and "no such file" in str(e)


def test_duplicate_ids_are_made_unique(tmp_path):
    rec = json.dumps({"id": "same", "text": "Acme bought Widget."})
    (tmp_path / "a.jsonl").write_text(rec + "\n" + rec + "\n")
    ids = [a.id for a in iter_articles([tmp_path])]
    assert ids == ["same", "same-2"]


def test_control_and_zero_width_characters_are_dropped():
    a = parse_text("Title\n\nBy A B\nWire, May 4, 2016\n\nAc\u200bme bought\x07 Widget today for cash.", "z.txt")
    assert a.text == "Acme bought Widget today for cash."


def test_read_file_never_raises_on_odd_bytes(tmp_path):
    p = tmp_path / "odd.txt"
    p.write_bytes("Head\n\n\u202eRTL \u0000 text".encode("utf-8"))
    assert all(isinstance(x, (Article, SourceError)) for x in read_file(p))
