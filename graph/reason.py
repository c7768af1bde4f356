"""Inference on demand: the RDFS and OWL 2 RL entailments of the graph (owlrl).

The store holds what the articles state. The ontology (``ontology/dealgraph.ttl``)
says more: every ``dg:acquirer`` of a deal is also a ``dg:party``, a ``dg:ceoOf``
is a ``dg:affiliatedWith`` and an ``org:headOf``, ``dg:dealWith`` is symmetric, a
``dg:Company`` is a ``dg:Organization``, and so on. This module computes those
consequences with owlrl's forward chaining, on demand:

- :func:`entailed` returns the closure (data, ontology and entailments) as an
  rdflib ``Graph``; :func:`inferences` only the new triples;
- :func:`reasoned_store` materialises the closure into a memory store for
  SPARQL: every article graph as it was, the ontology in the named graph
  ``<https://w3id.org/dealgraph/ontology>``, the entailments in the named graph
  ``<https://w3id.org/dealgraph/id/graph/inferred>`` (so ``GRAPH ?g`` still tells
  what an article stated from what was inferred). It is cached per store content.

``graph.query.run(store, sparql, reason=True)`` and ``dealgraph query --reason``
run on that store.

The trivia of the closure are left out: reflexive ``owl:sameAs``, types such as
``owl:Thing``, ``rdfs:Resource`` and datatypes, triples about the RDF, RDFS, OWL
and XSD vocabularies themselves, and anything on a blank node (anonymous
classes of the ontology). owlrl works in memory through rdflib: count on a few
seconds per ten thousand triples, fine for the graphs of a few hundred articles.

>>> from rdflib import Graph
>>> data = Graph().parse(data='''
...     @prefix dg: <https://w3id.org/dealgraph/ontology#> .
...     <https://w3id.org/dealgraph/id/deal/d1> a dg:Acquisition ;
...         dg:acquirer <https://w3id.org/dealgraph/id/org/microsoft> .
... ''', format="turtle")
>>> closure = entailed(data)
>>> from graph.ns import DG, ID
>>> (ID["deal/d1"], DG.party, ID["org/microsoft"]) in closure
True
>>> (ID["deal/d1"], DG.party, ID["org/microsoft"]) in data
False
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from pathlib import Path

import owlrl
import pyoxigraph as ox
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from graph.errors import DealGraphError
from graph.store import Store, open_store

__all__ = [
    "SEMANTICS",
    "ONTOLOGY_GRAPH",
    "INFERRED_GRAPH",
    "entailed",
    "inferences",
    "inconsistencies",
    "reasoned_store",
]

log = logging.getLogger(__name__)

#: The entailment regimes :func:`entailed` accepts, by name.
SEMANTICS = {
    "rdfs": owlrl.RDFS_Semantics,
    "owlrl": owlrl.OWLRL_Semantics,
    "rdfs+owlrl": owlrl.RDFS_OWLRL_Semantics,
}
DEFAULT_SEMANTICS = "rdfs+owlrl"

#: The named graph of the ontology in a reasoned store.
ONTOLOGY_GRAPH = "https://w3id.org/dealgraph/ontology"
#: The named graph of the entailments in a reasoned store.
INFERRED_GRAPH = "https://w3id.org/dealgraph/id/graph/inferred"

_ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # owlrl's error messages
_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, RDFS.Literal, RDFS.Datatype, OWL.DataRange, RDF.List}
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}

Data = Graph | Dataset | ConjunctiveGraph
Ontology = Graph | str | Path | None


def entailed(data: Data, *, ontology: Ontology = None, semantics: str = DEFAULT_SEMANTICS) -> Graph:
    """The deductive closure of ``data`` with the ontology: stated and entailed triples.

    Parameters
    ----------
    data : rdflib.Graph or rdflib.Dataset
        The graph to reason on; the named graphs of a dataset are merged.
    ontology : rdflib.Graph, path or None
        The ontology loaded with the data; default ``ontology/dealgraph.ttl``.
    semantics : str
        ``"rdfs"``, ``"owlrl"`` or ``"rdfs+owlrl"`` (default: both rule sets).

    Returns
    -------
    rdflib.Graph
        The data, the ontology and what follows from them, without the trivia
        listed in the module docstring.

    Raises
    ------
    ValueError
        If ``semantics`` is not one of :data:`SEMANTICS`.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from graph.ns import DG, ID
    >>> g = Graph()
    >>> _ = g.add((ID["person/jack-ma"], DG.ceoOf, ID["org/alibaba"]))
    >>> c = entailed(g)
    >>> (ID["person/jack-ma"], DG.affiliatedWith, ID["org/alibaba"]) in c
    True
    """
    base, new, _ = _closure(data, ontology, semantics)
    out = Graph()
    for t in base:
        out.add(t)
    for t in new:
        out.add(t)
    _bind(out)
    return out


def inferences(data: Data, *, ontology: Ontology = None, semantics: str = DEFAULT_SEMANTICS) -> Graph:
    """Only the entailed triples: those of :func:`entailed` that neither the data nor the ontology states.

    >>> from rdflib import Graph
    >>> from graph.ns import DG, ID, ORG
    >>> g = Graph()
    >>> _ = g.add((ID["person/tim-cook"], DG.ceoOf, ID["org/apple"]))
    >>> sorted(p.n3() for _, p, _ in inferences(g).triples((ID["person/tim-cook"], None, ID["org/apple"])))
    ['<http://www.w3.org/ns/org#headOf>', '<https://w3id.org/dealgraph/ontology#affiliatedWith>']
    """
    _, new, _ = _closure(data, ontology, semantics)
    _bind(new)
    return new


def inconsistencies(data: Data, *, ontology: Ontology = None) -> list[str]:
    """The OWL 2 RL inconsistencies owlrl finds (a node that is both a dg:Person and a dg:Organization ...).

    Returns owlrl's messages, sorted; an empty list when the data is consistent
    with the ontology.

    >>> from rdflib import Graph
    >>> from rdflib.namespace import RDF
    >>> from graph.ns import DG, ID
    >>> g = Graph()
    >>> _ = g.add((ID["org/x"], RDF.type, DG.Person))
    >>> _ = g.add((ID["org/x"], RDF.type, DG.Organization))
    >>> len(inconsistencies(g))
    1
    """
    _, _, errors = _closure(data, ontology, "owlrl")
    return errors


def reasoned_store(store: Store, *, ontology: Ontology = None, semantics: str = DEFAULT_SEMANTICS) -> Store:
    """A read-only memory store with the store's graphs, the ontology and the entailments.

    The article graphs are copied as they are; the ontology goes to the named
    graph :data:`ONTOLOGY_GRAPH`, the entailed triples to :data:`INFERRED_GRAPH`.
    The result is cached by the store's content (a digest of its sorted N-Quads), the
    ontology and the semantics, so asking several questions reasons once.

    Examples
    --------
    >>> from graph.store import open_store
    >>> s = open_store("memory")
    >>> s.load_nquads(b'<https://w3id.org/dealgraph/id/person/tim-cook> '
    ...               b'<https://w3id.org/dealgraph/ontology#ceoOf> <https://w3id.org/dealgraph/id/org/apple> '
    ...               b'<https://w3id.org/dealgraph/id/graph/a1> .\\n')
    >>> r = reasoned_store(s)
    >>> bool(r.query("ASK { ?p dg:affiliatedWith ?o }"))
    True
    >>> bool(s.query("ASK { ?p dg:affiliatedWith ?o }"))
    False
    """
    _check_semantics(semantics)
    nquads = store.dump(ox.RdfFormat.N_QUADS)
    onto = _ontology_graph(ontology)
    digest = hashlib.sha256()
    digest.update(semantics.encode())
    digest.update(b"\n".join(sorted(nquads.split(b"\n"))))  # the same content in any order
    digest.update(onto.serialize(format="nt").encode("utf-8") if ontology is not None else b"default")
    key = digest.hexdigest()
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]

    data = Dataset()
    data.parse(data=nquads.decode("utf-8"), format="nquads")
    _, new, errors = _closure(data, onto, semantics)
    for message in errors:
        log.warning("OWL RL inconsistency: %s", message)
    out = open_store("memory")
    out.load_nquads(nquads)
    out.load_nquads(_as_nquads(onto, ONTOLOGY_GRAPH) + _as_nquads(new, INFERRED_GRAPH))
    from graph.curation import apply as apply_curation  # the corrections, as on the store itself

    apply_curation(out)
    out.location = "memory (reasoned)"
    out.read_only = True
    _CACHE[key] = out
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return out


_CACHE: OrderedDict[str, Store] = OrderedDict()
_CACHE_SIZE = 4


# --- internals ---------------------------------------------------------------


def _check_semantics(semantics: str) -> None:
    if semantics not in SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; expected one of {', '.join(SEMANTICS)}")


def _ontology_graph(ontology: Ontology) -> Graph:
    if isinstance(ontology, Graph):
        return ontology
    if ontology is None:
        return _default_ontology()
    try:
        return Graph().parse(str(ontology), format="turtle")
    except (OSError, SyntaxError, ValueError) as e:
        raise DealGraphError(f"cannot read the ontology {ontology}: {e}") from e


def _default_ontology() -> Graph:
    global _DEFAULT_ONTOLOGY
    if _DEFAULT_ONTOLOGY is None:
        from graph.validate import ontology_file  # finds ontology/ in a checkout or the package data

        _DEFAULT_ONTOLOGY = Graph().parse(data=ontology_file("dealgraph.ttl").read_bytes(), format="turtle")
    return _DEFAULT_ONTOLOGY


_DEFAULT_ONTOLOGY: Graph | None = None


def _closure(data: Data, ontology: Ontology, semantics: str) -> tuple[Graph, Graph, list[str]]:
    """(data + ontology, the new non-trivial triples, owlrl's error messages)."""
    _check_semantics(semantics)
    base = Graph()
    triples = (
        data.triples((None, None, None))
        if not isinstance(data, (Dataset, ConjunctiveGraph))
        else ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    )
    for t in triples:
        base.add(t)
    for t in _ontology_graph(ontology):
        base.add(t)

    work = Graph()
    for t in base:
        work.add(t)
    owlrl.DeductiveClosure(SEMANTICS[semantics]).expand(work)

    errors = sorted(
        str(msg) for node in work.subjects(RDF.type, _ERR.ErrorMessage) for msg in work.objects(node, _ERR.error)
    )
    stated = {_key(t) for t in base}
    new = Graph()
    for t in work:
        if not _trivial(t) and _key(t) not in stated:
            new.add(t)
    return base, new, errors


def _key(triple) -> tuple:
    """A triple with its literals compared as RDF 1.1 does ("x" is "x"^^xsd:string)."""
    return tuple((str(x), str(x.datatype or XSD.string), x.language) if isinstance(x, Literal) else x for x in triple)


def _trivial(triple) -> bool:
    s, p, o = triple
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode) or not isinstance(p, URIRef):
        return True
    if str(s).startswith(_VOCABULARIES):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if p == RDF.type and (o in _TRIVIAL_TYPES or str(o).startswith(str(XSD)) or o == RDF.langString):
        return True
    return False


def _as_nquads(graph: Graph, name: str) -> bytes:
    quads = (ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(name)) for s, p, o in graph if not isinstance(s, Literal))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def _ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _bind(g: Graph) -> None:
    from graph.ns import PREFIXES

    for prefix, namespace in PREFIXES.items():
        if prefix != "id":
            g.bind(prefix, namespace, override=True)
