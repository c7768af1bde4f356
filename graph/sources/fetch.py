"""Fetching pages politely: robots.txt, a delay per host, a cache on disk, timeouts, a size cap.

:class:`Fetcher` is what ``dealgraph build --urls FILE`` and ``--fetch`` (a feed's
links) use. It asks each host's ``robots.txt`` first (and keeps to it, including
``Crawl-delay``), waits ``delay`` seconds between two requests to one host,
gives up on a connection or a read after ``timeout`` seconds and on a page after
``max_bytes``, and keeps every page it got in ``cache_dir`` so that a second run
asks nothing. A failure is one :class:`~graph.errors.SourceError` naming the URL.

>>> Fetcher(cache_dir=None).get("ftp://files.example/x")
Traceback (most recent call last):
...
graph.errors.SourceError: ftp://files.example/x: not an http(s) URL
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from graph.errors import SourceError
from graph.sources.common import MAX_FILE_BYTES, Article, decode_text, read_capped, url_id
from graph.sources.html import MAX_HTML_BYTES, charset_of, parse_html

__all__ = ["Fetcher", "Page", "read_url_list", "default_cache_dir", "USER_AGENT"]

USER_AGENT = "dealgraph/0.1 (news reader; polite: robots.txt, one request per host per second)"
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 5
_HTML = ("text/html", "application/xhtml+xml")
_FEED = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")


def default_cache_dir() -> Path:
    """``$DEALGRAPH_CACHE``, else ``$XDG_CACHE_HOME/dealgraph/pages`` (``~/.cache/...``)."""
    if os.environ.get("DEALGRAPH_CACHE"):
        return Path(os.environ["DEALGRAPH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dealgraph" / "pages"


@dataclass(frozen=True)
class Page:
    """One fetched page: the URL asked, the URL answered (after redirects), its type and bytes."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    cached: bool = False
    location: str = ""  # where a redirect points

    @property
    def is_feed(self) -> bool:
        head = self.body[:4096].lower()
        return self.content_type.lower().startswith(_FEED) and (
            b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
        )

    @property
    def is_html(self) -> bool:
        return self.content_type.lower().startswith(_HTML) or (
            not self.content_type and b"<html" in self.body[:4096].lower()
        )


class Fetcher:
    """A polite HTTP client with a cache on disk (see the module docstring)."""

    def __init__(
        self,
        cache_dir: str | Path | None = "default",
        *,
        delay: float = 1.0,
        timeout: float = 15.0,
        max_bytes: int = MAX_HTML_BYTES,
        user_agent: str = USER_AGENT,
        robots: bool = True,
    ) -> None:
        import urllib3

        self.cache_dir = default_cache_dir() if cache_dir == "default" else (Path(cache_dir) if cache_dir else None)
        self.delay, self.timeout, self.max_bytes, self.robots = delay, timeout, max_bytes, robots
        self.user_agent = user_agent
        self._http = urllib3.PoolManager(
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.5",
            },
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=urllib3.Retry(
                total=None, connect=1, read=0, status=0, other=0, redirect=False, raise_on_status=False
            ),
        )
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._rules: dict[str, RobotFileParser | str | None] = {}
        self.requests = 0  # made over the network (robots.txt included)

    # ------------------------------------------------------------ the cache

    def _cache_paths(self, url: str) -> tuple[Path, Path] | None:
        if self.cache_dir is None:
            return None
        h = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        d = self.cache_dir / h[:2]
        return d / f"{h}.json", d / f"{h}.body"

    def _from_cache(self, url: str) -> Page | None:
        paths = self._cache_paths(url)
        if paths is None:
            return None
        try:
            meta = json.loads(paths[0].read_text("utf-8"))
            body = paths[1].read_bytes()
        except (OSError, ValueError):
            return None
        return Page(
            url,
            meta.get("final_url") or url,
            int(meta.get("status", 200)),
            meta.get("content_type", ""),
            body,
            cached=True,
        )

    def _to_cache(self, page: Page) -> None:
        paths = self._cache_paths(page.url)
        if paths is None:
            return
        try:
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            for path, data in (
                (paths[1], page.body),
                (
                    paths[0],
                    json.dumps(
                        {
                            "url": page.url,
                            "final_url": page.final_url,
                            "status": page.status,
                            "content_type": page.content_type,
                            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        }
                    ).encode("utf-8"),
                ),
            ):
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
        except OSError:
            pass  # a full or read-only cache costs a refetch next time, nothing more

    # ------------------------------------------------------------ the network

    def _wait(self, host: str) -> None:
        gap = max(self.delay, self._host_delay.get(host, 0.0))
        left = self._last.get(host, float("-inf")) + gap - time.monotonic()
        if left > 0:
            time.sleep(left)

    def _request(self, url: str, max_bytes: int) -> Page:
        import urllib3
        from urllib3.exceptions import HTTPError, MaxRetryError
        from urllib3.exceptions import TimeoutError as Urllib3Timeout

        host = urlsplit(url).netloc.lower()
        self._wait(host)
        self.requests += 1
        deadline = time.monotonic() + 4 * self.timeout
        try:
            r = self._http.request("GET", url, preload_content=False, decode_content=True, redirect=False)
        except MaxRetryError as e:
            raise SourceError(_network_reason(e.reason, self.timeout), url) from None
        except (Urllib3Timeout, HTTPError, OSError, ValueError) as e:
            raise SourceError(_network_reason(e, self.timeout), url) from None
        finally:
            self._last[host] = time.monotonic()
        try:
            length = r.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise SourceError(
                    f"page is too long to fetch ({int(length) / 2**20:.1f} MB; the limit is {max_bytes // 2**20} MB)",
                    url,
                )
            chunks, size = [], 0
            for chunk in r.stream(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(f"page is too long to fetch (more than {max_bytes // 2**20} MB)", url)
                if time.monotonic() > deadline:
                    raise SourceError(f"gave up: the page took more than {4 * self.timeout:g} s to arrive", url)
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise SourceError(_network_reason(e, self.timeout), url) from None
        finally:
            r.close()
            self._last[host] = time.monotonic()
        return Page(
            url,
            url,
            r.status,
            r.headers.get("Content-Type", ""),
            b"".join(chunks),
            location=r.headers.get("Location", "") if r.status in _REDIRECTS else "",
        )

    def _allowed(self, url: str) -> None:
        """Raise SourceError when the host's robots.txt forbids the URL."""
        if not self.robots:
            return
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._rules:
            rules: RobotFileParser | str | None
            try:
                page = self._request(base + "/robots.txt", 512 * 1024)
            except SourceError:
                rules = None  # unreachable: the page's own request will say why
            else:
                if page.status >= 500:
                    rules = f"robots.txt answered HTTP {page.status}"
                elif page.status >= 400:
                    rules = None  # no robots.txt: everything is allowed
                else:
                    rules = RobotFileParser()
                    rules.parse(page.body.decode("utf-8", "replace").splitlines())
                    crawl = rules.crawl_delay(self.user_agent)
                    if crawl:
                        self._host_delay[parts.netloc.lower()] = min(float(crawl), 60.0)
            self._rules[base] = rules
        rules = self._rules[base]
        if isinstance(rules, str):
            raise SourceError(f"{rules}: not fetched (a server error there means: do not crawl)", url)
        if rules is not None and not rules.can_fetch(self.user_agent, url):
            raise SourceError("robots.txt disallows it: not fetched", url)

    # ------------------------------------------------------------ the API

    def get(self, url: str) -> Page:
        """The page at ``url`` (from the cache when there); SourceError on any failure or non-2xx answer."""
        if not re.match(r"https?://[^/\s]+", url, re.I):
            raise SourceError("not an http(s) URL", url)
        cached = self._from_cache(url)
        if cached is not None:
            return cached
        current = url
        for _hop in range(_MAX_REDIRECTS + 1):  # each hop asks robots.txt and waits its turn
            self._allowed(current)
            page = self._request(current, self.max_bytes)
            if not page.location:
                break
            current = urljoin(current, page.location)
            if not re.match(r"https?://[^/\s]+", current, re.I):
                raise SourceError(f"redirected to a non-http(s) URL ({current[:200]})", url)
        else:
            raise SourceError(f"more than {_MAX_REDIRECTS} redirects", url)
        page = Page(url, current, page.status, page.content_type, page.body)
        if not 200 <= page.status < 300:
            from http import HTTPStatus

            try:
                phrase = HTTPStatus(page.status).phrase
            except ValueError:
                phrase = ""
            raise SourceError(f"HTTP {page.status} {phrase}".strip(), url)
        self._to_cache(page)
        return page

    def article(self, url: str) -> Article:
        """The web page at ``url`` read as an article (its id from the URL)."""
        page = self.get(url)
        if not page.is_html:
            raise SourceError(f"not a web page (content type {page.content_type or 'unknown'})", url)
        return parse_html(page.body, url, url_id(url), url=page.final_url, charset=charset_of(page.content_type))

    def close(self) -> None:
        self._http.clear()


def _network_reason(e: BaseException | None, timeout: float) -> str:
    from urllib3.exceptions import NameResolutionError, NewConnectionError, ProtocolError, SSLError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout

    if isinstance(e, Urllib3Timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(e, NameResolutionError):
        return "unknown host (name resolution failed)"
    if isinstance(e, NewConnectionError):
        return "connection refused or unreachable"
    if isinstance(e, SSLError):
        return "TLS error (certificate or handshake)"
    if isinstance(e, ProtocolError):
        return "the connection broke off"
    text = str(e) if e else "unknown error"
    if "redirect" in text.lower():
        return "too many redirects"
    return f"cannot fetch ({type(e).__name__})"


def read_url_list(path: str | Path, fetcher: Fetcher, *, fetch_links: bool = False) -> Iterator[Article | SourceError]:
    """Fetch and read every URL of a file (one a line; blank lines and ``#`` lines skipped).

    A page is read as a web page, a feed as its items (with ``fetch_links``, each
    item's linked page is fetched too). Each failure is one SourceError.
    """
    source = str(path)
    try:
        raw = decode_text(read_capped(Path(path), source, MAX_FILE_BYTES), source)
    except SourceError as e:
        yield e
        return
    except OSError as e:
        yield SourceError(f"cannot read file ({e.strerror or e})", source)
        return
    for n, line in enumerate(raw.splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not re.match(r"https?://[^/\s]+\S*$", url, re.I):
            yield SourceError(f"not an http(s) URL: {url[:200]!r}", source, n)
            continue
        try:
            page = fetcher.get(url)
            if page.is_feed:
                from graph.sources.feeds import read_feed

                yield from read_feed(page.body, url, fetcher=fetcher if fetch_links else None)
            elif page.is_html:
                yield parse_html(page.body, url, url_id(url), url=page.final_url, charset=charset_of(page.content_type))
            else:
                yield SourceError(f"not a web page or feed (content type {page.content_type or 'unknown'})", url)
        except SourceError as e:
            yield e
