"""graph/export.py: every format, and JSON-LD that reads well and reads back to the same quads."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from graph.export import CONTEXT_FILE, export_store, to_jsonld


@pytest.fixture(scope="module")
def quads(built_store) -> set:
    return set(ox.parse(built_store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def jsonld_text(built_store) -> str:
    return export_store(built_store, "jsonld")


@pytest.fixture(scope="module")
def doc(jsonld_text) -> dict:
    return json.loads(jsonld_text)


def nodes(doc: dict) -> list[dict]:
    return [n for g in doc["graph"] for n in g["graph"]]


@pytest.mark.parametrize("fmt,rdf_format", [("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)])
def test_quad_formats_keep_the_named_graphs(built_store, quads, fmt, rdf_format):
    back = set(ox.parse(export_store(built_store, fmt).encode(), format=rdf_format))
    assert back == quads


@pytest.mark.parametrize("fmt,rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)])
def test_triple_formats_merge_the_graphs(built_store, quads, fmt, rdf_format):
    back = {q.triple for q in ox.parse(export_store(built_store, fmt).encode(), format=rdf_format)}
    assert back == {q.triple for q in quads}


def test_unknown_format(built_store):
    with pytest.raises(ValueError, match="jsonld"):
        export_store(built_store, "xml")


def test_jsonld_reads_back_to_the_same_quads(jsonld_text, quads):
    back = set(ox.parse(jsonld_text.encode(), format=ox.RdfFormat.JSON_LD))
    assert back == quads


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_reads_the_jsonld_too(jsonld_text, quads):
    ds = Dataset()
    ds.parse(data=jsonld_text, format="json-ld")
    assert sum(1 for _ in ds.quads((None, None, None, None))) == len(quads)


def test_jsonld_uses_the_context_file(doc):
    assert doc["@context"] == json.loads(CONTEXT_FILE.read_text("utf-8"))["@context"]
    assert set(doc) == {"@context", "graph"}
    assert all(set(g) == {"id", "graph"} for g in doc["graph"])
    assert [g["id"] for g in doc["graph"]] == sorted(g["id"] for g in doc["graph"])


def test_jsonld_reads_like_plain_json(doc):
    everything = nodes(doc)
    jack = next(n for n in everything if n.get("label") == "Jack Ma")
    assert list(jack)[:3] == ["id", "type", "label"]
    assert jack["type"] == "Person"
    assert jack["ceoOf"] == ["https://w3id.org/dealgraph/id/org/alibaba"]

    fact = next(n for n in everything if n.get("predicate") == "ceoOf" and n["subject"].endswith("/jack-ma"))
    assert sorted(fact["type"]) == ["Fact", "Statement"]
    assert list(fact)[2:5] == ["subject", "predicate", "object"]
    assert isinstance(fact["evidence"], str) and fact["statedIn"].startswith("https://w3id.org/dealgraph/id/article/")
    assert fact["confidence"] == str(fact["confidence"])  # decimals stay exact, as strings
    assert fact["date"] == "2014-10-29"

    article = next(n for n in everything if "Article" in n.get("type", []))
    assert isinstance(article["wordCount"], int)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", article["datePublished"])

    deal = next(n for n in everything if "Acquisition" in n.get("type", []) and n.get("value"))
    assert isinstance(deal["acquirer"], str) and len(deal["party"]) == 2
    assert deal["currency"] == "USD" and deal["value"].isdigit()


def test_only_dates_of_another_precision_are_value_objects(doc):
    dates = [n["date"] for n in nodes(doc) if "date" in n]
    objects = [d for d in dates if isinstance(d, dict)]
    assert objects, "data/articles has month- or year-only dates"
    assert all(set(d) == {"@value", "@type"} and d["@type"] in ("xsd:gYear", "xsd:gYearMonth") for d in objects)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates if isinstance(d, str))
    assert not any(key.startswith("dg:") for n in nodes(doc) for key in n), "every key is a word of the context"


def test_a_node_in_the_default_graph_and_an_unknown_property():
    graph = ox.NamedNode("https://example.org/g")
    q = [
        ox.Quad(
            ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/p"), ox.Literal("v", language="en")
        ),
        ox.Quad(
            ox.NamedNode("https://example.org/x"),
            ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy"),
            ox.NamedNode("https://example.org/run"),
            graph,
        ),
    ]
    doc = to_jsonld(q)
    assert doc["graph"][0] == {
        "id": "https://example.org/x",
        "https://example.org/p": {"@value": "v", "@language": "en"},
    }
    assert doc["graph"][1]["graph"][0]["prov:wasGeneratedBy"] == {"id": "https://example.org/run"}
    assert set(ox.parse(json.dumps(doc).encode(), format=ox.RdfFormat.JSON_LD)) == set(q)
