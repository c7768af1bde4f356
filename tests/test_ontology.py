"""Tests of ontology/dealgraph.ttl, ontology/shapes.ttl and ontology/context.jsonld."""

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph import ns
from graph.ns import DG, ORG, PREFIXES, RELATIONS, WDT

# graph.ns.SCHEMA and rdflib's XSD are closed namespaces that warn when pytest's
# doctest collector probes module attributes, so they are not imported by name.
SCHEMA_PERSON, SCHEMA_ORGANIZATION = ns.SCHEMA.Person, ns.SCHEMA.Organization
SCHEMA_CORPORATION, SCHEMA_WORKS_FOR = ns.SCHEMA.Corporation, ns.SCHEMA.worksFor
XSD_DECIMAL, XSD_DATE = ns.XSD.decimal, ns.XSD.date

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "dealgraph.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT = ONTOLOGY_DIR / "context.jsonld"
MODEL = ONTOLOGY_DIR / "MODEL.md"
CHANGELOG = ONTOLOGY_DIR / "CHANGELOG.md"
ONTOLOGY_IRI = URIRef("https://w3id.org/dealgraph/ontology")
FIBO = "https://spec.edmcouncil.org/fibo/ontology/"

DEAL_CLASSES = ["Acquisition", "Investment", "Partnership", "Agreement", "Merger", "JointVenture"]
DEAL_ROLES = ["acquirer", "target", "investor", "investee"]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def declared(onto: Graph, iri: URIRef) -> bool:
    return (iri, RDF.type, None) in onto


# --- parsing -----------------------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES], ids=lambda p: p.name)
def test_parses_in_rdflib_and_pyoxigraph_alike(path):
    g = Graph().parse(path, format="turtle")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) > 100
    assert len(quads) == len(g)


# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_is_json_ld_that_rdflib_reads():
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))
    doc = {
        "@context": context["@context"],
        "@graph": [
            {
                "id": "https://w3id.org/dealgraph/id/person/jack-ma",
                "type": "Person",
                "label": "Jack Ma",
                "ceoOf": ["https://w3id.org/dealgraph/id/org/alibaba"],
            },
            {
                "id": "https://w3id.org/dealgraph/id/fact/0123456789abcdef",
                "type": ["Fact", "Statement"],
                "subject": "https://w3id.org/dealgraph/id/person/jack-ma",
                "predicate": "ceoOf",
                "object": "https://w3id.org/dealgraph/id/org/alibaba",
                "evidence": "Jack Ma, CEO of the Alibaba Group, said ...",
                "confidence": "0.9",
                "date": "2014-10-29",
            },
        ],
    }
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    jack = URIRef("https://w3id.org/dealgraph/id/person/jack-ma")
    fact = URIRef("https://w3id.org/dealgraph/id/fact/0123456789abcdef")
    assert (jack, RDF.type, DG.Person) in g
    assert (jack, DG.ceoOf, URIRef("https://w3id.org/dealgraph/id/org/alibaba")) in g
    assert (fact, RDF.predicate, DG.ceoOf) in g
    assert (fact, DG.confidence, Literal("0.9", datatype=XSD_DECIMAL)) in g
    assert (fact, DG.date, Literal("2014-10-29", datatype=XSD_DATE)) in g


def test_context_terms_point_at_declared_terms(onto):
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    for key, value in context.items():
        iri = value.get("@id") if isinstance(value, dict) else value
        if key.startswith("@") or not isinstance(iri, str) or not iri.startswith("dg:"):
            continue
        assert declared(onto, DG[iri[3:]]), f"context term {key!r} maps to undeclared {iri}"
    for relation, (local, _, _) in RELATIONS.items():
        assert local in context, f"context lacks a key for relation {relation}"


# --- metadata ----------------------------------------------------------------


def test_ontology_header(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.4.0"
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.created):
        assert onto.value(ONTOLOGY_IRI, prop) is not None, prop
    assert "MIT" in str(onto.value(ONTOLOGY_IRI, DCTERMS.license))
    assert (ONTOLOGY_IRI, OWL.priorVersion, None) not in onto


def test_changelog_names_the_current_version(onto):
    version = str(onto.value(ONTOLOGY_IRI, OWL.versionInfo))
    assert f"## {version}" in CHANGELOG.read_text(encoding="utf-8")


def test_namespace_matches_graph_ns():
    text = ONTOLOGY.read_text(encoding="utf-8")
    assert f"@prefix dg:      <{PREFIXES['dg']}>" in text


# --- declarations ------------------------------------------------------------


def properties_named_in_docs() -> set[str]:
    names = set(re.findall(r"\bdg:([a-z][A-Za-z]*)", MODEL.read_text(encoding="utf-8")))
    names |= {local for local, _, _ in RELATIONS.values()}
    return names


def test_model_and_relations_name_some_properties():
    names = properties_named_in_docs()
    assert {"ceoOf", "party", "statedIn", "confidence", "evidence"} <= names


@pytest.mark.parametrize("local", sorted(properties_named_in_docs()))
def test_property_is_declared_with_label_comment_domain_range(onto, local):
    prop = DG[local]
    kinds = set(onto.objects(prop, RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"dg:{local} is not declared"
    for attr in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
        assert onto.value(prop, attr) is not None, f"dg:{local} has no {attr}"


def test_classes_named_in_model_are_declared(onto):
    names = set(re.findall(r"\bdg:([A-Z][A-Za-z]*)", MODEL.read_text(encoding="utf-8")))
    assert {"Person", "Organization", "Product", "Article", "Fact", "Deal"} <= names
    for local in names:
        cls = DG[local]
        assert (cls, RDF.type, OWL.Class) in onto, f"dg:{local} is not an owl:Class"
        assert onto.value(cls, RDFS.label) is not None
        assert onto.value(cls, RDFS.comment) is not None


def test_every_dg_term_used_is_declared(onto):
    used = {t for triple in onto for t in triple if isinstance(t, URIRef) and t.startswith(DG)}
    missing = sorted(t for t in used if not declared(onto, t))
    assert not missing


def test_every_dg_term_in_the_shapes_is_declared(onto, shapes):
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and t.startswith(DG)}
    missing = sorted(t for t in used if not declared(onto, t))
    assert not missing


def test_every_dg_term_the_code_writes_is_declared(onto):
    package = Path(__file__).resolve().parent.parent / "graph"
    used = set()
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bDG\.([A-Za-z]\w*)", text))
        used |= set(re.findall(r"\bDG\[\"([A-Za-z]\w*)\"\]", text))
    missing = sorted(name for name in used if not declared(onto, DG[name]))
    assert not missing, f"graph/ uses undeclared ontology terms: {missing}"


def test_external_superclasses_and_superproperties_are_declared(onto):
    for pred in (RDFS.subClassOf, RDFS.subPropertyOf):
        for sup in onto.objects(None, pred):
            if isinstance(sup, URIRef) and sup != RDF.Statement:
                assert declared(onto, sup), f"{sup} is used but not declared"


def test_relation_domains_and_ranges_follow_relations_table(onto):
    types = {"Person": DG.Person, "Organization": DG.Organization, "Product": DG.Product}
    for relation, (local, subject_type, object_type) in RELATIONS.items():
        prop = DG[local]
        assert onto.value(prop, RDFS.range) == types[object_type], relation
        domain = onto.value(prop, RDFS.domain)
        if isinstance(domain, BNode):  # a union, such as investedIn's Organization or Person
            members = set(onto.items(onto.value(domain, OWL.unionOf)))
            assert types[subject_type] in members, relation
        else:
            assert domain == types[subject_type], relation


def test_role_properties_are_affiliations(onto):
    for local in ("ceoOf", "founderOf", "chairOf", "executiveOf", "boardMemberOf", "worksFor"):
        assert (DG[local], RDFS.subPropertyOf, DG.affiliatedWith) in onto
    assert (DG.worksFor, RDFS.subPropertyOf, SCHEMA_WORKS_FOR) in onto
    assert (DG.statedIn, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) in onto


def test_wikidata_alignments_say_their_direction(onto):
    assert (DG.ceoOf, SKOS.closeMatch, WDT.P169) in onto
    assert "other way" in str(onto.value(DG.ceoOf, RDFS.comment))
    assert (DG.subsidiaryOf, SKOS.closeMatch, WDT.P749) in onto
    assert (DG.worksFor, SKOS.closeMatch, WDT.P108) in onto


# --- deals -------------------------------------------------------------------


@pytest.mark.parametrize("local", DEAL_CLASSES)
def test_deal_classes_are_deals(onto, local):
    assert (DG[local], RDFS.subClassOf, DG.Deal) in onto


@pytest.mark.parametrize("local", DEAL_ROLES)
def test_deal_roles_are_parties(onto, local):
    assert (DG[local], RDFS.subPropertyOf, DG.party) in onto


def test_partnership_is_not_a_fibo_partnership(onto):
    linked = set(onto.objects(DG.Partnership, None)) | set(onto.subjects(None, DG.Partnership))
    fibo = [str(t) for t in linked if isinstance(t, URIRef) and str(t).startswith(FIBO)]
    assert not fibo, f"dg:Partnership is aligned with FIBO: {fibo}"
    assert "NOT aligned" in str(onto.value(DG.Partnership, RDFS.comment))


def test_no_fibo_term_is_equated_with_a_deal(onto):
    for cls in [DG.Deal] + [DG[c] for c in DEAL_CLASSES]:
        for pred in (OWL.equivalentClass, RDFS.subClassOf, SKOS.closeMatch, SKOS.exactMatch):
            for obj in onto.objects(cls, pred):
                assert not str(obj).startswith(FIBO), (cls, pred, obj)


def test_deal_with_is_symmetric(onto):
    assert (DG.dealWith, RDF.type, OWL.SymmetricProperty) in onto


def test_person_and_organization_are_disjoint(onto):
    assert (DG.Person, OWL.disjointWith, DG.Organization) in onto


def test_entity_classes_reuse_schema_and_org(onto):
    assert (DG.Person, RDFS.subClassOf, SCHEMA_PERSON) in onto
    assert (DG.Organization, RDFS.subClassOf, ORG.Organization) in onto
    assert (DG.Organization, RDFS.subClassOf, SCHEMA_ORGANIZATION) in onto
    assert (DG.Company, RDFS.subClassOf, DG.Organization) in onto
    assert (DG.Company, SKOS.closeMatch, SCHEMA_CORPORATION) in onto
    assert (DG.Membership, RDFS.subClassOf, ORG.Membership) in onto


def test_status_values_agree_between_ontology_and_shapes(onto, shapes):
    datatype = onto.value(DG.status, RDFS.range)
    values = {str(v) for v in onto.items(onto.value(datatype, OWL.oneOf))}
    assert values == {"proposed", "announced", "completed", "terminated"}
    pattern = next(
        str(shapes.value(p, URIRef("http://www.w3.org/ns/shacl#pattern")))
        for p in shapes.subjects(URIRef("http://www.w3.org/ns/shacl#path"), DG.status)
    )
    assert all(re.fullmatch(pattern, v) for v in values)
    assert not re.fullmatch(pattern, "rumoured")
