"""Open pages in Debian's headless Chromium, offline, and record what they do.

Playwright drives ``/usr/bin/chromium``; it never downloads a browser. Every
request that is not ``file:`` or ``data:`` is recorded and aborted.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL = ("file:", "data:", "blob:", "about:")


def missing():
    """Why browser tests cannot run here, or "" when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e .[dev])"
    return ""


@dataclass
class Visit:
    """A page and what it did: console errors, external requests, dialogs."""

    page: object
    errors: list = field(default_factory=list)
    external: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)


@contextlib.contextmanager
def launch():
    """Yield a headless Chromium ``Browser``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def visit(browser, path, *, width=1400, height=900):
    """Open ``path`` (a local file) with the network cut off; yield a :class:`Visit`."""
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    page = context.new_page()
    seen = Visit(page)

    def guard(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    def dialog(d):
        seen.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", guard)
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else seen.external.append(r.url))
    page.on("websocket", lambda ws: seen.external.append(ws.url))
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("dialog", dialog)
    try:
        page.goto(Path(path).resolve().as_uri())
        yield seen
    finally:
        context.close()
