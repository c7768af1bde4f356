"""Load an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) into the store as its own named graph.

The whole file is parsed before the store is touched, so a file with a syntax
error changes nothing; the error names the file, line and column. Every triple
of the file (whatever graph a TriG, N-Quads or JSON-LD file put it in) goes into
one named graph, by default ``<https://w3id.org/dealgraph/id/graph/import/NAME>``
where NAME comes from the file name; loading the same file again replaces that
graph, never adds twice. The default graph (the union the queries read) then
has its triples too.

>>> import tempfile, pathlib
>>> from graph.store import open_store
>>> f = pathlib.Path(tempfile.mkdtemp()) / "partners.ttl"
>>> _ = f.write_text('<https://example.org/a> <https://schema.org/name> "A" .')
>>> s = open_store("memory")
>>> import_rdf(s, f)
('https://w3id.org/dealgraph/id/graph/import/partners', 1)
>>> s.query('ASK { ?x <https://schema.org/name> "A" }')
<QueryBoolean true>
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.errors import DealGraphError, SourceError
from graph.ns import ID
from graph.sources.common import slugify

__all__ = ["import_rdf", "IMPORT_FORMATS", "import_graph_iri"]

#: file suffix -> pyoxigraph format
IMPORT_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_NAMES = {
    "ttl": ".ttl",
    "turtle": ".ttl",
    "trig": ".trig",
    "nt": ".nt",
    "nq": ".nq",
    "jsonld": ".jsonld",
    "json-ld": ".jsonld",
    "rdfxml": ".rdf",
    "xml": ".rdf",
}


def import_graph_iri(path: str | Path) -> str:
    """The named graph a file is loaded into by default.

    >>> import_graph_iri("shared/Curated Partners.trig")
    'https://w3id.org/dealgraph/id/graph/import/curated-partners'
    """
    return f"{ID}graph/import/{slugify(Path(path).name.split('.')[0])}"


def _format(path: Path, fmt: str | None) -> ox.RdfFormat:
    if fmt is not None:
        if fmt.lower() not in _NAMES:
            raise DealGraphError(f"unknown RDF format {fmt!r}; expected one of {', '.join(sorted(_NAMES))}")
        return IMPORT_FORMATS[_NAMES[fmt.lower()]]
    suffix = path.suffix.lower()
    if suffix not in IMPORT_FORMATS:
        raise SourceError(
            f"cannot tell the RDF format from the suffix {suffix or '(none)'!r}; name it with --format "
            f"({', '.join(sorted(set(_NAMES) - {'turtle', 'json-ld', 'xml'}))})",
            str(path),
        )
    return IMPORT_FORMATS[suffix]


def import_rdf(store, path: str | Path, *, graph: str | None = None, fmt: str | None = None) -> tuple[str, int]:
    """Load the RDF file ``path`` into ``store`` as the named graph ``graph`` (default
    :func:`import_graph_iri`), replacing what that graph held; returns (graph IRI, triples).

    Raises :class:`~graph.errors.SourceError` (naming the file, and the line and
    column of a syntax error) before anything is written.
    """
    from rdflib import Graph, URIRef

    path = Path(path)
    rdf_format = _format(path, fmt)
    iri = graph or import_graph_iri(path)
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise DealGraphError(f"not an absolute IRI for the graph: {iri!r}") from None
    try:
        triples = {q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(path=str(path), format=rdf_format)}
    except SyntaxError as e:
        raise SourceError(f"not valid {rdf_format.name}: {e}", str(path)) from None
    except (OSError, ValueError) as e:
        raise SourceError(f"cannot read ({getattr(e, 'strerror', None) or e})", str(path)) from None
    if not triples:
        raise SourceError(f"no triples in this {rdf_format.name} file", str(path))
    data = Graph(identifier=URIRef(iri))
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    store.replace_graph(data)
    return iri, len(triples)
