"""The query page in headless Chromium (network blocked but for the local server): readable saved
questions, a box per parameter that changes the answer, and short SPARQL syntax errors (page, HTTP
400 body, CLI)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from graph.cli import app
from tests import browser

needs_chromium = pytest.mark.skipif(bool(browser.missing()), reason=browser.missing() or "ok")
BROKEN = "SELECT ?who WHERE {\n  ?p dg:ceoOf ?o ;\n     foo:label ?who .\n}"


@pytest.fixture(scope="module")
def served(store_dir):
    from tests.oxigraph_server import DealgraphServer

    with DealgraphServer(store_dir) as server:
        yield server


@pytest.fixture(scope="module")
def page(served):
    if browser.missing():
        pytest.skip(browser.missing())
    with browser.launch() as b:
        context = b.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
        external, errors = [], []

        def guard(route):
            if route.request.url.startswith(served.base + "/"):
                route.continue_()
            else:
                external.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        p = context.new_page()
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.goto(served.base + "/")
        _wait_for(p, "window.dgExamples > 0")
        yield p
        assert not external and not errors, (external, errors)
        context.close()


def _wait_for(page, expression: str, timeout: float = 15.0) -> None:
    """Poll ``expression`` (the page's CSP forbids the eval that page.wait_for_function needs)."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > end:
            raise TimeoutError(expression)
        time.sleep(0.05)


def _luminance(rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#results tbody tr", "trs => trs.map(tr => [...tr.cells].map(td => td.textContent))"
    )


def _run_and_wait(page, action) -> None:
    page.evaluate("window.dgLastResult = null")
    action()
    _wait_for(page, "window.dgLastResult !== null || !document.getElementById('error').hidden")


@pytest.mark.browser
@needs_chromium
def test_saved_question_names_are_readable(page):
    colours = page.eval_on_selector_all(
        "#examples button",
        "bs => bs.map(b => [getComputedStyle(b.querySelector('.name')).color, "
        "getComputedStyle(b).backgroundColor, getComputedStyle(b.querySelector('.desc')).color])",
    )
    assert len(colours) >= 20
    for name, background, desc in colours:
        assert _contrast(name, background) >= 4.5, (name, background)  # WCAG AA for text
        assert _contrast(desc, background) >= 4.5, (desc, background)


@pytest.mark.browser
@needs_chromium
def test_a_parameter_is_one_box_and_editing_it_changes_the_answer(page, store_dir):
    _run_and_wait(page, lambda: page.click("#examples button:has(.name:text-is('ceo-of'))"))
    assert page.input_value("#param-company") == "Alibaba"
    assert page.locator("#params input").count() == 1
    assert "VALUES" not in page.input_value("#query")  # bound when it runs, once, from the box
    assert "Jack Ma" in {r[0] for r in _rows(page)}
    page.fill("#param-company", "Microsoft")
    _run_and_wait(page, lambda: page.click("#run"))
    shown = {(r[0], r[1]) for r in _rows(page)}
    cli = CliRunner().invoke(
        app,
        ["query", "--name", "ceo-of", "--param", "company=Microsoft", "--store", str(store_dir), "--format", "json"],
    )
    expected = {(b["ceo"]["value"], b["org"]["value"]) for b in json.loads(cli.stdout)["results"]["bindings"]}
    assert shown == expected and ("Satya Nadella", "Microsoft") in shown
    assert "Jack Ma" not in {r[0] for r in _rows(page)}


@pytest.mark.browser
@needs_chromium
def test_syntax_error_on_the_page_is_short_and_points_at_the_line(page):
    page.fill("#query", BROKEN)
    page.evaluate("document.getElementById('params').hidden = true")
    _run_and_wait(page, lambda: page.click("#run"))
    text = page.text_content("#error").strip()
    assert text.startswith("SPARQL syntax error at line 3, column ") and "unknown prefix foo:" in text
    assert "\\u{" not in text and "\n" not in text and len(text) < 200
    assert page.evaluate("window.dgErrorAt.line") == 3
    selected = page.evaluate("(q => q.value.slice(q.selectionStart, q.selectionEnd))(document.getElementById('query'))")
    assert "foo:label" in selected


def test_syntax_error_in_the_400_body_and_the_cli(served, store_dir):
    url = served.endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x ?p ?o } LIMT 3"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=10)
    body = caught.value.read().decode()
    assert caught.value.code == 400
    assert body.strip() == (
        'SPARQL syntax error at line 1, column 36: expected HAVING, OFFSET, OPTIONAL or VALUES (near "?o } LIMT 3")'
    )
    r = CliRunner().invoke(app, ["query", BROKEN, "--store", str(store_dir)])
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        'Error: SPARQL syntax error at line 3, column 15: unknown prefix foo: (near "foo:label ?who .")'
    )
