"""docs/ontology.md is generated from ontology/dealgraph.ttl by tools/ontology_docs.py, and kept up to date."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from graph.ns import DG, ID
from graph.validate import validate
from tools.ontology_docs import (
    _PAGE_PREFIXES,
    DOCS_FILE,
    EXAMPLE,
    ONTOLOGY_FILE,
    example_dataset,
    main,
    ontology_markdown,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def page() -> str:
    return ontology_markdown()


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def dg_terms(onto: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    return sorted(
        {s for k in kinds for s in onto.subjects(RDF.type, k) if isinstance(s, URIRef) and s.startswith(str(DG))}
    )


def section(page: str, term: URIRef) -> str:
    name = f"dg:{term[len(str(DG)) :]}"
    m = re.search(rf"^### {re.escape(name)}\n(.*?)(?=^### |^## |\Z)", page, re.S | re.M)
    assert m, f"no section for {name}"
    return m.group(1)


def test_the_committed_page_is_up_to_date(page):
    assert DOCS_FILE.read_text("utf-8") == page, "docs/ontology.md is stale: run `python -m tools.ontology_docs`"


def test_check_mode(tmp_path, page):
    stale = tmp_path / "ontology.md"
    stale.write_text("old\n", "utf-8")
    assert main(["--check", "-o", str(stale)]) == 1
    assert stale.read_text("utf-8") == "old\n"
    assert main(["-o", str(stale)]) == 0
    assert stale.read_text("utf-8") == page
    assert main(["--check", "-o", str(stale)]) == 0


def test_every_term_has_a_section_with_its_label_and_an_example(page, onto):
    terms = dg_terms(onto)
    assert len(terms) > 40
    for term in terms:
        text = section(page, term)
        label = str(onto.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        assert f"*{label}*" in text, term
        assert "```turtle" in text, f"{term} has no example"


def test_alignments_superclasses_and_ranges_are_shown(page):
    assert "`wdt:P169`" in section(page, DG.ceoOf)
    assert "`org:headOf`" in section(page, DG.ceoOf)
    assert "[dg:affiliatedWith](#dg-affiliatedWith)" in section(page, DG.ceoOf)
    assert "`schema:Person`" in section(page, DG.Person)
    assert "[dg:Deal](#dg-Deal)" in section(page, DG.Acquisition)
    assert "symmetric" in section(page, DG.dealWith)
    assert "[dg:Organization](#dg-Organization) or [dg:Person](#dg-Person)" in section(page, DG.investor)
    assert '"proposed", "announced", "completed", "terminated"' in section(page, DG.status)
    assert "xsd:decimal" in section(page, DG.confidence) and ">= 0" in section(page, DG.confidence)
    assert "not" in section(page, DG.Partnership).lower() and "FIBO" in section(page, DG.Partnership)


def test_a_term_never_written_by_the_extractor_gets_an_entailed_example(page):
    text = section(page, DG.affiliatedWith)
    assert "# entailed" in text and "dg:affiliatedWith" in text


def test_the_diagram_draws_every_class(page, onto):
    diagram = re.search(r"```mermaid\n(.*?)```", page, re.S).group(1)
    assert diagram.startswith("classDiagram")
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and cls.startswith(str(DG)):
            assert re.search(rf"\bclass {cls[len(str(DG)) :]}\b", diagram), cls
    assert "Deal <|-- Acquisition" in diagram
    assert "Person --> Organization :" in diagram


def test_every_example_is_valid_turtle(page):
    head = f"@base <{ID}> .\n" + "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in _PAGE_PREFIXES.items())
    blocks = re.findall(r"```turtle\n(.*?)```", page, re.S)
    assert len(blocks) > 40
    for block in blocks:
        Graph().parse(data=head + block, format="turtle")


def test_the_example_data_conforms_to_the_shapes():
    report = validate(example_dataset())
    assert report.conforms, report.text()
    assert "Acme" in EXAMPLE  # the made-up second article is there
