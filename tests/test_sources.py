"""graph/sources: readers for text, HTML and JSON Lines, their character sets and their errors."""

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
    good = {
        "title": "Acme buys Widget",
        "date": "2020-03-03",
        "url": "https://n.example/1",
        "text": "Acme agreed to buy Widget for $2 billion.",
    }
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


# ---------------------------------------------------------------- web pages (trafilatura) and encodings

_BODY = (
    "<p>Acme Corp. agreed to buy Widget Inc. for $2 billion on Monday, the two companies said in a statement.</p>"
    "<p>Widget, founded by Bo Chen in 1999, makes gears and other small parts for industrial machines.</p>"
    "<p>The deal is expected to close in the second half of the year, pending approval by regulators.</p>"
)


def test_date_only_in_json_ld_and_title_without_site_name():
    html = (
        "<html><head><title>Acme buys Widget - The Daily Wire</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Acme buys Widget", "datePublished": "2019-11-18T10:00:00Z", '
        '"author": {"@type": "Person", "name": "Ann Lee"}, "publisher": {"@type": "Organization", '
        '"name": "The Daily Wire"}}</script>'
        '<link rel="canonical" href="https://wire.example/acme"></head><body>'
        "<header><a href='/'>Home</a></header><div class='story'>" + _BODY + "</div>"
        "<div class='comments'><h3>Comments</h3><p>Great deal, buy now at cheap-pills.example!!!</p></div>"
        "<div class='share'>Share on Facebook | Share on Twitter</div>"
        "<p>&copy; 2019 The Daily Wire. All rights reserved.</p></body></html>"
    )
    a = parse_html(html, "acme.html")
    assert a.title == "Acme buys Widget"
    assert a.published == date(2019, 11, 18)
    assert (a.author, a.publisher, a.url) == ("Ann Lee", "The Daily Wire", "https://wire.example/acme")
    assert a.text.startswith("Acme Corp. agreed") and a.text.endswith("approval by regulators.")
    for furniture in ("Home", "cheap-pills", "Share on", "All rights reserved"):
        assert furniture not in a.text


def test_a_whole_page_inside_a_form_and_an_article_element_in_head():
    html = (
        "<html><head><article><meta itemprop='headline' content='x'></article><title>Acme</title></head>"
        "<body><form action='/search'><div id='main'>" + _BODY + "</div></form></body></html>"
    )
    a = parse_html(html, "form.html")
    assert "Widget, founded by Bo Chen" in a.text and "regulators" in a.text


@pytest.mark.parametrize("declared", ["windows-1252", "iso-8859-1", None])
def test_declared_or_detected_latin_charsets_are_decoded(tmp_path, declared):
    meta = f'<meta charset="{declared}">' if declared else ""
    page = (
        f"<html><head>{meta}<title>Nestlé buys a café chain</title></head><body><article>"
        "<p>Nestlé agreed on Monday to buy the Café Noir chain of coffee shops for $300 million, "
        "the Swiss company said.</p><p>The purchase adds 400 cafés in France, Belgium and Zürich "
        "to its coffee business, which grew by a fifth last year.</p></article></body></html>"
    )
    p = tmp_path / "latin.html"
    p.write_bytes(page.encode("cp1252"))
    [a] = list(read_file(p))
    assert isinstance(a, Article), a
    assert "400 cafés" in a.text and "Zürich" in a.text and a.title == "Nestlé buys a café chain"


def test_stale_latin_declaration_on_a_utf8_page():
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'></head><body>"
        "<article><p>Société Générale agreed to sell its stake in the Zürich bank for €1 billion, "
        "the French lender said on Tuesday.</p></article></body></html>"
    )
    a = parse_html(page.encode("utf-8"), "sg.html")
    assert "Société Générale" in a.text and "€1 billion" in a.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_text_files_are_read(tmp_path, encoding):
    p = tmp_path / "wide.txt"
    p.write_bytes(
        "Nestlé buys\n\nBy Ann Lee\nWire, May 4, 2016\n\nNestlé agreed to buy a café chain.\n".encode(encoding)
    )
    [a] = list(read_file(p))
    assert isinstance(a, Article), a
    assert a.title == "Nestlé buys" and a.text == "Nestlé agreed to buy a café chain."


def test_broken_utf16_is_named_utf16_not_binary(tmp_path):
    p = tmp_path / "broken.txt"
    p.write_bytes(b"\xff\xfe" + "Acme bought Widget".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    [e] = list(read_file(p))
    assert isinstance(e, SourceError) and "UTF-16" in str(e) and "binary" not in str(e)


def test_utf16_html_page(tmp_path):
    p = tmp_path / "wide.html"
    p.write_bytes(("<html><body><article>" + _BODY + "</article></body></html>").encode("utf-16"))
    [a] = list(read_file(p))
    assert isinstance(a, Article) and a.text.startswith("Acme Corp. agreed")


def test_a_fifo_in_a_folder_is_passed_over_and_named_directly_is_one_line(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "ok.txt").write_text("Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn.\n")
    items = list(iter_articles([tmp_path, tmp_path / "pipe.html"]))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], SourceError) and "named pipe (FIFO)" in str(items[1]) and len(items) == 2
