"""The namespaces of the dealgraph ontology and of the vocabularies it reuses.

One home for every IRI prefix, so ``graph.rdf``, ``graph.query`` and
``graph.network`` agree on them.

>>> str(DG.ceoOf)
'https://w3id.org/dealgraph/ontology#ceoOf'
>>> relation_property("deal_with") == DG.dealWith
True
"""

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

__all__ = [
    "DG",
    "ID",
    "CURATED_GRAPH",
    "ORG",
    "SCHEMA",
    "PROV",
    "RDF",
    "RDFS",
    "OWL",
    "SKOS",
    "XSD",
    "FIBO",
    "WD",
    "WDT",
    "PREFIXES",
    "OUTPUT_PREFIXES",
    "RELATIONS",
    "relation_property",
    "relation_from_property",
    "sparql_prologue",
]

DG = Namespace("https://w3id.org/dealgraph/ontology#")
ID = Namespace("https://w3id.org/dealgraph/id/")
# On a remote store, the union of the article graphs with the corrections applied (graph.curation)
CURATED_GRAPH = str(ID["curated"])
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = SDO  # https://schema.org/
FIBO = Namespace("https://spec.edmcouncil.org/fibo/ontology/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

PREFIXES: dict[str, str] = {
    "dg": str(DG),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "wd": str(WD),
    "wdt": str(WDT),
}

# For writing Turtle / TriG: without ``id:``, whose local names contain "/" and
# would come out escaped (``id:org\/apple``); full IRIs read better there.
OUTPUT_PREFIXES: dict[str, str] = {p: iri for p, iri in PREFIXES.items() if p != "id"}

# The public relation inventory of DESIGN.md: snake_case name -> (ontology
# property local name, subject type, object type).
RELATIONS: dict[str, tuple[str, str, str]] = {
    "ceo_of": ("ceoOf", "Person", "Organization"),
    "founder_of": ("founderOf", "Person", "Organization"),
    "chair_of": ("chairOf", "Person", "Organization"),
    "executive_of": ("executiveOf", "Person", "Organization"),
    "board_member_of": ("boardMemberOf", "Person", "Organization"),
    "works_for": ("worksFor", "Person", "Organization"),
    "subsidiary_of": ("subsidiaryOf", "Organization", "Organization"),
    "acquired": ("acquired", "Organization", "Organization"),
    "invested_in": ("investedIn", "Organization", "Organization"),
    "deal_with": ("dealWith", "Organization", "Organization"),
    "launched": ("launched", "Organization", "Product"),
    "offers": ("offers", "Organization", "Product"),
}

_BY_LOCAL = {local: name for name, (local, _, _) in RELATIONS.items()}


def relation_property(relation: str):
    """Return the ontology property IRI of a snake_case relation name.

    Raises ``ValueError`` naming the valid relations when the name is unknown.
    """
    try:
        return DG[RELATIONS[relation][0]]
    except KeyError:
        raise ValueError(f"unknown relation {relation!r}; expected one of {', '.join(RELATIONS)}") from None


def relation_from_property(iri: str) -> str | None:
    """Return the snake_case relation of a ``dg:`` property IRI, or None.

    >>> relation_from_property("https://w3id.org/dealgraph/ontology#founderOf")
    'founder_of'
    """
    if not iri.startswith(str(DG)):
        return None
    return _BY_LOCAL.get(iri[len(str(DG)) :])


def sparql_prologue() -> str:
    """The PREFIX lines predeclared for every query dealgraph runs."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
