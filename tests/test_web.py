"""Web inputs: URL lists fetched politely, web archives, feeds, ``dealgraph read``.

Every page comes from a loopback HTTP server started here, every WARC is written
here with warcio: nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import SourceError
from graph.sources import Article, Inputs, iter_articles
from graph.sources.fetch import Fetcher, read_url_list

runner = CliRunner()


def story(
    title: str,
    body: str,
    *,
    site: str = "Daily Wire",
    published: str = "2020-03-03",
    extra_head: str = "",
    charset: str = "utf-8",
) -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title} | {site}</title>'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{published}T08:00:00Z">{extra_head}</head>'
        f'<body><nav><a href="/">Home</a> | <a href="/m">Markets</a></nav>'
        f"<article><h1>{title}</h1>{paras}</article>"
        f'<aside><h3>Related</h3><ul><li><a href="/x">Apple offers iPod to everyone today</a></li></ul></aside>'
        f"<footer>Copyright 2020 Daily Wire. All rights reserved.</footer></body></html>"
    )


ACME = story(
    "Acme buys Widget",
    "Acme Corp. agreed to buy Widget Inc. for $2 billion on Monday, the companies said.\n"
    "Widget, founded by Bo Chen in 1999, makes gears and other small parts for machines.\n"
    "The deal is expected to close in the second half of the year, pending approval by regulators.",
)
NESTLE = story(
    "Nestlé buys a café chain",
    "Nestlé agreed to buy the Café Noir chain of coffee shops for $300 million.\n"
    "The Swiss company said the purchase would add 400 cafés in France and Belgium to its business.",
    charset="windows-1252",
)


class Site(BaseHTTPRequestHandler):
    """A small news site: robots.txt, pages, a feed, a slow page, a huge page, a 404, a redirect."""

    log: list[tuple[float, str]] = []
    timeout_s = 0.6

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (size cap, timeout): fine
            pass

    def do_GET(self):  # noqa: N802
        Site.log.append((time.monotonic(), self.path))
        port = self.server.server_address[1]
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/acme.html":
            self._send(200, ACME.encode("utf-8"))
        elif self.path == "/nestle.html":  # the charset only in the HTTP header and the page's meta
            self._send(200, NESTLE.encode("cp1252"), "text/html; charset=windows-1252")
        elif self.path == "/private/secret.html":
            self._send(200, ACME.encode("utf-8"))
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/acme.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow.html":
            time.sleep(self.timeout_s * 3)
            self._send(200, ACME.encode("utf-8"))
        elif self.path == "/huge.html":
            self._send(200, b"<html><body><p>" + b"word " * 400_000 + b"</p></body></html>")
        elif self.path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        elif self.path == "/feed.xml":
            items = "".join(
                f"<item><title>{t}</title><link>http://127.0.0.1:{port}{p}</link>"
                f"<pubDate>Tue, 03 Mar 2020 08:00:00 GMT</pubDate></item>"
                for t, p in (("Acme buys Widget", "/acme.html"), ("Gone", "/gone.html"))
            )
            self._send(
                200,
                f"<?xml version='1.0'?><rss version='2.0'><channel><title>Daily Wire</title>{items}"
                f"</channel></rss>".encode(),
                "application/rss+xml",
            )
        else:
            self._send(404, b"<html><body>not here</body></html>")


@pytest.fixture()
def site():
    Site.log = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _split(items):
    items = list(items)
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, SourceError)])


def test_url_list_is_fetched_politely_with_one_line_per_failure(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "\n".join(
            [
                "# a comment",
                f"{site}/acme.html",
                f"{site}/nestle.html",
                f"{site}/private/secret.html",
                f"{site}/gone.html",
                f"{site}/slow.html",
                f"{site}/huge.html",
                f"{site}/image.png",
                "ftp://x.example/a",
                "",
                f"{site}/moved",
            ]
        )
    )
    fetcher = Fetcher(tmp_path / "cache", delay=0.15, timeout=Site.timeout_s, max_bytes=1_000_000)
    articles, errors = _split(read_url_list(urls, fetcher))
    assert [a.title for a in articles] == ["Acme buys Widget", "Nestlé buys a café chain", "Acme buys Widget"]
    acme = articles[0]
    assert acme.published == date(2020, 3, 3) and acme.publisher == "Daily Wire"
    assert acme.text.startswith("Acme Corp. agreed") and "iPod" not in acme.text and "Copyright" not in acme.text
    assert acme.source == f"{site}/acme.html" and acme.url == f"{site}/acme.html"
    assert "400 cafés" in articles[1].text  # windows-1252 honoured
    assert articles[2].url == f"{site}/acme.html"  # the redirect followed
    said = {e.path: str(e) for e in errors}
    assert "robots.txt disallows" in said[f"{site}/private/secret.html"]
    assert "HTTP 404" in said[f"{site}/gone.html"]
    assert "timed out" in said[f"{site}/slow.html"]
    assert "too long" in said[f"{site}/huge.html"]
    assert "not a web page" in said[f"{site}/image.png"]
    assert any(e.line == 9 and "not an http(s) URL" in str(e) for e in errors)
    assert len(errors) == 6 and all("\n" not in str(e) for e in errors)
    paths = [p for _, p in Site.log]
    assert "/private/secret.html" not in paths and paths.count("/robots.txt") == 1
    times = [t for t, _ in Site.log]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.12, gaps  # one host: at least the delay between two requests
    # a second run asks the network nothing for the pages it has
    before = len(Site.log)
    again = Fetcher(tmp_path / "cache", delay=0, timeout=Site.timeout_s, max_bytes=1_000_000)
    assert again.article(f"{site}/acme.html").title == "Acme buys Widget"
    assert len(Site.log) == before and again.requests == 0


def test_feed_items_and_their_linked_pages(site, tmp_path):
    feed = tmp_path / "wire.rss"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Daily Wire</title>"
        f"<item><title>Acme buys Widget</title><link>{site}/acme.html</link>"
        "<pubDate>Tue, 03 Mar 2020 08:00:00 GMT</pubDate>"
        "<description>&lt;p&gt;Acme Corp. agreed to buy Widget Inc. for $2 billion.&lt;/p&gt;</description></item>"
        f"<item><title>No text here</title><link>{site}/gone.html</link></item>"
        "</channel></rss>"
    )
    articles, errors = _split(iter_articles([feed]))
    assert [(a.title, a.published, a.publisher, a.text) for a in articles] == [
        ("Acme buys Widget", date(2020, 3, 3), "Daily Wire", "Acme Corp. agreed to buy Widget Inc. for $2 billion.")
    ]
    assert len(errors) == 1 and "--fetch" in str(errors[0]) and "wire.rss:2" in str(errors[0])
    assert Site.log == []  # without --fetch nothing is fetched
    fetcher = Fetcher(tmp_path / "cache", delay=0, timeout=2)
    articles, errors = _split(iter_articles([Inputs([feed], fetcher=fetcher, fetch_links=True)]))
    assert [a.title for a in articles] == ["Acme buys Widget"]
    assert "Widget, founded by Bo Chen" in articles[0].text
    assert len(errors) == 1 and "HTTP 404" in str(errors[0])
    # a feed named in a URL list, its items' pages fetched
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/feed.xml\n")
    articles, errors = _split(iter_articles([Inputs(urls=[urls], fetcher=fetcher, fetch_links=True)]))
    assert [a.title for a in articles] == ["Acme buys Widget"] and "HTTP 404" in str(errors[0])


def test_atom_feed_with_content(tmp_path):
    atom = tmp_path / "news.atom"
    atom.write_text(
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Wire</title>"
        "<entry><title>Oracle buys NetSuite</title><link href='https://n.example/oracle'/><id>urn:1</id>"
        "<updated>2016-07-28T10:00:00Z</updated><author><name>Ann Lee</name></author>"
        "<content type='html'>&lt;p&gt;Oracle agreed to acquire NetSuite for $9.3 billion.&lt;/p&gt;"
        "&lt;p&gt;The deal closed in November.&lt;/p&gt;</content></entry></feed>",
        "utf-8",
    )
    [a] = list(iter_articles([atom]))
    assert (a.title, a.author, a.published, a.url, a.id) == (
        "Oracle buys NetSuite",
        "Ann Lee",
        date(2016, 7, 28),
        "https://n.example/oracle",
        "n-example-oracle",
    )
    assert a.text == "Oracle agreed to acquire NetSuite for $9.3 billion.\n\nThe deal closed in November."


def _warc(path: Path, records) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=str(path).endswith(".gz"))
        for uri, status, ctype, body in records:
            if status is None:  # a request record
                rec = writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            else:
                http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(rec)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_html_responses_become_articles(tmp_path, name):
    w = tmp_path / name
    _warc(
        w,
        [
            ("https://wire.example/acme", None, None, None),
            ("https://wire.example/acme", "200 OK", "text/html; charset=utf-8", ACME.encode()),
            ("https://wire.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
            ("https://wire.example/old", "301 Moved Permanently", "text/html", b""),
            ("https://wire.example/nestle", "200 OK", "text/html; charset=windows-1252", NESTLE.encode("cp1252")),
            ("https://wire.example/menu", "200 OK", "text/html", b"<html><body><nav>Home</nav></body></html>"),
        ],
    )
    (tmp_path / "ok.txt").write_text("Deal\n\nBy A B\nWire, June 13, 2016\n\nMicrosoft agreed to acquire LinkedIn.\n")
    articles, errors = _split(iter_articles([tmp_path]))
    assert [a.id for a in articles] == ["wire-example-acme", "wire-example-nestle", "ok"]
    assert articles[0].url == "https://wire.example/acme" and articles[0].source == f"{w}:2"
    assert "400 cafés" in articles[1].text
    [e] = errors
    assert "record 6 <https://wire.example/menu>" in str(e) and "no article text" in str(e) and name in str(e)


def test_damaged_warc_is_one_line_and_the_run_goes_on(tmp_path):
    good = tmp_path / "a.warc.gz"
    _warc(good, [("https://wire.example/acme", "200 OK", "text/html", ACME.encode())])
    (tmp_path / "b.warc.gz").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    (tmp_path / "c.warc").write_bytes(b"this is not a web archive\n" * 10)
    items = list(iter_articles([tmp_path]))
    by_file = {}
    for i in items:
        key = Path((i.path if isinstance(i, SourceError) else i.source).split(":")[0]).name
        by_file.setdefault(key, []).append(i)
    assert isinstance(by_file["a.warc.gz"][0], Article)
    for bad in ("b.warc.gz", "c.warc"):
        assert by_file[bad] and all(isinstance(i, SourceError) for i in by_file[bad]), by_file


def test_read_command_prints_one_json_object_per_article(tmp_path, site):
    page = tmp_path / "acme.html"
    page.write_text(ACME, "utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/nestle.html\n{site}/gone.html\n")
    r = runner.invoke(app, ["read", str(page), "--urls", str(urls), "--cache", str(tmp_path / "c"), "--delay", "0"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [x["title"] for x in rows] == ["Acme buys Widget", "Nestlé buys a café chain"]
    for key in ("id", "url", "title", "published", "author", "publisher", "text"):
        assert key in rows[0]
    assert rows[0]["published"] == "2020-03-03" and rows[0]["publisher"] == "Daily Wire"
    assert "HTTP 404" in r.stderr and "2 articles, 1 skipped" in r.stderr
    assert runner.invoke(app, ["read", "--help"]).exit_code == 0
    r = runner.invoke(app, ["read", str(tmp_path / "missing.html")])
    assert r.exit_code == 1 and "no such file" in r.stderr and "Traceback" not in r.output


def test_build_from_urls(tmp_path, site):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/acme.html\n{site}/gone.html\n")
    store = tmp_path / "store"
    r = runner.invoke(
        app,
        [
            "build",
            "--urls",
            str(urls),
            "--store",
            str(store),
            "--cache",
            str(tmp_path / "c"),
            "--delay",
            "0",
            "-q",
            "--no-validate",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "1 articles (1 added" in r.stderr and "HTTP 404" in r.stderr
    r = runner.invoke(
        app,
        ["query", "--store", str(store), "--format", "csv", "SELECT ?t WHERE { GRAPH ?g { ?a schema:headline ?t } }"],
    )
    assert r.exit_code == 0 and "Acme buys Widget" in r.stdout, r.output


def test_a_200_mb_page_is_refused_in_bounded_memory(tmp_path):
    import tracemalloc

    big = tmp_path / "big.html"
    with open(big, "wb") as f:  # sparse: 200 MB on paper, nothing written
        f.truncate(200 * 2**20)
    gz = tmp_path / "bomb.html.gz"
    with gzip.open(gz, "wb") as f:
        for _ in range(40):
            f.write(b"<p>" + b"a" * (1 << 20))
    (tmp_path / "ok.html").write_text(ACME, "utf-8")
    tracemalloc.start()
    try:
        articles, errors = _split(iter_articles([tmp_path]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [a.title for a in articles] == ["Acme buys Widget"]
    assert sorted(Path(e.path).name for e in errors) == ["big.html", "bomb.html.gz"]
    assert all("too long" in str(e) for e in errors)
    assert peak < 40 * 2**20, peak


def test_a_fifo_named_directly_says_what_it_is(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    [e] = list(iter_articles([fifo]))  # returns at once: a FIFO is never opened
    assert isinstance(e, SourceError) and "named pipe (FIFO)" in str(e) and "pipe.txt" in str(e)
    r = runner.invoke(app, ["read", str(fifo)])
    assert r.exit_code == 1 and "named pipe" in r.stderr and "Traceback" not in r.output


def test_html_benchmark_runs_on_a_small_set_written_here(tmp_path, capsys):
    from benchmarks import html_bench

    (tmp_path / "html").mkdir()
    truth = {}
    for key, page in (("a1", ACME), ("b2", NESTLE)):
        with gzip.open(tmp_path / "html" / f"{key}.html.gz", "wb") as f:
            f.write(page.encode("cp1252" if key == "b2" else "utf-8"))
        body = page.split("<h1>")[1].split("</h1>", 1)[1].split("</article>")[0]
        truth[key] = {
            "url": f"https://x.example/{key}",
            "articleBody": "\n".join(p.split("</p>")[0] for p in body.split("<p>")[1:]),
        }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    out = html_bench.main(["--data", str(tmp_path), "--json", str(tmp_path / "r.json")])
    new, old = out["results"]
    assert new["f1"] == 1.0 and new["no_text"] == 0 and new["date_found"] == 2
    assert old["no_text"] == 1  # the old reader refused the windows-1252 page
    assert "| dealgraph (trafilatura) | 1.000 |" in capsys.readouterr().out
    assert html_bench.page_counts("a b c d e", "a b c d x") == (1 / 3, 1 / 3, 1 / 3)  # one shared shingle of three
