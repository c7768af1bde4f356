"""Inference on demand (graph/reason.py, `query --reason`): RDFS and OWL RL entailments."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from typer.testing import CliRunner

from graph import ns
from graph.cli import app
from graph.errors import StoreError
from graph.ns import DG, ID, ORG
from graph.query import run
from graph.reason import INFERRED_GRAPH, ONTOLOGY_GRAPH, entailed, inconsistencies, inferences, reasoned_store

SCHEMA_WORKS_FOR, SCHEMA_PERSON, SCHEMA_ORGANIZATION = ns.SCHEMA.worksFor, ns.SCHEMA.Person, ns.SCHEMA.Organization

DEAL, MICROSOFT, LINKEDIN = ID["deal/d1"], ID["org/microsoft"], ID["org/linkedin"]
NADELLA, GRAPH = ID["person/satya-nadella"], ID["graph/a1"]

# An acquisition written with its roles only (no dg:party, no dg:Deal type), a CEO, a
# symmetric deal written one way, an engineer, a subsidiary and a company.
TURTLE = """
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix id: <https://w3id.org/dealgraph/id/> .
id:deal\\/d1 a dg:Acquisition ; dg:acquirer id:org\\/microsoft ; dg:target id:org\\/linkedin .
id:person\\/satya-nadella dg:ceoOf id:org\\/microsoft .
id:person\\/marc-levoy dg:worksFor id:org\\/google .
id:org\\/openai dg:dealWith id:org\\/microsoft .
id:org\\/openai-lp dg:subsidiaryOf id:org\\/openai .
id:org\\/apple a dg:Company .
"""


@pytest.fixture(scope="module")
def data() -> Graph:
    return Graph().parse(data=TURTLE, format="turtle")


@pytest.fixture(scope="module")
def closure(data) -> Graph:
    return entailed(data)


@pytest.fixture()
def role_only_store(memory_store):
    """A store whose one article graph states the acquisition by its roles only."""
    quads = (
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(GRAPH)))
        for t in ox.parse(TURTLE, format=ox.RdfFormat.TURTLE)
    )
    memory_store.load_nquads(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return memory_store


# --- entailed / inferences -----------------------------------------------------


def test_acquirer_and_target_are_parties(data, closure):
    assert (DEAL, DG.party, MICROSOFT) not in data
    assert (DEAL, DG.party, MICROSOFT) in closure
    assert (DEAL, DG.party, LINKEDIN) in closure
    assert (DEAL, RDF.type, DG.Deal) in closure


def test_a_ceo_is_affiliated_with_and_heads_the_organization(closure):
    assert (NADELLA, DG.affiliatedWith, MICROSOFT) in closure
    assert (NADELLA, ORG.headOf, MICROSOFT) in closure


def test_domains_and_ranges_type_the_nodes(closure):
    assert (NADELLA, RDF.type, DG.Person) in closure
    assert (NADELLA, RDF.type, SCHEMA_PERSON) in closure
    assert (MICROSOFT, RDF.type, DG.Organization) in closure
    assert (MICROSOFT, RDF.type, ORG.Organization) in closure


def test_subproperties_reach_the_reused_vocabularies(closure):
    assert (ID["person/marc-levoy"], SCHEMA_WORKS_FOR, ID["org/google"]) in closure
    assert (ID["org/openai-lp"], ORG.subOrganizationOf, ID["org/openai"]) in closure


def test_deal_with_is_symmetric(closure):
    assert (MICROSOFT, DG.dealWith, ID["org/openai"]) in closure


def test_a_company_is_an_organization_everywhere(closure):
    for cls in (DG.Organization, ORG.Organization, SCHEMA_ORGANIZATION):
        assert (ID["org/apple"], RDF.type, cls) in closure


def test_the_closure_holds_data_and_ontology(data, closure):
    assert all(t in closure for t in data)
    assert (DG.ceoOf, RDFS.subPropertyOf, DG.affiliatedWith) in closure


def test_trivia_are_left_out(closure):
    assert not any(p == OWL.sameAs and s == o for s, p, o in closure)
    assert not list(closure.triples((None, RDF.type, OWL.Thing)))
    assert not list(closure.triples((None, RDF.type, RDFS.Resource)))
    assert not any(isinstance(s, Literal) for s in closure.subjects())


def test_inferences_are_only_the_new_triples(data):
    new = inferences(data)
    assert (NADELLA, DG.affiliatedWith, MICROSOFT) in new
    assert not any(t in new for t in data)


def test_a_dataset_is_reasoned_on_as_the_union_of_its_graphs(data):
    ds = Dataset()
    g = ds.graph(GRAPH)
    for t in data:
        g.add(t)
    assert (DEAL, DG.party, MICROSOFT) in entailed(ds)


def test_rdfs_alone_already_gives_subproperties(data):
    c = entailed(data, semantics="rdfs")
    assert (DEAL, DG.party, MICROSOFT) in c
    assert (MICROSOFT, DG.dealWith, ID["org/openai"]) not in c  # symmetry is OWL, not RDFS


def test_unknown_semantics_is_a_value_error(data):
    with pytest.raises(ValueError, match="rdfs\\+owlrl"):
        entailed(data, semantics="owl-full")


def test_a_custom_ontology(data):
    onto = Graph().parse(
        data="""
        @prefix dg: <https://w3id.org/dealgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        dg:ceoOf rdfs:subPropertyOf dg:boss .
    """,
        format="turtle",
    )
    c = entailed(data, ontology=onto)
    assert (NADELLA, DG.boss, MICROSOFT) in c
    assert (NADELLA, DG.affiliatedWith, MICROSOFT) not in c


def test_inconsistencies():
    g = Graph()
    g.add((ID["org/x"], RDF.type, DG.Person))
    g.add((ID["org/x"], RDF.type, DG.Organization))
    messages = inconsistencies(g)
    assert len(messages) == 1 and "org/x" in messages[0]
    assert inconsistencies(Graph().parse(data=TURTLE, format="turtle")) == []


def test_the_graph_built_from_data_is_consistent(built_store):
    assert inconsistencies(built_store.rdflib_dataset()) == []


# --- queries with reason=True ----------------------------------------------------


def test_party_query_finds_the_acquirer_only_with_reasoning(role_only_store):
    q = "SELECT ?x WHERE { ?d dg:party ?x }"
    assert run(role_only_store, q).rows == []
    found = {row[0] for row in run(role_only_store, q, reason=True).rows}
    assert {str(MICROSOFT), str(LINKEDIN)} <= found


def test_the_reasoned_store_keeps_graphs_apart(role_only_store):
    r = reasoned_store(role_only_store)
    where = {row[0] for row in run(r, "SELECT ?g WHERE { GRAPH ?g { ?d dg:party ?x } }").rows}
    assert where == {INFERRED_GRAPH}
    stated = {row[0] for row in run(r, "SELECT ?g WHERE { GRAPH ?g { ?d dg:acquirer ?x } }").rows}
    assert stated == {str(GRAPH)}
    assert run(r, f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ dg:acquirer rdfs:subPropertyOf dg:party }} }}").boolean


def test_the_reasoned_store_is_cached_and_read_only(role_only_store):
    r = reasoned_store(role_only_store)
    assert reasoned_store(role_only_store) is r
    with pytest.raises(StoreError):
        r.clear()
    role_only_store.load_nquads(f"<{ID['person/jan-koum']}> <{DG.ceoOf}> <{ID['org/whatsapp']}> <{GRAPH}> .\n".encode())
    r2 = reasoned_store(role_only_store)
    assert r2 is not r
    assert run(r2, f"ASK {{ <{ID['person/jan-koum']}> dg:affiliatedWith ?o }}").boolean


def test_who_is_affiliated_with_a_company_returns_its_ceo(built_store):
    q = """SELECT DISTINCT ?who WHERE { ?p dg:affiliatedWith ?o . ?p rdfs:label ?who .
                                       ?o rdfs:label "Alibaba Group" }"""
    assert run(built_store, q).rows == []
    assert {"Jack Ma", "Daniel Zhang"} <= {row[0] for row in run(built_store, q, reason=True).rows}


def test_saved_questions_run_with_reasoning(built_store):
    from graph.query import saved_queries

    q = saved_queries()["deals-of"]
    rows = run(built_store, q.sparql, substitutions={"company": "Microsoft"}, reason=True).rows
    assert rows


def test_query_reason_flag_on_the_command_line(built_store, tmp_path):
    from graph.store import open_store

    with open_store(tmp_path / "store") as st:
        st.load_nquads(built_store.dump(ox.RdfFormat.N_QUADS))
    q = 'SELECT ?who WHERE { ?p org:headOf ?o . ?p rdfs:label ?who . ?o rdfs:label "Microsoft" }'
    runner = CliRunner()
    plain = runner.invoke(app, ["query", q, "--store", str(tmp_path / "store"), "--format", "csv"])
    assert plain.exit_code == 0, plain.output
    assert "Satya Nadella" not in plain.stdout
    reasoned = runner.invoke(app, ["query", q, "--reason", "--store", str(tmp_path / "store"), "--format", "csv"])
    assert reasoned.exit_code == 0, reasoned.output
    assert "Satya Nadella" in reasoned.stdout
    assert "--reason" in runner.invoke(app, ["query", "--help"]).output
