"""Generate the reference page of the ontology, ``docs/ontology.md``, from ``ontology/dealgraph.ttl``.

The page lists every term the ontology defines, in the order and under the
headings of the Turtle file (its ``####`` banners): for a class its label,
comment, superclasses, subclasses, alignments (``skos:closeMatch``,
``skos:relatedMatch``) and the properties whose domain it is; for a property its
kind, domain, range, superproperties and alignments. Each term comes with an
example in Turtle, taken from :data:`EXAMPLE` (two article graphs written the
way ``graph.rdf`` writes them; the test suite checks that they conform to the
SHACL shapes), or, for a term the extractor never writes such as
``dg:affiliatedWith``, from what :mod:`graph.reason` entails from it. A Mermaid
class diagram of the model opens the page (GitHub and most Markdown viewers draw
it; no tool is needed to build it).

Run ``python -m tools.ontology_docs`` to rewrite the page and ``python -m tools.ontology_docs
--check`` to fail when it is out of date (the test suite does the latter).

>>> md = ontology_markdown()
>>> md.startswith("# dealgraph ontology")
True
>>> "classDiagram" in md and "### dg:Acquisition" in md
True
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from graph.ns import DG, ID, PREFIXES

__all__ = ["EXAMPLE", "ontology_markdown", "mermaid_diagram", "example_dataset", "DOCS_FILE", "main"]

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "dealgraph.ttl"
DOCS_FILE = ROOT / "docs" / "ontology.md"

#: Example data for the page: two article graphs as graph.rdf writes them. The
#: first is the seed article of DESIGN.md; the second is made up (fictional
#: companies and people) so that every kind of deal and role has an example.
EXAMPLE = """\
@base <https://w3id.org/dealgraph/id/> .
@prefix dg:     <https://w3id.org/dealgraph/ontology#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix org:    <http://www.w3.org/ns/org#> .

<graph/seed-alibaba-apple> {
    <graph/seed-alibaba-apple> a prov:Bundle ;
        prov:wasDerivedFrom <article/seed-alibaba-apple> ;
        prov:generatedAtTime "2026-11-24T23:00:00Z"^^xsd:dateTime ;
        dg:extractor "dealgraph 0.1.0" .

    <article/seed-alibaba-apple> a dg:Article, schema:NewsArticle ;
        schema:headline "Jack Ma wants Alibaba to work with Apple on payments" ;
        schema:datePublished "2014-10-29"^^xsd:date ;
        schema:publisher "China.org.cn" ;
        schema:author "Wu Jin" ;
        dg:sourcePath "data/seed/000_62242eeb2e5205e0.txt" ;
        dg:contentHash "sha256:5f1c0d9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c" ;
        dg:wordCount 642 .

    <person/jack-ma> a dg:Person ;
        rdfs:label "Jack Ma" ; skos:altLabel "Ma" ;
        dg:ceoOf <org/alibaba> ;
        dg:mentionedIn <article/seed-alibaba-apple> .
    <person/eddy-cue> a dg:Person ;
        rdfs:label "Eddy Cue" ;
        dg:executiveOf <org/apple> ;
        dg:mentionedIn <article/seed-alibaba-apple> .
    <org/alibaba> a dg:Organization, dg:Company ;
        rdfs:label "Alibaba Group" ; skos:altLabel "Alibaba" ;
        dg:dealWith <org/apple> ;
        dg:mentionedIn <article/seed-alibaba-apple> .
    <org/apple> a dg:Organization, dg:Company ;
        rdfs:label "Apple" ;
        dg:launched <product/apple-pay> ;
        dg:mentionedIn <article/seed-alibaba-apple> .
    <org/taobao-com> a dg:Organization ;
        rdfs:label "Taobao.com" ;
        dg:subsidiaryOf <org/alibaba> ;
        dg:mentionedIn <article/seed-alibaba-apple> .
    <product/apple-pay> a dg:Product ;
        rdfs:label "Apple Pay" ;
        dg:mentionedIn <article/seed-alibaba-apple> .

    <fact/0123456789abcdef> a dg:Fact, rdf:Statement ;
        rdf:subject <person/jack-ma> ; rdf:predicate dg:ceoOf ; rdf:object <org/alibaba> ;
        dg:evidence "Jack Ma, CEO of the Alibaba Group, said on Monday that he would like to work with Apple." ;
        dg:confidence 0.9 ;
        dg:date "2014-10-29"^^xsd:date ;
        dg:title "CEO" ;
        dg:statedIn <article/seed-alibaba-apple> .
    <fact/1a2b3c4d5e6f7081> a dg:Fact, rdf:Statement ;
        rdf:subject <org/alibaba> ; rdf:predicate dg:dealWith ; rdf:object <org/apple> ;
        dg:evidence "Jack Ma, CEO of the Alibaba Group, said on Monday that he would like to work with Apple." ;
        dg:confidence 0.8 ;
        dg:date "2014-10-27"^^xsd:date ;
        dg:statedIn <article/seed-alibaba-apple> ;
        dg:aboutDeal <deal/fedcba9876543210> .
    <fact/2b3c4d5e6f708192> a dg:Fact, rdf:Statement ;
        rdf:subject <person/eddy-cue> ; rdf:predicate dg:executiveOf ; rdf:object <org/apple> ;
        dg:evidence "Eddy Cue, Apple's senior vice president of Internet Software and Services, spoke at the conference." ;
        dg:confidence 0.85 ;
        dg:date "2014-10-29"^^xsd:date ;
        dg:title "senior vice president of Internet Software and Services" ;
        dg:statedIn <article/seed-alibaba-apple> .
    <fact/3c4d5e6f708192a3> a dg:Fact, rdf:Statement ;
        rdf:subject <org/apple> ; rdf:predicate dg:launched ; rdf:object <product/apple-pay> ;
        dg:evidence "Apple launched its mobile payment service, Apple Pay, this month." ;
        dg:confidence 0.8 ;
        dg:date "2014-10"^^xsd:gYearMonth ;
        dg:statedIn <article/seed-alibaba-apple> .
    <fact/4d5e6f708192a3b4> a dg:Fact, rdf:Statement ;
        rdf:subject <org/taobao-com> ; rdf:predicate dg:subsidiaryOf ; rdf:object <org/alibaba> ;
        dg:evidence "Taobao.com, an online shopping site owned by Alibaba, handled most of the trade." ;
        dg:confidence 0.75 ;
        dg:date "2014-10-29"^^xsd:date ;
        dg:statedIn <article/seed-alibaba-apple> .

    <deal/fedcba9876543210> a dg:Deal, dg:Partnership ;
        rdfs:label "Alibaba Group and Apple: partnership" ;
        dg:party <org/alibaba>, <org/apple> ;
        dg:status "proposed" ;
        dg:date "2014-10-27"^^xsd:date ;
        dg:evidence "Jack Ma, CEO of the Alibaba Group, said on Monday that he would like to work with Apple." ;
        dg:confidence 0.8 ;
        dg:statedIn <article/seed-alibaba-apple> .

    <membership/eddy-cue-apple> a dg:Membership ;
        org:member <person/eddy-cue> ; org:organization <org/apple> ; org:role dg:Executive ;
        dg:title "senior vice president of Internet Software and Services" .
    <membership/jack-ma-alibaba> a dg:Membership ;
        org:member <person/jack-ma> ; org:organization <org/alibaba> ; org:role dg:ChiefExecutive .
}

<graph/example-acme-globex> {
    <graph/example-acme-globex> a prov:Bundle ;
        prov:wasDerivedFrom <article/example-acme-globex> ;
        dg:extractor "dealgraph 0.1.0" .

    <article/example-acme-globex> a dg:Article, schema:NewsArticle ;
        schema:headline "Acme Mobility and Globex Motors agree to merge" ;
        schema:datePublished "2025-03-04"^^xsd:date ;
        schema:url "https://example.com/news/acme-globex" .

    <person/dana-whitfield> a dg:Person ;
        rdfs:label "Dana Whitfield" ;
        dg:founderOf <org/acme-mobility> ; dg:chairOf <org/acme-mobility> .
    <person/lee-park> a dg:Person ;
        rdfs:label "Lee Park" ;
        dg:boardMemberOf <org/globex-motors> .
    <person/sam-ortiz> a dg:Person ;
        rdfs:label "Sam Ortiz" ;
        dg:worksFor <org/globex-motors> .
    <org/acme-mobility> a dg:Organization ; rdfs:label "Acme Mobility" .
    <org/globex-motors> a dg:Organization ;
        rdfs:label "Globex Motors" ;
        dg:dealWith <org/acme-mobility>, <org/initech-batteries> ;
        dg:acquired <org/hooli-sensors> .
    <org/initech-batteries> a dg:Organization ; rdfs:label "Initech Batteries" .
    <org/hooli-sensors> a dg:Organization ; rdfs:label "Hooli Sensors" .
    <org/vandelay-capital> a dg:Organization ;
        rdfs:label "Vandelay Capital" ;
        dg:investedIn <org/acme-mobility> .

    <fact/5e6f708192a3b4c5> a dg:Fact, rdf:Statement ;
        rdf:subject <person/dana-whitfield> ; rdf:predicate dg:founderOf ; rdf:object <org/acme-mobility> ;
        dg:evidence "Dana Whitfield, who founded Acme Mobility and chairs its board, will lead the combined company." ;
        dg:confidence 0.88 ; dg:date "2025-03-04"^^xsd:date ; dg:title "founder" ;
        dg:statedIn <article/example-acme-globex> .
    <fact/6f708192a3b4c5d6> a dg:Fact, rdf:Statement ;
        rdf:subject <person/dana-whitfield> ; rdf:predicate dg:chairOf ; rdf:object <org/acme-mobility> ;
        dg:evidence "Dana Whitfield, who founded Acme Mobility and chairs its board, will lead the combined company." ;
        dg:confidence 0.86 ; dg:date "2025-03-04"^^xsd:date ; dg:title "chair" ;
        dg:statedIn <article/example-acme-globex> .
    <fact/708192a3b4c5d6e7> a dg:Fact, rdf:Statement ;
        rdf:subject <person/lee-park> ; rdf:predicate dg:boardMemberOf ; rdf:object <org/globex-motors> ;
        dg:evidence "Lee Park, a director of Globex Motors, voted for the merger." ;
        dg:confidence 0.8 ; dg:date "2025-03-04"^^xsd:date ; dg:title "director" ;
        dg:statedIn <article/example-acme-globex> .
    <fact/8192a3b4c5d6e7f8> a dg:Fact, rdf:Statement ;
        rdf:subject <person/sam-ortiz> ; rdf:predicate dg:worksFor ; rdf:object <org/globex-motors> ;
        dg:evidence "Sam Ortiz, an engineer at Globex Motors, designed the sensor platform." ;
        dg:confidence 0.7 ; dg:date "2025-03-04"^^xsd:date ; dg:title "engineer" ;
        dg:statedIn <article/example-acme-globex> .
    <fact/8a92a3b4c5d6e7f8> a dg:Fact, rdf:Statement ;
        rdf:subject <person/lee-park> ; rdf:predicate dg:ceoOf ; rdf:object <org/globex-motors> ;
        dg:evidence "Lee Park was chief executive of Globex Motors until 2022." ;
        dg:confidence 0.7 ; dg:date "2025-03-04"^^xsd:date ; dg:title "chief executive" ;
        dg:former true ; dg:endDate "2022"^^xsd:gYear ;
        dg:statedIn <article/example-acme-globex> .
    <fact/92a3b4c5d6e7f809> a dg:Fact, rdf:Statement ;
        rdf:subject <org/globex-motors> ; rdf:predicate dg:dealWith ; rdf:object <org/acme-mobility> ;
        dg:evidence "Acme Mobility and Globex Motors said on Tuesday that they had agreed to merge." ;
        dg:confidence 0.9 ; dg:date "2025-03-04"^^xsd:date ;
        dg:statedIn <article/example-acme-globex> ; dg:aboutDeal <deal/00000000000000c1> .
    <fact/a3b4c5d6e7f8091a> a dg:Fact, rdf:Statement ;
        rdf:subject <org/globex-motors> ; rdf:predicate dg:dealWith ; rdf:object <org/initech-batteries> ;
        dg:evidence "Globex Motors and Initech Batteries set up a jointly owned battery plant last year." ;
        dg:confidence 0.8 ; dg:date "2024"^^xsd:gYear ;
        dg:statedIn <article/example-acme-globex> ; dg:aboutDeal <deal/00000000000000d1> .
    <fact/b4c5d6e7f8091a2b> a dg:Fact, rdf:Statement ;
        rdf:subject <org/globex-motors> ; rdf:predicate dg:acquired ; rdf:object <org/hooli-sensors> ;
        dg:evidence "In January, Globex Motors completed its $120 million purchase of Hooli Sensors." ;
        dg:confidence 0.85 ; dg:date "2025-01"^^xsd:gYearMonth ;
        dg:statedIn <article/example-acme-globex> ; dg:aboutDeal <deal/00000000000000a1> .
    <fact/c5d6e7f8091a2b3c> a dg:Fact, rdf:Statement ;
        rdf:subject <org/vandelay-capital> ; rdf:predicate dg:investedIn ; rdf:object <org/acme-mobility> ;
        dg:evidence "Vandelay Capital invested $40 million in Acme Mobility in 2023." ;
        dg:confidence 0.82 ; dg:date "2023"^^xsd:gYear ;
        dg:statedIn <article/example-acme-globex> ; dg:aboutDeal <deal/00000000000000b1> .

    <deal/00000000000000c1> a dg:Deal, dg:Merger ;
        rdfs:label "Acme Mobility and Globex Motors: merger" ;
        dg:party <org/acme-mobility>, <org/globex-motors> ;
        dg:status "announced" ; dg:date "2025-03-04"^^xsd:date ;
        dg:evidence "Acme Mobility and Globex Motors said on Tuesday that they had agreed to merge." ;
        dg:confidence 0.9 ; dg:statedIn <article/example-acme-globex> .
    <deal/00000000000000d1> a dg:Deal, dg:JointVenture ;
        rdfs:label "Globex Motors and Initech Batteries: joint venture" ;
        dg:party <org/globex-motors>, <org/initech-batteries> ;
        dg:status "completed" ; dg:date "2024"^^xsd:gYear ;
        dg:evidence "Globex Motors and Initech Batteries set up a jointly owned battery plant last year." ;
        dg:confidence 0.8 ; dg:statedIn <article/example-acme-globex> .
    <deal/00000000000000a1> a dg:Deal, dg:Acquisition ;
        rdfs:label "Globex Motors and Hooli Sensors: acquisition" ;
        dg:party <org/globex-motors>, <org/hooli-sensors> ;
        dg:acquirer <org/globex-motors> ; dg:target <org/hooli-sensors> ;
        dg:status "completed" ; dg:date "2025-01"^^xsd:gYearMonth ;
        dg:value "120000000"^^xsd:decimal ; dg:currency "USD" ;
        dg:evidence "In January, Globex Motors completed its $120 million purchase of Hooli Sensors." ;
        dg:confidence 0.85 ; dg:statedIn <article/example-acme-globex> .
    <deal/00000000000000b1> a dg:Deal, dg:Investment ;
        rdfs:label "Vandelay Capital and Acme Mobility: investment" ;
        dg:party <org/vandelay-capital>, <org/acme-mobility> ;
        dg:investor <org/vandelay-capital> ; dg:investee <org/acme-mobility> ;
        dg:status "completed" ; dg:date "2023"^^xsd:gYear ;
        dg:value "40000000"^^xsd:decimal ; dg:currency "USD" ;
        dg:evidence "Vandelay Capital invested $40 million in Acme Mobility in 2023." ;
        dg:confidence 0.82 ; dg:statedIn <article/example-acme-globex> .
    <deal/00000000000000e1> a dg:Deal, dg:Agreement ;
        rdfs:label "Globex Motors and Acme Mobility: agreement" ;
        dg:party <org/globex-motors>, <org/acme-mobility> ;
        dg:status "completed" ; dg:date "2024-06"^^xsd:gYearMonth ;
        dg:evidence "The two companies already share a licence for Acme's routing software." ;
        dg:confidence 0.6 ; dg:statedIn <article/example-acme-globex> .

    <membership/dana-whitfield-acme> a dg:Membership ;
        org:member <person/dana-whitfield> ; org:organization <org/acme-mobility> ; org:role dg:Founder, dg:Chair .
    <membership/lee-park-globex> a dg:Membership ;
        org:member <person/lee-park> ; org:organization <org/globex-motors> ; org:role dg:BoardMember ;
        dg:title "director" .
    <membership/sam-ortiz-globex> a dg:Membership ;
        org:member <person/sam-ortiz> ; org:organization <org/globex-motors> ; org:role dg:Employee ;
        dg:title "engineer" .
}

<curation> {
    <curation/m-0a1b2c3d4e5f> a dg:Merge, dg:Curation ;
        dg:canonical <org/alibaba> ; dg:mergedEntity <org/alibaba-group-holding> ;
        prov:wasAttributedTo <agent/ann> ; prov:generatedAtTime "2026-12-05T10:00:00Z"^^xsd:dateTime ;
        rdfs:comment "one company" .
    <curation/a-1b2c3d4e5f60> a dg:AliasAddition, dg:Curation ;
        dg:aboutEntity <org/taobao-com> ; dg:aliasName "Taobao" ;
        prov:wasAttributedTo <agent/ann> ; prov:generatedAtTime "2026-12-05T10:01:00Z"^^xsd:dateTime .
    <curation/r-2c3d4e5f6071> a dg:Retraction, dg:Curation ;
        dg:retractedFact <fact/1a2b3c4d5e6f7081> ;
        prov:wasAttributedTo <agent/ann> ; prov:generatedAtTime "2026-12-05T10:02:00Z"^^xsd:dateTime ;
        prov:invalidatedAtTime "2026-12-05T10:05:00Z"^^xsd:dateTime ; dg:undoneBy <agent/ann> .
    <curation/r-3d4e5f607182> a dg:Retraction, dg:Curation ;
        dg:retractedSubject <person/eddy-cue> ; dg:retractedPredicate dg:executiveOf ; dg:retractedObject <org/apple> ;
        prov:wasAttributedTo <agent/ann> ; prov:generatedAtTime "2026-12-05T10:03:00Z"^^xsd:dateTime .
    <curation/a-4e5f60718293> a dg:ArticleRemoval, dg:Curation ;
        dg:removedArticle <article/example-acme-globex> ; dg:removedSource "data/example/acme-globex.txt" ;
        prov:wasAttributedTo <agent/ann> ; prov:generatedAtTime "2026-12-05T10:04:00Z"^^xsd:dateTime .
    <curation/k-5f60718293a4> a dg:KnownName, dg:Curation ;
        dg:knownName "Activision Blizzard" ; dg:knownType "Organization" ;
        prov:wasAttributedTo <agent/ann> ; prov:generatedAtTime "2026-12-05T10:06:00Z"^^xsd:dateTime .
    <agent/ann> a prov:Agent ; rdfs:label "ann" .
    <curation> dg:knownNamesApplied "9f86d081884c7d65" .
}
"""

# Prefixes of the page (and of its examples), in the order they are listed.
_PAGE_PREFIXES = {p: iri for p, iri in PREFIXES.items() if p != "id"}
_PAGE_PREFIXES.update(
    {
        "dcterms": str(DCTERMS),
        "vann": "http://purl.org/vocab/vann/",
        "fibo-cae-ce-srca": "https://spec.edmcouncil.org/fibo/ontology/CAE/CorporateEvents/SecurityRelatedCorporateActions/",
    }
)
_BY_LENGTH = sorted(_PAGE_PREFIXES.items(), key=lambda kv: -len(kv[1]))
_SIMPLE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_KIND = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.NamedIndividual: "individual",
    OWL.AnnotationProperty: "annotation property",
}


def example_dataset() -> Dataset:
    """:data:`EXAMPLE` parsed into an rdflib Dataset (one named graph per article)."""
    ds = Dataset()
    ds.parse(data=EXAMPLE, format="trig")
    return ds


# --- naming ------------------------------------------------------------------


def _curie(term) -> str:
    """A short name for an IRI: ``dg:Deal``, ``<org/apple>`` (relative to id:), or the full IRI."""
    if isinstance(term, BNode):
        return "[]"
    s = str(term)
    if s.startswith(str(ID)):
        return f"<{s[len(str(ID)) :]}>"
    for prefix, ns in _BY_LENGTH:
        if s.startswith(ns) and _SIMPLE_LOCAL.match(s[len(ns) :]):
            return f"{prefix}:{s[len(ns) :]}"
    return f"<{s}>"


def _anchor(term) -> str:
    return _curie(term).replace(":", "-")


def _link(term, defined: set) -> str:
    name = _curie(term)
    return f"[{name}](#{_anchor(term)})" if term in defined else f"`{name}`"


def _text(g: Graph, term, prop) -> str | None:
    values = sorted(g.objects(term, prop), key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))
    return " ".join(str(values[0]).split()) if values else None


# --- classes, ranges and unions ---------------------------------------------


def _members(g: Graph, node) -> list:
    """The classes a domain or range stands for: itself, or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is not None:
            return list(Collection(g, union))
    return [node]


def _describe_range(g: Graph, node, defined: set) -> str:
    if not isinstance(node, BNode):
        return _link(node, defined)
    union = g.value(node, OWL.unionOf)
    if union is not None:
        return " or ".join(_describe_range(g, m, defined) for m in Collection(g, union))
    one_of = g.value(node, OWL.oneOf)
    if one_of is not None:
        return "one of " + ", ".join(f'"{v}"' for v in Collection(g, one_of))
    base = g.value(node, OWL.onDatatype)
    restrictions = g.value(node, OWL.withRestrictions)
    if base is not None and restrictions is not None:
        bounds = []
        for r in Collection(g, restrictions):
            for facet, word in (
                (XSD.minInclusive, ">="),
                (XSD.maxInclusive, "<="),
                (XSD.minExclusive, ">"),
                (XSD.maxExclusive, "<"),
            ):
                v = g.value(r, facet)
                if v is not None:
                    bounds.append(f"{word} {v}")
        return f"{_link(base, defined)} ({', '.join(bounds)})"
    return "an anonymous class"


# --- the order and headings of the Turtle file ------------------------------


def _sections(ttl: str) -> list[tuple[str, list[str]]]:
    """[(heading, [local names of dg: terms defined under it, in file order])]."""
    lines = ttl.splitlines()
    sections: list[tuple[str, list[str]]] = []
    for i, line in enumerate(lines):
        banner = i > 0 and lines[i - 1].startswith("#####") and line.startswith("# ") and not line.startswith("# -")
        if banner:
            sections.append((line[2:].strip(), []))
            continue
        m = re.match(r"^dg:(\w+)\b", line)
        if m and sections and m[1] not in sections[-1][1]:
            sections[-1][1].append(m[1])
    return [(h, terms) for h, terms in sections if terms]


# --- Turtle for the examples -------------------------------------------------


def _turtle_term(term) -> str:
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if term.language:
            return f'"{text}"@{term.language}'
        dt = term.datatype
        if dt is None or dt == XSD.string:
            return f'"{text}"'
        if dt == XSD.integer and re.fullmatch(r"-?\d+", str(term)):
            return str(term)
        if dt == XSD.decimal and re.fullmatch(r"-?\d+\.\d+", str(term)):
            return str(term)
        return f'"{text}"^^{_curie(dt)}'
    if term == RDF.type:
        return "a"
    return _curie(term)


_FIRST = [RDF.type, RDFS.label, RDF.subject, RDF.predicate, RDF.object]


def _predicate_order(p) -> tuple:
    return (_FIRST.index(p) if p in _FIRST else len(_FIRST), _curie(p))


def _turtle(triples, comment: str | None = None) -> str:
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    out = [f"# {comment}"] if comment else []
    for s in sorted(by_subject, key=_curie):
        preds = sorted(by_subject[s], key=_predicate_order)
        parts = []
        for p in preds:
            objects = ", ".join(_turtle_term(o) for o in sorted(by_subject[s][p], key=_turtle_term))
            parts.append(f"{_turtle_term(p)} {objects}")
        out.append(f"{_turtle_term(s)} " + " ;\n    ".join(parts) + " .")
    return "\n".join(out)


# --- examples for each term --------------------------------------------------


class _Examples:
    def __init__(self, dataset: Dataset, ontology: Graph):
        self.data = Graph()
        self.first_graph: dict = {}  # node -> index of the first graph that describes it
        # graphs in the order EXAMPLE writes them (the seed article first), others after, by name
        names = {str(c) for _, _, _, c in dataset.quads((None, None, None, None))}
        position = {n: EXAMPLE.find(f"<{n[len(str(ID)) :]}> {{") for n in names}
        graphs = sorted(names, key=lambda n: (position[n] < 0, position[n], n))
        for s, p, o, c in dataset.quads((None, None, None, None)):
            self.data.add((s, p, o))
            i = graphs.index(str(c))
            self.first_graph[s] = min(i, self.first_graph.get(s, i))
        self.ontology = ontology
        self._entailed: Graph | None = None

    def entailed(self) -> Graph:
        if self._entailed is None:
            from graph.reason import inferences

            self._entailed = inferences(self.data)
        return self._entailed

    def for_class(self, cls) -> str | None:
        subclasses = set(self.ontology.transitive_subjects(RDFS.subClassOf, cls)) - {cls}

        def preference(node) -> tuple:
            # an instance of exactly this class first, then one from the seed article
            more_specific = any(t in subclasses for t in self.data.objects(node, RDF.type))
            return (more_specific, self.first_graph.get(node, 0), _curie(node))

        instances = sorted(set(self.data.subjects(RDF.type, cls)), key=preference)
        if not instances:
            return None
        node = instances[0]
        return _turtle(self.data.triples((node, None, None)))

    def for_property(self, prop) -> str | None:
        triples = sorted(self.data.triples((None, prop, None)), key=lambda t: (_curie(t[0]), _turtle_term(t[2])))
        if triples:
            return _turtle(triples[:2])
        inferred = sorted(self.entailed().triples((None, prop, None)), key=lambda t: (_curie(t[0]), _curie(t[2])))
        if not inferred:
            return None
        s, _, o = inferred[0]
        stated = sorted(
            (t for t in self.data.triples((s, None, o))),
            key=lambda t: _curie(t[1]),
        )
        head = _turtle(stated[:1], "stated") if stated else ""
        tail = _turtle(inferred[:1], "entailed (dealgraph query --reason)")
        return f"{head}\n{tail}" if head else tail

    def for_individual(self, ind) -> str | None:
        triples = sorted(self.data.triples((None, None, ind)), key=lambda t: _curie(t[0]))
        if not triples:
            return None
        node = triples[0][0]
        return _turtle(self.data.triples((node, None, None)))


# --- the page ----------------------------------------------------------------


def ontology_markdown(ontology: Path | str | None = None, example: Dataset | None = None) -> str:
    """The Markdown reference page of the ontology (the text of ``docs/ontology.md``).

    Parameters
    ----------
    ontology : path, optional
        The ontology's Turtle file; default ``ontology/dealgraph.ttl``.
    example : rdflib.Dataset, optional
        The example data; default :func:`example_dataset`.
    """
    path = Path(ontology) if ontology is not None else ONTOLOGY_FILE
    ttl = path.read_text("utf-8")
    g = Graph().parse(data=ttl, format="turtle")
    examples = _Examples(example if example is not None else example_dataset(), g)
    onto = next(g.subjects(RDF.type, OWL.Ontology))
    sections = _sections(ttl)
    defined = {DG[name] for _, names in sections for name in names}

    out = [f"# {_text(g, onto, DCTERMS.title)}", ""]
    out += [
        "<!-- Generated by `python -m tools.ontology_docs` from ontology/dealgraph.ttl: do not edit by hand. -->",
        "",
        "| | |",
        "|---|---|",
        f"| IRI | `{onto}` |",
        f"| namespace | `{DG}` (prefix `dg:`) |",
        f"| version | {_text(g, onto, OWL.versionInfo)} |",
        f"| license | {_text(g, onto, DCTERMS.license)} |",
        "| source | [`ontology/dealgraph.ttl`](../ontology/dealgraph.ttl); shapes [`ontology/shapes.ttl`](../ontology/shapes.ttl); "
        "JSON-LD context [`ontology/context.jsonld`](../ontology/context.jsonld); how articles become RDF "
        "[`ontology/MODEL.md`](../ontology/MODEL.md) |",
        "",
        _text(g, onto, DCTERMS.description) or "",
        "",
        "Instance IRIs live under `https://w3id.org/dealgraph/id/`; the examples below are written "
        "relative to it (`@base <https://w3id.org/dealgraph/id/>`, so `<org/apple>` is "
        "`https://w3id.org/dealgraph/id/org/apple`) with these prefixes:",
        "",
        "| prefix | namespace |",
        "|---|---|",
    ]
    out += [f"| `{p}:` | `{iri}` |" for p, iri in _PAGE_PREFIXES.items()]
    out += ["", "## Contents", ""]
    for heading, names in sections:
        out.append(f"- {heading}: " + ", ".join(f"[dg:{n}](#dg-{n})" for n in names))
    out += ["", "## The model at a glance", "", "```mermaid", mermaid_diagram(g), "```", ""]
    out += [
        "Solid arrows with a label are object properties (domain to range); hollow-headed arrows are "
        "subclasses; attributes are the datatype properties of a class. External classes "
        "(schema.org, W3C ORG, PROV-O) are the superclasses the ontology aligns with.",
        "",
    ]
    for heading, names in sections:
        out += [f"## {heading}", ""]
        for name in names:
            out += _term_section(g, DG[name], defined, examples)
    return "\n".join(out).rstrip() + "\n"


def _term_section(g: Graph, term: URIRef, defined: set, examples: _Examples) -> list[str]:
    types = set(g.objects(term, RDF.type))
    kind = next(
        (_KIND[t] for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual) if t in types),
        "term",
    )
    label = _text(g, term, RDFS.label)
    out = [f'<a id="{_anchor(term)}"></a>', "", f"### {_curie(term)}", ""]
    out += [f"*{label}* — {kind}, `{term}`", ""]
    if comment := _text(g, term, RDFS.comment):
        out += [comment, ""]
    rows: list[tuple[str, str]] = []

    def add(name: str, values) -> None:
        values = [v for v in values if v]
        if values:
            rows.append((name, ", ".join(values)))

    if kind == "class":
        add("subclass of", [_link(c, defined) for c in sorted(g.objects(term, RDFS.subClassOf), key=_curie)])
        add("superclass of", [_link(c, defined) for c in sorted(g.subjects(RDFS.subClassOf, term), key=_curie)])
        add(
            "disjoint with",
            [
                _link(c, defined)
                for c in sorted(
                    set(g.objects(term, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, term)), key=_curie
                )
            ],
        )
        domain_of = sorted(
            (p for p, d in g.subject_objects(RDFS.domain) if term in _members(g, d) and p in defined), key=_curie
        )
        add("properties", [_link(p, defined) for p in domain_of])
        range_of = sorted(
            (p for p, r in g.subject_objects(RDFS.range) if term in _members(g, r) and p in defined), key=_curie
        )
        add("value of", [_link(p, defined) for p in range_of])
    elif kind in ("object property", "datatype property"):
        characteristics = [
            c
            for t, c in (
                (OWL.SymmetricProperty, "symmetric"),
                (OWL.TransitiveProperty, "transitive"),
                (OWL.FunctionalProperty, "functional"),
            )
            if t in types
        ]
        add("characteristics", characteristics)
        add("domain", [_describe_range(g, d, defined) for d in g.objects(term, RDFS.domain)])
        add("range", [_describe_range(g, r, defined) for r in g.objects(term, RDFS.range)])
        add("subproperty of", [_link(p, defined) for p in sorted(g.objects(term, RDFS.subPropertyOf), key=_curie)])
        add("superproperty of", [_link(p, defined) for p in sorted(g.subjects(RDFS.subPropertyOf, term), key=_curie)])
    else:
        add("type", [_link(t, defined) for t in sorted(types, key=_curie)])
        add("see also", [_link(t, defined) for t in sorted(g.objects(term, RDFS.seeAlso), key=_curie)])
    add("close match", [f"`{_curie(m)}`" for m in sorted(g.objects(term, SKOS.closeMatch), key=_curie)])
    add("related match", [f"`{_curie(m)}`" for m in sorted(g.objects(term, SKOS.relatedMatch), key=_curie)])
    if note := _text(g, term, SKOS.note):
        rows.append(("note", note))
    if rows:
        out += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows] + [""]
    if kind == "class":
        example = examples.for_class(term)
    elif kind in ("object property", "datatype property"):
        example = examples.for_property(term)
    else:
        example = examples.for_individual(term)
    if example:
        out += ["```turtle", example, "```", ""]
    return out


# --- the diagram -------------------------------------------------------------


def _mermaid_id(term) -> str:
    c = _curie(term)
    return c[3:] if c.startswith("dg:") else re.sub(r"\W", "_", c)


def mermaid_diagram(g: Graph) -> str:
    """A Mermaid ``classDiagram`` of the ontology's classes, properties and alignments.

    >>> from rdflib import Graph
    >>> d = mermaid_diagram(Graph().parse(ONTOLOGY_FILE))
    >>> "Acquisition --> Organization : acquirer, target" in d
    True
    """
    classes = sorted((c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(DG))), key=_curie)
    lines = ["classDiagram", "    direction LR"]
    externals = set()
    attrs: dict = defaultdict(list)
    for p in sorted(g.subjects(RDF.type, OWL.DatatypeProperty), key=_curie):
        if not str(p).startswith(str(DG)):
            continue
        rng = g.value(p, RDFS.range)
        rtype = _curie(rng).split(":")[-1] if isinstance(rng, URIRef) else "literal"
        if isinstance(rng, BNode) and g.value(rng, OWL.onDatatype) is not None:
            rtype = _curie(g.value(rng, OWL.onDatatype)).split(":")[-1]
        elif isinstance(rng, BNode) and g.value(rng, OWL.oneOf) is not None:
            rtype = "string"
        elif isinstance(rng, BNode) and g.value(rng, OWL.unionOf) is not None:
            rtype = "|".join(_curie(m).split(":")[-1] for m in Collection(g, g.value(rng, OWL.unionOf)))
        for d in g.objects(p, RDFS.domain):
            for c in _members(g, d):
                attrs[c].append(f"{_curie(p)[3:]} : {rtype}")
    for c in classes:
        members = attrs.get(c, [])
        if members:
            lines.append(f"    class {_mermaid_id(c)} {{")
            lines += [f"        {m}" for m in members]
            lines.append("    }")
        else:
            lines.append(f"    class {_mermaid_id(c)}")
    edges: dict = defaultdict(list)
    for p in sorted(g.subjects(RDF.type, OWL.ObjectProperty), key=_curie):
        if not str(p).startswith(str(DG)):
            continue
        for d in g.objects(p, RDFS.domain):
            for r in g.objects(p, RDFS.range):
                for dc in _members(g, d):
                    for rc in _members(g, r):
                        edges[(dc, rc)].append(_curie(p)[3:])
    for c in classes:
        for sup in sorted(g.objects(c, RDFS.subClassOf), key=_curie):
            if isinstance(sup, URIRef):
                if not str(sup).startswith(str(DG)):
                    externals.add(sup)
                lines.append(f"    {_mermaid_id(sup)} <|-- {_mermaid_id(c)}")
    for (dc, rc), names in sorted(edges.items(), key=lambda kv: (_curie(kv[0][0]), _curie(kv[0][1]))):
        lines.append(f"    {_mermaid_id(dc)} --> {_mermaid_id(rc)} : {', '.join(names)}")
    for e in sorted(externals, key=_curie):
        lines.append(f'    class {_mermaid_id(e)}["{_curie(e)}"]')
    return "\n".join(lines)


# --- command line ------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.ontology_docs [--check] [-o FILE]``: write the page, or check it is up to date."""
    parser = argparse.ArgumentParser(prog="python -m tools.ontology_docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the page is out of date, write nothing")
    parser.add_argument("-o", "--output", type=Path, default=DOCS_FILE, help=f"default {DOCS_FILE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    text = ontology_markdown()
    current = args.output.read_text("utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            sys.stderr.write(f"{args.output} is out of date: run `python -m tools.ontology_docs`\n")
            return 1
        return 0
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, "utf-8")
        sys.stderr.write(f"wrote {args.output}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
