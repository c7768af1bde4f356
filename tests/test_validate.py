"""Tests of graph/validate.py against ontology/shapes.ttl."""

from decimal import Decimal

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph import ns
from graph.errors import ValidationError
from graph.ns import DG, ID, ORG, PROV
from graph.validate import INFERENCE_MODES, Report, Violation, ontology_file, validate

# graph.ns.SCHEMA and rdflib's XSD warn when pytest's doctest collector probes
# module attributes, so only the terms needed are taken from them.
DATE_PUBLISHED, SCHEMA_URL = ns.SCHEMA.datePublished, ns.SCHEMA.url
XSD_DECIMAL, XSD_STRING = ns.XSD.decimal, ns.XSD.string
XSD_GYEARMONTH, XSD_GYEAR = ns.XSD.gYearMonth, ns.XSD.gYear

DGSH = "https://w3id.org/dealgraph/ontology/shapes#"

# rdflib 7.6's TriG parser and Dataset.parse use its own deprecated API.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

GRAPH = ID["graph/seed-alibaba-apple"]
OTHER_GRAPH = ID["graph/other-article"]
ARTICLE = ID["article/seed-alibaba-apple"]
JACK_MA = ID["person/jack-ma"]
EDDY_CUE = ID["person/eddy-cue"]
ALIBABA = ID["org/alibaba"]
APPLE = ID["org/apple"]
LIONS_GATE = ID["org/lions-gate-entertainment"]
TAOBAO = ID["org/taobao-com"]
APPLE_PAY = ID["product/apple-pay"]
CEO_FACT = ID["fact/0123456789abcdef"]
PARTNERSHIP = ID["deal/fedcba9876543210"]
ACQUISITION = ID["deal/00000000000000a1"]
INVESTMENT = ID["deal/00000000000000b1"]

# The seed article as graph.rdf writes it (ontology/MODEL.md), plus an
# acquisition and an investment (made up) so that every deal shape has a target.
SEED_TRIG = """
@prefix dg:     <https://w3id.org/dealgraph/ontology#> .
@prefix id:     <https://w3id.org/dealgraph/id/> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .

GRAPH <https://w3id.org/dealgraph/id/graph/seed-alibaba-apple> {
    <https://w3id.org/dealgraph/id/graph/seed-alibaba-apple> a prov:Bundle ;
        prov:wasDerivedFrom <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> ;
        prov:generatedAtTime "2026-11-24T23:00:00Z"^^xsd:dateTime ;
        dg:extractor "dealgraph 0.1.0" .

    <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> a dg:Article, schema:NewsArticle ;
        schema:headline "Jack Ma to work with Apple on online payments" ;
        schema:datePublished "2014-10-29"^^xsd:date ;
        schema:publisher "China.org.cn" ;
        schema:author "Wu Jin" ;
        dg:sourcePath "data/articles/seed.txt" ;
        dg:contentHash "sha256:9f2c0d3e4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0" ;
        dg:wordCount "412"^^xsd:integer .

    <https://w3id.org/dealgraph/id/person/jack-ma> a dg:Person ;
        rdfs:label "Jack Ma" ; skos:altLabel "Ma" ;
        dg:mentionedIn <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> .
    <https://w3id.org/dealgraph/id/person/eddy-cue> a dg:Person ; rdfs:label "Eddy Cue" .
    <https://w3id.org/dealgraph/id/org/alibaba> a dg:Organization ;
        rdfs:label "Alibaba Group" ; skos:altLabel "Alibaba" .
    <https://w3id.org/dealgraph/id/org/apple> a dg:Organization ;
        rdfs:label "Apple Inc." ; skos:altLabel "Apple" .
    <https://w3id.org/dealgraph/id/org/lions-gate-entertainment> a dg:Organization ;
        rdfs:label "Lions Gate Entertainment" .
    <https://w3id.org/dealgraph/id/org/taobao-com> a dg:Organization ; rdfs:label "Taobao.com" .
    <https://w3id.org/dealgraph/id/product/apple-pay> a dg:Product ; rdfs:label "Apple Pay" .

    <https://w3id.org/dealgraph/id/person/jack-ma> dg:ceoOf <https://w3id.org/dealgraph/id/org/alibaba> .
    <https://w3id.org/dealgraph/id/person/eddy-cue> dg:executiveOf <https://w3id.org/dealgraph/id/org/apple> .
    <https://w3id.org/dealgraph/id/org/apple> dg:launched <https://w3id.org/dealgraph/id/product/apple-pay> .
    <https://w3id.org/dealgraph/id/org/taobao-com> dg:subsidiaryOf <https://w3id.org/dealgraph/id/org/alibaba> .
    <https://w3id.org/dealgraph/id/org/alibaba> dg:dealWith <https://w3id.org/dealgraph/id/org/apple> .

    <https://w3id.org/dealgraph/id/fact/0123456789abcdef> a dg:Fact, rdf:Statement ;
        rdf:subject <https://w3id.org/dealgraph/id/person/jack-ma> ;
        rdf:predicate dg:ceoOf ;
        rdf:object <https://w3id.org/dealgraph/id/org/alibaba> ;
        dg:evidence "Jack Ma, CEO of the Alibaba Group, now the richest person in China, said on Monday that he intends to work with Apple on a digital wallet business." ;
        dg:confidence "0.9"^^xsd:decimal ;
        dg:date "2014-10-29"^^xsd:date ;
        dg:title "CEO" ;
        dg:statedIn <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> .

    <https://w3id.org/dealgraph/id/fact/1111111111111111> a dg:Fact, rdf:Statement ;
        rdf:subject <https://w3id.org/dealgraph/id/org/alibaba> ;
        rdf:predicate dg:dealWith ;
        rdf:object <https://w3id.org/dealgraph/id/org/apple> ;
        dg:evidence "Ma conveyed his remark ..., saying he has immense interest in cooperating with Apple Inc. on an online payment business." ;
        dg:confidence "0.8"^^xsd:decimal ;
        dg:date "2014-10-27"^^xsd:date ;
        dg:statedIn <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> ;
        dg:aboutDeal <https://w3id.org/dealgraph/id/deal/fedcba9876543210> .

    <https://w3id.org/dealgraph/id/deal/fedcba9876543210> a dg:Deal, dg:Partnership ;
        rdfs:label "Alibaba Group and Apple: partnership" ;
        dg:party <https://w3id.org/dealgraph/id/org/alibaba>, <https://w3id.org/dealgraph/id/org/apple> ;
        dg:status "proposed" ;
        dg:date "2014-10-27"^^xsd:date ;
        dg:evidence "Ma conveyed his remark ..., saying he has immense interest in cooperating with Apple Inc. on an online payment business." ;
        dg:confidence "0.8"^^xsd:decimal ;
        dg:statedIn <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> .

    <https://w3id.org/dealgraph/id/deal/00000000000000a1> a dg:Deal, dg:Acquisition ;
        rdfs:label "Alibaba Group acquires Lions Gate Entertainment" ;
        dg:party <https://w3id.org/dealgraph/id/org/alibaba>, <https://w3id.org/dealgraph/id/org/lions-gate-entertainment> ;
        dg:acquirer <https://w3id.org/dealgraph/id/org/alibaba> ;
        dg:target <https://w3id.org/dealgraph/id/org/lions-gate-entertainment> ;
        dg:status "announced" ;
        dg:date "2014-07"^^xsd:gYearMonth ;
        dg:value "26200000000"^^xsd:decimal ; dg:currency "USD" ;
        dg:statedIn <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> .

    <https://w3id.org/dealgraph/id/deal/00000000000000b1> a dg:Deal, dg:Investment ;
        rdfs:label "Jack Ma invests in Taobao.com" ;
        dg:party <https://w3id.org/dealgraph/id/person/jack-ma>, <https://w3id.org/dealgraph/id/org/taobao-com> ;
        dg:investor <https://w3id.org/dealgraph/id/person/jack-ma> ;
        dg:investee <https://w3id.org/dealgraph/id/org/taobao-com> ;
        dg:status "completed" ;
        dg:date "2013"^^xsd:gYear ;
        dg:statedIn <https://w3id.org/dealgraph/id/article/seed-alibaba-apple> .
}
"""


@pytest.fixture
def seed() -> Dataset:
    ds = Dataset()
    ds.parse(data=SEED_TRIG, format="trig")
    return ds


@pytest.fixture
def g(seed) -> Graph:
    """The seed article's named graph, to break things in."""
    return seed.graph(GRAPH)


def find(report: Report, **expected) -> list[Violation]:
    """The violations whose attributes equal ``expected`` (a message is matched by substring)."""
    message = expected.pop("message", None)
    expected = {k: (str(v) if isinstance(v, URIRef) else v) for k, v in expected.items()}
    return [
        v
        for v in report.violations
        if all(getattr(v, k) == want for k, want in expected.items()) and (message is None or message in v.message)
    ]


def only(report: Report, **expected) -> Violation:
    """The one violation of the report, checked against ``expected``."""
    assert len(report.violations) == 1, report.text()
    matches = find(report, **expected)
    assert matches, report.text()
    return matches[0]


# --- conforming data ---------------------------------------------------------


def test_seed_article_conforms(seed):
    report = validate(seed)
    assert report.conforms, report.text()
    assert report.violations == []
    assert report.text() == "Conforms: no violations."


@pytest.mark.parametrize("inference", INFERENCE_MODES)
def test_seed_article_conforms_with_every_inference(seed, inference):
    report = validate(seed, inference=inference)
    assert report.conforms, report.text()


def test_a_plain_graph_is_validated_too(g):
    single = Graph()
    for triple in g:
        single.add(triple)
    assert validate(single).conforms


def test_validate_does_not_modify_the_data(seed):
    before = len(seed)
    validate(seed, inference="rdfs")
    assert len(seed) == before


def test_the_same_entity_in_two_article_graphs_conforms(seed):
    other = seed.graph(OTHER_GRAPH)
    other.add((APPLE, RDF.type, DG.Organization))
    other.add((APPLE, RDFS.label, Literal("Apple")))  # another article's name for it
    assert validate(seed).conforms


def test_a_company_counts_as_an_organization(g):
    g.remove((ALIBABA, RDF.type, DG.Organization))
    g.add((ALIBABA, RDF.type, DG.Company))
    assert validate(g).conforms


def test_coarse_dates_and_a_typed_string_status_conform(g):
    g.set((PARTNERSHIP, DG.date, Literal("2014-10", datatype=XSD_GYEARMONTH)))
    g.set((PARTNERSHIP, DG.status, Literal("proposed", datatype=XSD_STRING)))
    g.set((CEO_FACT, DG.date, Literal("2014", datatype=XSD_GYEAR)))
    report = validate(g)
    assert report.conforms, report.text()


# --- the broken graphs of the brief ---------------------------------------------


def test_a_deal_with_one_party(g):
    g.remove((PARTNERSHIP, DG.party, APPLE))
    report = validate(g)
    assert not report.conforms
    v = only(report, focus=PARTNERSHIP, path=DG.party, shape=DGSH + "DealShape")
    assert v.message == "A deal needs at least two parties (dg:party)."
    assert v.label == "Alibaba Group and Apple: partnership"
    assert v.severity == "Violation"


def test_a_deal_typed_only_by_its_subclass_is_still_a_deal(g):
    g.remove((PARTNERSHIP, RDF.type, DG.Deal))
    g.remove((PARTNERSHIP, DG.party, APPLE))
    only(validate(g), focus=PARTNERSHIP, path=DG.party, message="at least two parties")


def test_an_acquisition_of_itself(g):
    g.set((ACQUISITION, DG.target, ALIBABA))
    g.remove((ACQUISITION, DG.party, LIONS_GATE))  # the parties are stated as a set
    report = validate(g)
    assert not report.conforms
    v = find(report, focus=ACQUISITION, path=DG.acquirer, message="must differ")
    assert len(v) == 1, report.text()
    assert v[0].value == "id:org/alibaba"
    assert v[0].shape == DGSH + "AcquisitionShape"


def test_an_acquisition_with_two_acquirers(g):
    g.add((ACQUISITION, DG.acquirer, APPLE))
    g.add((ACQUISITION, DG.party, APPLE))
    v = only(validate(g), focus=ACQUISITION, path=DG.acquirer)
    assert v.message == "An acquisition has exactly one acquirer (dg:acquirer), not several."


def test_an_acquisition_without_a_target(g):
    g.remove((ACQUISITION, DG.target, None))
    only(validate(g), focus=ACQUISITION, path=DG.target, message="needs a target")


def test_a_confidence_above_one(g):
    g.set((CEO_FACT, DG.confidence, Literal("1.5", datatype=XSD_DECIMAL)))
    v = only(validate(g), focus=CEO_FACT, path=DG.confidence)
    assert v.message == "dg:confidence must be between 0 and 1."
    assert v.value == '"1.5"^^xsd:decimal'


def test_a_negative_confidence(g):
    g.set((PARTNERSHIP, DG.confidence, Literal(Decimal("-0.1"))))
    only(validate(g), focus=PARTNERSHIP, path=DG.confidence, message="between 0 and 1")


def test_a_confidence_written_as_a_python_float(g):
    g.set((CEO_FACT, DG.confidence, Literal(0.9)))  # xsd:double
    v = only(validate(g), focus=CEO_FACT, path=DG.confidence)
    assert "xsd:decimal" in v.message
    assert v.value == '"0.9"^^xsd:double'


def test_an_entity_both_person_and_organization(g):
    g.add((JACK_MA, RDF.type, DG.Organization))
    v = only(validate(g), focus=JACK_MA, shape=DGSH + "PersonNotOrganizationShape")
    assert v.message == "Typed both dg:Person and dg:Organization: nothing can be both."
    assert v.label == "Jack Ma"


def test_person_and_organization_in_different_graphs(seed):
    other = seed.graph(OTHER_GRAPH)
    other.add((JACK_MA, RDF.type, DG.Company))
    other.add((JACK_MA, RDFS.label, Literal("Jack Ma")))
    v = only(validate(seed), focus=JACK_MA, shape=DGSH + "PersonNotOrganizationShape")
    assert v.graphs == (str(OTHER_GRAPH), str(GRAPH))


def test_an_article_without_a_date(g):
    g.remove((ARTICLE, DATE_PUBLISHED, None))
    report = validate(g)
    assert not report.conforms
    v = only(report, focus=ARTICLE, path=DATE_PUBLISHED)
    assert v.message == "An article needs its publication date (schema:datePublished)."
    assert v.label == "Jack Ma to work with Apple on online payments"  # its headline


# --- more rules ---------------------------------------------------------------


def test_an_article_with_a_datetime_conforms_and_a_string_date_does_not(g):
    g.set((ARTICLE, DATE_PUBLISHED, Literal("2014-10-29T08:00:00Z", datatype=ns.XSD.dateTime)))
    assert validate(g).conforms
    g.set((ARTICLE, DATE_PUBLISHED, Literal("October 29, 2014")))
    only(validate(g), focus=ARTICLE, path=DATE_PUBLISHED, message="xsd:date or xsd:dateTime")


def test_an_article_without_url_or_source_path(g):
    g.remove((ARTICLE, DG.sourcePath, None))
    only(validate(g), focus=ARTICLE, shape=DGSH + "ArticleSourceShape")
    g.add((ARTICLE, SCHEMA_URL, Literal("https://www.china.org.cn/business/2014-10/29/content.htm")))
    assert validate(g).conforms


def test_a_bundle_not_derived_from_an_article(g):
    g.remove((GRAPH, PROV.wasDerivedFrom, None))
    only(validate(g), focus=GRAPH, path=PROV.wasDerivedFrom, message="which article")


def test_an_unknown_status(g):
    g.set((PARTNERSHIP, DG.status, Literal("rumoured")))
    v = only(validate(g), focus=PARTNERSHIP, path=DG.status)
    assert '"proposed", "announced", "completed", "terminated"' in v.message


@pytest.mark.parametrize(
    "date",
    [
        Literal("2014-10-27"),  # a plain string
        Literal("2014-10-27T00:00:00", datatype=ns.XSD.dateTime),
        Literal("2014-13", datatype=XSD_GYEARMONTH),
    ],
    ids=["string", "dateTime", "month 13"],
)
def test_a_bad_date(g, date):
    g.set((CEO_FACT, DG.date, date))
    only(validate(g), focus=CEO_FACT, path=DG.date, message="xsd:gYearMonth")


def test_a_value_written_as_a_python_int(g):
    g.set((ACQUISITION, DG.value, Literal(26200000000)))  # xsd:integer
    only(validate(g), focus=ACQUISITION, path=DG.value, message="xsd:decimal")


def test_a_currency_that_is_not_an_iso_code(g):
    g.set((ACQUISITION, DG.currency, Literal("US$")))
    only(validate(g), focus=ACQUISITION, path=DG.currency, message="ISO 4217")


def test_a_fact_without_evidence_or_article(g):
    g.remove((CEO_FACT, DG.evidence, None))
    g.remove((CEO_FACT, DG.statedIn, None))
    report = validate(g)
    assert {v.path for v in find(report, focus=CEO_FACT)} == {str(DG.evidence), str(DG.statedIn)}


def test_a_fact_without_its_shortcut_triple(g):
    g.remove((JACK_MA, DG.ceoOf, ALIBABA))
    only(validate(g), focus=CEO_FACT, shape=DGSH + "FactShortcutShape", message="shortcut")


def test_a_fact_about_an_unknown_relation(g):
    g.set((CEO_FACT, RDF.predicate, DG.likes))
    g.add((JACK_MA, DG.likes, ALIBABA))
    only(validate(g), focus=CEO_FACT, path=RDF.predicate, message="relation properties")


def test_a_role_not_stated_as_a_party(g):
    g.add((ACQUISITION, DG.party, APPLE))
    g.remove((ACQUISITION, DG.party, LIONS_GATE))
    only(validate(g), focus=ACQUISITION, shape=DGSH + "RolesArePartiesShape")


def test_an_investment_in_itself(g):
    g.set((INVESTMENT, DG.investee, JACK_MA))
    g.remove((INVESTMENT, DG.party, TAOBAO))
    report = validate(g)
    assert find(report, focus=INVESTMENT, path=DG.investor, message="must differ"), report.text()


def test_a_ceo_that_is_not_a_person(g):
    g.add((APPLE, DG.ceoOf, ALIBABA))
    only(validate(g), focus=APPLE, shape=DGSH + "PersonSubjectShape")


def test_a_launch_of_something_not_a_product(g):
    g.add((APPLE, DG.launched, LIONS_GATE))
    only(validate(g), focus=LIONS_GATE, shape=DGSH + "ProductNodeShape")


def test_an_entity_without_a_name(g):
    g.remove((EDDY_CUE, RDFS.label, None))
    only(validate(g), focus=EDDY_CUE, path=RDFS.label, message="needs a name")


def test_two_names_in_one_article_graph(g):
    g.add((APPLE, RDFS.label, Literal("Apple")))
    v = only(validate(g), focus=APPLE, path=RDFS.label, shape=DGSH + "OneLabelPerGraphShape")
    assert 'Found 2: "Apple", "Apple Inc."' in v.message
    assert v.graphs == (str(GRAPH),)


def test_a_graph_that_types_an_entity_without_naming_it(seed):
    seed.graph(OTHER_GRAPH).add((APPLE, RDF.type, DG.Organization))
    v = only(validate(seed), focus=APPLE, path=RDFS.label)
    assert "no name (rdfs:label) in this graph" in v.message
    assert v.graphs == (str(OTHER_GRAPH),)


def test_memberships(g):
    membership = ID["membership/jack-ma-alibaba"]
    g.add((membership, RDF.type, DG.Membership))
    g.add((membership, ORG.member, JACK_MA))
    g.add((membership, ORG.organization, ALIBABA))
    g.add((membership, ORG.role, DG.ChiefExecutive))
    g.add((membership, DG.title, Literal("CEO")))
    assert validate(g).conforms
    g.remove((membership, ORG.role, None))
    only(validate(g), focus=membership, path=ORG.role, message="needs a role")
    g.add((membership, ORG.role, DG.ChiefExecutive))
    g.set((membership, ORG.member, APPLE))
    only(validate(g), focus=membership, path=ORG.member, message="dg:Person")


# --- the report ----------------------------------------------------------------


def test_report_text_has_one_line_per_violation(g):
    g.remove((PARTNERSHIP, DG.party, APPLE))
    g.set((CEO_FACT, DG.confidence, Literal("1.5", datatype=XSD_DECIMAL)))
    lines = validate(g).text().splitlines()
    assert lines[0] == "Does not conform: 2 violations."
    assert lines[1:] == [
        'Violation: id:deal/fedcba9876543210 "Alibaba Group and Apple: partnership" [dg:party] '
        "A deal needs at least two parties (dg:party). (dgsh:DealShape)",
        'Violation: id:fact/0123456789abcdef [dg:confidence = "1.5"^^xsd:decimal] '
        "dg:confidence must be between 0 and 1. (dgsh:ConfidenceShape)",
    ]


def test_violations_name_the_graphs_of_their_focus_node(seed, g):
    g.remove((PARTNERSHIP, DG.party, APPLE))
    v = only(validate(seed), focus=PARTNERSHIP)
    assert v.graphs == (str(GRAPH),)


# --- arguments and unusable input ------------------------------------------------


def test_custom_shapes_graph(g):
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix dg: <https://w3id.org/dealgraph/ontology#> .
        <urn:x:shape> a sh:NodeShape ; sh:targetClass dg:Product ;
            sh:property [ sh:path dg:launchedOn ; sh:minCount 1 ; sh:message "When?" ] .
        """,
    )
    v = only(validate(g, shapes=shapes), focus=APPLE_PAY, message="When?")
    assert v.shape == "urn:x:shape"


def test_unparsable_shapes_raise_validation_error(g, tmp_path):
    broken = tmp_path / "shapes.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nthis is not turtle", "utf-8")
    with pytest.raises(ValidationError, match="cannot parse"):
        validate(g, shapes=broken)


def test_missing_shapes_file_raises_validation_error(g, tmp_path):
    with pytest.raises(ValidationError, match="cannot read"):
        validate(g, shapes=tmp_path / "nope.ttl")


def test_shapes_pyshacl_refuses_raise_validation_error(g):
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:shape> a sh:NodeShape ; sh:targetNode <urn:x:a> ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
        """,
    )
    with pytest.raises(ValidationError, match="pyshacl"):
        validate(g, shapes=shapes)


def test_unknown_inference_is_a_value_error(g):
    with pytest.raises(ValueError, match="expected one of none, rdfs, owlrl, both"):
        validate(g, inference="owl")


def test_data_must_be_a_graph():
    with pytest.raises(TypeError, match="rdflib Graph or Dataset"):
        validate("data/articles/seed.trig")


def test_ontology_files_are_found():
    assert b"dealgraph" in ontology_file("dealgraph.ttl").read_bytes()
    assert b"sh:NodeShape" in ontology_file("shapes.ttl").read_bytes()
    with pytest.raises(ValidationError, match="cannot find ontology file"):
        ontology_file("no-such-file.ttl")
