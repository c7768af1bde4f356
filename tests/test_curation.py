"""graph/curation.py through the CLI: merge, alias, retract, remove, known-names, curation.

Each test works on its own copy of a store built once from data/articles, and
checks what a user sees: saved questions, ``analyze``, the view's data, exports,
and that the corrections survive ``build --force``. The last test runs the
commands against a real ``oxigraph serve`` on loopback.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from graph.cli import app as cli_app
from tests.conftest import ARTICLES

runner = CliRunner()

MURDOCH_FOX = "Lachlan Murdoch, its chairman and chief executive"
# One Alibaba shopping site named two ways: "Tmall" (article 07) and its Chinese name
# "Tianmao.com" (article 01). The build keeps them apart; a person merges them.
TMALL, TIANMAO = "Tmall", "Tianmao.com"
TMALL_FACT = ("Tmall", "subsidiaryOf", "Alibaba Group")  # stated by both articles once merged


def invoke(*args, ok=True):
    r = runner.invoke(cli_app, [str(a) for a in args])
    if ok:
        assert r.exit_code == 0, r.output
    return r


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("curation") / "store"
    invoke("build", ARTICLES, "--store", path, "-q", "--no-validate")
    return path


@pytest.fixture()
def store(built, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(built, path)
    return path


def rows(store, *args):
    r = invoke("query", "--store", store, "--format", "json", *args)
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(r.stdout)["results"]["bindings"]]


def partners_of_fox(store):
    return rows(store, "--name", "ceos-of-partners", "--param", "company=21st Century Fox")


def entities_named(store, name) -> set[str]:
    found = rows(store, f'SELECT DISTINCT ?e WHERE {{ ?e a dg:Organization ; rdfs:label|skos:altLabel "{name}" }}')
    return {x["e"] for x in found}


def assert_apart(store, a=TMALL, b=TIANMAO) -> tuple[str, str]:
    """The premise of the merge and alias tests: the articles name both, and the graph keeps them apart."""
    texts = "".join(p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt")))
    assert a in texts and b in texts, f"premise gone: data/articles no longer names both {a!r} and {b!r}"
    ea, eb = entities_named(store, a), entities_named(store, b)
    assert len(ea) == 1 and len(eb) == 1 and ea != eb, (
        f"premise gone: the build no longer keeps {a!r} ({ea}) and {b!r} ({eb}) apart as two organizations; "
        "choose another pair of names for one entity that the graph still separates"
    )
    return ea.pop(), eb.pop()


def corroborated(store) -> set[tuple[str, str, str, str]]:
    return {
        (x["subject"], x["relation"], x["object"], x["sources"]) for x in rows(store, "--name", "corroborated-facts")
    }


def headlines_mentioning(store, name) -> set[str]:
    return {x["headline"] for x in rows(store, "--name", "articles-mentioning", "--param", f"entity={name}")}


def view_data(store, tmp_path) -> str:
    out = tmp_path / "view.html"
    invoke("view", "--store", store, "-o", out)
    return re.search(r'id="dg-data">(.*?)</script>', out.read_text("utf-8"), re.S).group(1)


def test_merge_makes_one_entity_everywhere_and_survives_a_forced_rebuild(store, tmp_path):
    tmall, tianmao = assert_apart(store)
    assert not {c[:3] for c in corroborated(store)} & {TMALL_FACT}  # each article states it of "its" entity
    assert len(headlines_mentioning(store, TMALL)) == 1
    assert tianmao in view_data(store, tmp_path)
    r = invoke("merge", TMALL, TIANMAO, "--store", store, "--by", "ann")
    assert "recorded m-" in r.output
    assert (*TMALL_FACT, "2") in corroborated(store)
    assert (
        headlines_mentioning(store, TMALL) == headlines_mentioning(store, TIANMAO)
        and len(headlines_mentioning(store, TMALL)) == 2
    )
    assert entities_named(store, TIANMAO) == {tmall}  # "Tianmao.com" is now an alias of Tmall
    data = view_data(store, tmp_path)
    assert tianmao not in data and TIANMAO in data  # one node, with "Tianmao.com" among its aliases
    out = tmp_path / "ego.json"
    invoke("analyze", "--store", store, "--ego", TIANMAO, "--format", "json", "-o", out)
    assert tianmao not in out.read_text() and tmall in out.read_text()
    invoke("build", ARTICLES, "--store", store, "--force", "-q", "--no-validate")
    assert (*TMALL_FACT, "2") in corroborated(store) and entities_named(store, TIANMAO) == {tmall}
    invoke("merge", TMALL, TIANMAO, "--undo", "--store", store)
    assert assert_apart(store) == (tmall, tianmao)
    assert not {c[:3] for c in corroborated(store)} & {TMALL_FACT}
    assert tianmao in view_data(store, tmp_path)
    r = invoke("merge", TMALL, "Jack Ma", "--store", store, ok=False)
    assert r.exit_code == 1 and "different types" in r.output
    r = invoke("merge", "Tmal", TIANMAO, "--store", store, ok=False)
    assert r.exit_code == 1 and "did you mean 'Tmall'" in r.output


def test_alias_folds_the_entity_of_that_name(store):
    tmall, tianmao = assert_apart(store)
    before = headlines_mentioning(store, "Tianmao")
    assert len(before) == 1
    invoke("alias", TIANMAO, TMALL, "--store", store)  # "Tmall" is another name of Tianmao.com: fold it in
    assert entities_named(store, TMALL) == {tianmao}
    after = headlines_mentioning(store, "Tianmao")
    assert len(after) == 2 and before < after
    assert ("Tianmao.com", "subsidiaryOf", "Alibaba Group", "2") in corroborated(store)
    record = json.loads(invoke("curation", "--store", store, "--json", "--active").stdout.splitlines()[-1])
    assert record["kind"] == "AliasAddition"
    invoke("curation", "--store", store, "--undo", record["id"])
    assert assert_apart(store) == (tmall, tianmao) and headlines_mentioning(store, "Tianmao") == before


def test_retract_removes_a_fact_from_questions_the_view_and_exports(store, tmp_path):
    ceo = 'SELECT ?o WHERE { ?p dg:ceoOf ?x ; rdfs:label "Lachlan Murdoch" . ?x rdfs:label ?o }'
    assert rows(store, ceo) == [{"o": "Fox Corporation"}]
    assert MURDOCH_FOX in view_data(store, tmp_path)
    invoke("retract", "Lachlan Murdoch", "ceo_of", "Fox Corporation", "--store", store, "--note", "test")
    assert rows(store, ceo) == []
    assert rows(store, "--name", "ceo-of", "--param", "company=Fox Corporation") == []
    data = view_data(store, tmp_path)
    assert "Lachlan Murdoch" in data  # he is still chairman
    out = tmp_path / "g.json"
    invoke("analyze", "--store", store, "--ego", "Lachlan Murdoch", "--format", "json", "-o", out)
    assert '"chair of"' in out.read_text() and '"CEO of"' not in out.read_text()
    # the article graph keeps the fact: GRAPH ?g shows it, and the export carries it with the retraction
    stated = "SELECT ?f WHERE { GRAPH ?g { ?f rdf:predicate dg:ceoOf ; rdf:object id:org\\/fox } }"
    fact = rows(store, stated)[0]["f"]
    nq = invoke("export", "--store", store, "--format", "nq").stdout
    assert fact in nq and "retractedSubject" in nq
    shortcut = "<https://w3id.org/dealgraph/id/person/lachlan-murdoch> <https://w3id.org/dealgraph/ontology#ceoOf>"
    assert shortcut in nq
    assert shortcut not in invoke("export", "--store", store, "--format", "nt").stdout  # the corrected graph
    r = invoke("query", "--store", store, "--reason", "--format", "csv", ceo)
    assert r.stdout.strip() == "o"
    invoke("build", ARTICLES, "--store", store, "--force", "-q", "--no-validate")
    assert rows(store, ceo) == []
    invoke("retract", "Lachlan Murdoch", "ceo_of", "Fox Corporation", "--undo", "--store", store)
    assert rows(store, ceo) == [{"o": "Fox Corporation"}]
    # by id: that one fact node
    invoke("retract", "--id", fact.rsplit("/", 1)[1], "--store", store)
    assert rows(store, ceo) == []
    r = invoke("retract", "Lachlan Murdoch", "founder_of", "Fox Corporation", "--store", store, ok=False)
    assert r.exit_code == 1 and "no fact" in r.output
    r = invoke("retract", "Lachlan Murdoch", "boss_of", "Fox Corporation", "--store", store, ok=False)
    assert r.exit_code == 1 and "unknown relation 'boss_of'" in r.output


def test_remove_article_drops_what_only_it_stated_and_builds_skip_it(store):
    article = ARTICLES / "05_disney_fox.txt"
    fox = 'SELECT ?l WHERE { ?e rdfs:label ?l FILTER(?l = "21st Century Fox") }'
    apple = 'SELECT ?l WHERE { ?e rdfs:label ?l FILTER(?l = "Apple") }'
    assert rows(store, fox) and rows(store, apple)
    invoke("remove", article, "--store", store)
    assert rows(store, fox) == [] and rows(store, apple)
    r = invoke("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert "7 unchanged" in r.output and rows(store, fox) == []
    invoke("remove", article, "--undo", "--store", store)
    r = invoke("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert "1 added" in r.output and rows(store, fox)
    r = invoke("remove", "no-such-article.txt", "--store", store, ok=False)
    assert r.exit_code == 1 and "no stored article" in r.output


def test_known_names_change_the_next_build(store, tmp_path):
    comcast = 'SELECT ?t WHERE { ?e a ?t ; rdfs:label "Comcast" }'
    assert rows(store, comcast)
    names = tmp_path / "names.csv"
    names.write_text("name,type\nComcast,NotEntity\nActivision Blizzard,Organization\n", "utf-8")
    r = invoke("known-names", names, "--store", store)
    assert "2 new or changed names" in r.output
    assert rows(store, comcast)  # nothing changes before the build
    r = invoke("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert "8 replaced" in r.output
    assert rows(store, comcast) == []
    r = invoke("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert "8 unchanged" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Comcast,Company\n", "utf-8")
    r = invoke("known-names", bad, "--store", store, ok=False)
    assert r.exit_code == 1 and "bad.csv:1" in r.output and "Organization" in r.output


def test_curation_lists_exports_and_imports(store, built, tmp_path):
    assert_apart(store)
    invoke("merge", TMALL, TIANMAO, "--store", store, "--by", "ann")
    invoke("retract", "Lachlan Murdoch", "ceo_of", "Fox Corporation", "--store", store, "--by", "bob")
    invoke("merge", "OpenAI", "OpenAI LP", "--store", store)
    invoke("merge", "OpenAI", "OpenAI LP", "--undo", "--store", store)
    listed = invoke("curation", "--store", store).stdout.splitlines()
    assert len(listed) == 3
    assert "ann\tmerge Tmall <- Tianmao.com" in listed[0]
    assert "bob\tretract Lachlan Murdoch ceo_of Fox Corporation" in listed[1]
    assert "merge OpenAI <- OpenAI LP" in listed[2] and "(undone" in listed[2]
    records = [
        json.loads(line) for line in invoke("curation", "--store", store, "--json", "--active").stdout.splitlines()
    ]
    assert [r["kind"] for r in records] == ["Merge", "Retraction"]
    shared = tmp_path / "team.ttl"
    invoke("curation", "--store", store, "--export", shared)
    assert "dg:Merge" in shared.read_text() and len(shared.read_text()) < 5000
    other = tmp_path / "other"
    shutil.copytree(built, other)
    assert (*TMALL_FACT, "2") not in corroborated(other)
    r = invoke("curation", "--store", other, "--import", shared)
    assert "imported 3 new records" in r.output
    assert (*TMALL_FACT, "2") in corroborated(other)
    assert rows(other, "--name", "ceo-of", "--param", "company=Fox Corporation") == []
    assert "imported 0 new records" in invoke("curation", "--store", other, "--import", shared).output
    invoke("curation", "--store", other, "--undo", records[0]["id"])
    assert (*TMALL_FACT, "2") not in corroborated(other)
    assert_apart(other)


def _comparable(found: list[dict]) -> list[tuple]:
    """Rows as sorted tuples; a GROUP_CONCAT's parts sorted (engines concatenate in any order)."""

    def cell(v: str) -> str:
        for sep in (" | ", ", "):
            if sep in v:
                return sep.join(sorted(v.split(sep)))
        return v

    return sorted(tuple(sorted((k, cell(v)) for k, v in x.items())) for x in found)


def _saved_answers(store) -> dict[str, list[tuple]]:
    from graph.query import saved_queries

    out = {}
    for name, q in saved_queries().items():
        params = [f"{k}={v}" for k, v in q.params.items() if v]
        if len(params) == len(q.params):
            out[name] = _comparable(rows(store, "--name", name, *[a for p in params for a in ("--param", p)]))
    return out


ARTICLE_GRAPH_01 = "https://w3id.org/dealgraph/id/graph/01-alibaba-apple-payments"


@pytest.mark.server
def test_curation_on_a_remote_store(store, tmp_path):
    """The same commands on a real ``oxigraph serve``: queries through dealgraph (CLI, saved questions,
    ``dealgraph serve`` on the remote) answer as on the embedded store, and so does the projection."""
    import urllib.parse
    import urllib.request

    from graph.ns import CURATED_GRAPH
    from tests.oxigraph_server import DealgraphServer, OxigraphServer, oxigraph_binary

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph binary is missing (pip install oxigraph)")
    with OxigraphServer() as server:
        url = server.query_url
        invoke("build", ARTICLES, "--store", url, "-q", "--no-validate")
        tmall, tianmao = assert_apart(url)
        assert _saved_answers(url) == _saved_answers(store)
        for where in (url, store):
            invoke("merge", TMALL, TIANMAO, "--store", where)
            invoke("retract", "Lachlan Murdoch", "ceo_of", "Fox Corporation", "--store", where)
        assert (*TMALL_FACT, "2") in corroborated(url)
        assert rows(url, "--name", "ceo-of", "--param", "company=Fox Corporation") == []
        assert entities_named(url, TIANMAO) == {tmall}
        assert _saved_answers(url) == _saved_answers(store)  # every saved question, as on the embedded store
        stated = "SELECT ?f WHERE { GRAPH ?g { ?f rdf:predicate dg:ceoOf ; rdf:object id:org\\/fox } }"
        assert rows(url, stated) == rows(store, stated) != []  # GRAPH ?g still reads what the articles said

        def raw(sparql: str) -> int:  # a client of the endpoint itself
            req = urllib.request.Request(
                url, urllib.parse.urlencode({"query": sparql}).encode(), {"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(req, timeout=30) as resp:
                return len(json.loads(resp.read())["results"]["bindings"])

        label = f'SELECT ?e FROM <%s> WHERE {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> "{TIANMAO}" }}'
        assert raw(label % ARTICLE_GRAPH_01) == 1  # the article graph as extracted
        assert raw(label % CURATED_GRAPH) == 0  # the corrected union: Tianmao.com is an alias of Tmall
        with DealgraphServer(url) as served:
            q = urllib.parse.quote("SELECT ?o WHERE { ?p dg:ceoOf ?o ; rdfs:label 'Lachlan Murdoch' }")
            with urllib.request.urlopen(f"{served.endpoint}?query={q}&format=json", timeout=30) as resp:
                assert json.loads(resp.read())["results"]["bindings"] == []
        data = view_data(url, tmp_path)
        assert tianmao not in data, data[data.find(tianmao) - 400 : data.find(tianmao) + 100]
        out = tmp_path / "g.json"
        invoke("analyze", "--store", url, "--ego", "Lachlan Murdoch", "--format", "json", "-o", out)
        assert '"chair of"' in out.read_text() and '"CEO of"' not in out.read_text()
        nt = invoke("export", "--store", url, "--format", "nt").stdout  # the corrected union
        assert f"<{tianmao}> <http://www.w3.org/2000/01/rdf-schema#label>" not in nt and f"<{tmall}>" in nt
        assert (
            "<https://w3id.org/dealgraph/id/person/lachlan-murdoch> <https://w3id.org/dealgraph/ontology#ceoOf>"
            not in nt
        )
        assert len(invoke("curation", "--store", url).stdout.splitlines()) == 2
        r = invoke("build", ARTICLES, "--store", url, "-q", "--no-validate")  # a rebuild keeps the corrections
        assert "8 unchanged" in r.output and (*TMALL_FACT, "2") in corroborated(url)
        invoke("merge", TMALL, TIANMAO, "--undo", "--store", url)
        assert assert_apart(url) == (tmall, tianmao) and (*TMALL_FACT, "2") not in corroborated(url)
        invoke("remove", ARTICLES / "05_disney_fox.txt", "--store", url)
        assert rows(url, "--name", "ceo-of", "--param", "company=Fox Corporation") == []
        r = invoke("build", ARTICLES, "--store", url, "-q", "--no-validate")
        assert "7 unchanged" in r.output


@pytest.mark.server
def test_curation_on_virtuoso_applies_in_the_projection(tmp_path):
    """Virtuoso 7 never answers the curated copy's update: the commands record at once, and the
    projection (view, analyze) applies the corrections there."""
    from tests.virtuoso_server import VirtuosoServer, virtuoso_binary

    if virtuoso_binary() is None:
        pytest.skip("Virtuoso is missing (apt-get install virtuoso-opensource-7-bin)")
    with VirtuosoServer() as server:
        url = server.query_url
        invoke("build", ARTICLES, "--store", url, "-q", "--no-validate")
        tmall, tianmao = assert_apart(url)
        assert tianmao in view_data(url, tmp_path)
        invoke("merge", TMALL, TIANMAO, "--store", url)
        assert tianmao not in view_data(url, tmp_path)
        assert len(invoke("curation", "--store", url).stdout.splitlines()) == 1
