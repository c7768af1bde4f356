"""The graph as a ``networkx.MultiDiGraph``, and the analyses people run on it.

:func:`to_networkx` projects the store in one pass per kind of thing (entities,
facts, deals; a few SPARQL SELECTs, no per-node look-ups):

- nodes, keyed by IRI: ``label``, ``type`` (Person, Organization, Product, Deal),
  ``aliases``, ``articles``; deal nodes also ``deal_type``, ``status``, ``date``,
  ``value``, ``currency``;
- an edge per (subject, relation, object), key = relation: ``relation``
  (snake_case), ``label`` ("CEO of"), ``predicate`` (IRI), ``evidence``,
  ``article``, ``article_title``, ``date``, ``confidence``, ``title`` and
  ``sources`` (one dict per article stating it);
- deal nodes link to their parties with ``party`` / ``acquirer`` / ``target`` /
  ``investor`` / ``investee`` edges;
- ``G.graph["articles"]``: article IRI -> title, published, url, publisher.

Literals are attributes, never nodes.

The analyses are plain functions that take that graph and return plain data:

- :func:`find_entity`: a node from a label, an alias or an IRI;
- :func:`as_of`: the graph as it stood on a date;
- :func:`rank`: entities by degree, PageRank and betweenness, per type, from
  :func:`degree`, :func:`pagerank` and :func:`betweenness` (node -> score);
- :func:`communities`: Louvain (or Leiden) communities;
- :func:`shortest_path`: the shortest connection, hop by hop, with the evidence
  of each hop, as one line (:func:`path_text`) or with the sentences
  (:func:`explain_path`);
- :func:`ego_network`: everything within N hops of an entity (:func:`to_records`
  turns it into rows);
- :func:`deals_over_time`: deals per year or month, by type and value;
- :func:`simple_view`, :func:`to_igraph`: the undirected simple graph the
  measures use, and the same as an igraph graph.

How the measures read the graph: relations are connections whatever their
direction (who is CEO of whom matters for the evidence, not for how central a
company is), parallel relations count once, and deals are connectors: a deal
node links its parties, so Jack Ma reaches Apple through ``Jack Ma -> Alibaba
<- deal -> Apple``. In :func:`degree`, :func:`shortest_path` and
:func:`ego_network` passing through a deal counts as one hop, as the relation it
stands for would.

The heavy algorithms (betweenness, communities) run in igraph when it is
installed and the graph has :data:`IGRAPH_MIN_EDGES` connections or more, or
when asked with ``backend="igraph"``; both backends compute the same
definitions (betweenness from the same sampled sources gives identical scores;
Louvain is randomised in both, so communities differ in detail).

The modules, each named for its job (arrows point to what a module imports)::

    projection  to_networkx, summary, example_graph     -> graph.store, graph.ns
    lookup      find_entity
    timeline    as_of, deals_over_time
    measures    simple_view, to_igraph, degree, pagerank,  -> lookup, projection
                betweenness, rank, communities
    paths       shortest_path, path_text, explain_path,    -> lookup, projection
                ego_network
    records     to_records                                  -> lookup

>>> G = example_graph()
>>> summary(G)["types"]
{'Person': 3, 'Organization': 5, 'Product': 1, 'Deal': 2}
>>> path_text(shortest_path(G, "Jack Ma", "tim cook"))
'Jack Ma -CEO of-> Alibaba Group -deal with-> Apple <-CEO of- Tim Cook'
"""

from graph.network.lookup import find_entity
from graph.network.measures import (
    BETWEENNESS_SOURCES,
    IGRAPH_MIN_EDGES,
    MEASURES,
    betweenness,
    communities,
    degree,
    pagerank,
    rank,
    simple_view,
    to_igraph,
)
from graph.network.paths import ego_network, explain_path, path_text, shortest_path
from graph.network.projection import ENTITY_TYPES, RELATION_LABELS, example_graph, summary, to_networkx
from graph.network.records import to_records
from graph.network.timeline import as_of, deals_over_time

__all__ = [
    "to_networkx",
    "summary",
    "example_graph",
    "RELATION_LABELS",
    "ENTITY_TYPES",
    "MEASURES",
    "IGRAPH_MIN_EDGES",
    "BETWEENNESS_SOURCES",
    "find_entity",
    "as_of",
    "simple_view",
    "to_igraph",
    "degree",
    "pagerank",
    "betweenness",
    "rank",
    "communities",
    "shortest_path",
    "path_text",
    "explain_path",
    "ego_network",
    "to_records",
    "deals_over_time",
]
