"""The demo path, end to end: build data/articles, write the view, render it offline in Chromium."""

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.network import to_networkx
from graph.store import open_store
from tests import browser
from tests.conftest import ARTICLES

needs_chromium = pytest.mark.skipif(bool(browser.missing()), reason=browser.missing() or "ok")


@pytest.mark.browser
@needs_chromium
def test_demo_view_renders_offline(tmp_path):
    store, html = tmp_path / "store", tmp_path / "out" / "graph.html"
    runner = CliRunner()
    r = runner.invoke(app, ["build", str(ARTICLES), "--store", str(store), "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["view", "--store", str(store), "-o", str(html)])
    assert r.exit_code == 0, r.output
    with open_store(store, read_only=True) as st:
        expected_nodes = to_networkx(st).number_of_nodes()
    with browser.launch() as chromium, browser.visit(chromium, html) as seen:
        page = seen.page
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        assert page.evaluate("dgNetwork.body.data.nodes.length") == expected_nodes
        page.fill("#dg-search", "Jack Ma")
        page.press("#dg-search", "Enter")
        assert len(page.evaluate("dgNetwork.getSelectedNodes()")) == 1
        assert "Jack Ma" in page.inner_text("#dg-details")
        assert seen.errors == [] and seen.external == [] and seen.dialogs == []
