"""Curation: corrections to the graph, kept as data beside it.

The extracted article graphs are never edited. What a person corrects is
written as records in one named graph of its own, :data:`CURATION_GRAPH`
(``https://w3id.org/dealgraph/id/curation``), each record a ``dg:Curation``
with who made it (``prov:wasAttributedTo`` a ``prov:Agent``) and when
(``prov:generatedAtTime``); an undone record stays, with
``prov:invalidatedAtTime`` and ``dg:undoneBy``:

=====================  ============================================================
record                 says
=====================  ============================================================
``dg:Merge``           ``dg:canonical`` E and ``dg:mergedEntity`` A, B...: one entity
                       from now on, E; the others' names become E's aliases
``dg:AliasAddition``   ``dg:aboutEntity`` E is also called ``dg:aliasName`` N (and an
                       entity of E's type labelled N is folded into E)
``dg:Retraction``      a fact is wrong: ``dg:retractedFact`` F (one fact node), or
                       ``dg:retractedSubject`` / ``dg:retractedPredicate`` /
                       ``dg:retractedObject`` (every article's fact of that triple)
``dg:ArticleRemoval``  ``dg:removedArticle``: its graph was dropped, and builds skip it
``dg:KnownName``       ``dg:knownName`` N has ``dg:knownType`` T: a user gazetteer
                       entry the extractor reads on the next build
=====================  ============================================================

Where the corrections take effect (:func:`apply`, :func:`curate_networkx`):

- An embedded store keeps its default graph as the union of the article graphs
  (``graph.store``); :func:`apply` rewrites that union with the corrections
  (merged entities' triples moved to the one entity, rdfs:label of the others
  becoming skos:altLabel, ``A owl:sameAs E``; retracted facts, their deals and
  their shortcut triples taken out). Every SPARQL question (``dealgraph
  query``, saved questions, the server), the projection to networkx and what
  sits on it (``analyze``, ``view``, ``info``, networkx exports) read it. It runs
  after each curation command and at the end of each build, so a rebuild or
  ``build --force`` keeps the corrections.
- A remote store gets a copy of the union with the corrections applied, the
  named graph ``https://w3id.org/dealgraph/id/curated``, which every query
  dealgraph sends reads (:mod:`graph.curation.apply` says why a copy).
- :func:`graph.network.to_networkx` also applies them to the projected graph
  (:func:`curate_networkx`): a no-op where the store's union is curated, and
  the place they take effect on an endpoint without the copy (Virtuoso 7).

RDF exports in one graph (Turtle, N-Triples) carry the corrected union; those
with the graphs (TriG, N-Quads, JSON-LD) carry the article graphs as extracted
plus the curation graph, so whoever loads them gets both. :func:`export_curation` and
:func:`import_curation` move the curation alone, as a small Turtle file.

>>> from graph.store import open_store
>>> s = open_store("memory")
>>> _ = s.update('INSERT DATA { GRAPH <urn:g> { id:org\\\\/a a dg:Organization ; rdfs:label "Acme" . '
...              'id:org\\\\/b a dg:Organization ; rdfs:label "Acme Corp" ; dg:acquired id:org\\\\/c . '
...              'id:org\\\\/c a dg:Organization ; rdfs:label "Widget" } }')
>>> merge(s, ["Acme", "Acme Corp"], by="ann").kind
'Merge'
>>> [r["x"].value for r in s.query("SELECT ?x WHERE { ?x dg:acquired ?y }")]
['https://w3id.org/dealgraph/id/org/a']
>>> [r.kind for r in records(s)]
['Merge']
"""

from graph.curation.apply import (
    BuildPlan,
    after_build,
    apply,
    before_build,
    curated_triples,
    known_names_from,
)
from graph.curation.commands import (
    add_known_names,
    alias,
    export_curation,
    import_curation,
    known_names,
    merge,
    read_known_names,
    remove_article,
    retract,
    undo,
)
from graph.curation.projection import curate_networkx
from graph.curation.records import (
    CURATION_GRAPH,
    KNOWN_TYPES,
    CurationError,
    Record,
    names_of,
    records,
    resolve_entity,
)
from graph.curation.state import Curation, state

__all__ = [
    "CURATION_GRAPH",
    "KNOWN_TYPES",
    "CurationError",
    "Record",
    "Curation",
    "merge",
    "alias",
    "retract",
    "remove_article",
    "add_known_names",
    "read_known_names",
    "known_names",
    "records",
    "state",
    "apply",
    "curate_networkx",
    "export_curation",
    "import_curation",
    "undo",
    "resolve_entity",
    "before_build",
    "after_build",
    "curated_triples",
    "names_of",
    "BuildPlan",
    "known_names_from",
]
