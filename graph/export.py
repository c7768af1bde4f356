"""Export the whole graph: Turtle, TriG, N-Quads, N-Triples, JSON-LD; GraphML, GEXF, CSV.

The network formats (GraphML, GEXF, CSV node and edge lists) are written from
the projected graph (:func:`graph.network.to_networkx`) by
:mod:`graph.export_network`; :func:`export_network` runs both steps.

Quad formats (TriG, N-Quads, JSON-LD) keep one named graph per article; Turtle
and N-Triples merge them.

JSON-LD is written for people who read JSON, compacted with the context
``ontology/context.jsonld`` (inlined, so the file stands alone): keys are plain
words (``label``, ``ceoOf``, ``evidence``, ``statedIn``), types are words
(``"type": "Acquisition"``), links are full IRIs (``"ceoOf":
["https://w3id.org/dealgraph/id/org/alibaba"]``), a fact's predicate is a word
(``"predicate": "ceoOf"``), dates, decimals and strings are plain JSON strings
and counts are numbers. Only a value whose datatype differs from what the
context says (a ``date`` known only to the month, ``"2014-07"`` as an
``xsd:gYearMonth``) is written as a value object, ``{"@value": "2014-07",
"@type": "xsd:gYearMonth"}``. The document is ``{"@context": ..., "graph":
[{"id": <article graph>, "graph": [nodes]}, ...]}``; inside a graph the nodes come
in a fixed order (the graph's bundle, the article, people, organizations,
products, deals, facts), each with ``id``, ``type`` and ``label`` first (a fact's
``subject``, ``predicate``, ``object`` next). Any JSON-LD
1.1 processor reads it back to the same quads.

>>> from graph.store import open_store
>>> export_store(open_store("memory"), "nq")
''
>>> s = open_store("memory")
>>> s.load_nquads(b'<https://w3id.org/dealgraph/id/person/jack-ma> '
...     b'<https://w3id.org/dealgraph/ontology#ceoOf> <https://w3id.org/dealgraph/id/org/alibaba> '
...     b'<https://w3id.org/dealgraph/id/graph/a1> .\\n')
>>> import json
>>> doc = json.loads(export_store(s, "jsonld"))
>>> doc["graph"][0]["graph"][0]
{'id': 'https://w3id.org/dealgraph/id/person/jack-ma', 'ceoOf': ['https://w3id.org/dealgraph/id/org/alibaba']}
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.ns import OUTPUT_PREFIXES
from graph.store import Store

__all__ = ["FORMATS", "export_store", "export_network", "to_jsonld", "CONTEXT_FILE"]

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
}
CONTEXT_FILE = Path(__file__).resolve().parent.parent / "ontology" / "context.jsonld"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DG = "https://w3id.org/dealgraph/ontology#"
# Nodes of a graph by their type, in reading order; anything else comes last.
_NODE_ORDER = [
    "http://www.w3.org/ns/prov#Bundle",
    _DG + "Article",
    _DG + "Person",
    _DG + "Organization",
    _DG + "Company",
    _DG + "Product",
    _DG + "Deal",
    _DG + "Membership",
    _DG + "Fact",
]


def export_store(store: Store, fmt: str) -> str:
    """The store serialised in ``fmt`` (one of ttl, trig, nq, nt, jsonld)."""
    if fmt == "jsonld":
        return json.dumps(to_jsonld(store.quads()), ensure_ascii=False, indent=1) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join([*FORMATS, 'jsonld'])}")
    if fmt in ("ttl", "nt"):  # one graph: the corrected one (quad formats keep the graphs and the curation)
        from graph.curation import curated_triples

        triples = curated_triples(store)
        if triples is not None:
            return (
                ox.serialize(triples, format=FORMATS[fmt], prefixes=OUTPUT_PREFIXES).decode("utf-8")
                if fmt == "ttl"
                else ox.serialize(triples, format=FORMATS[fmt]).decode("utf-8")
            )
    return store.dump(FORMATS[fmt]).decode("utf-8")


def export_network(store: Store, fmt: str, output: str | Path) -> list[Path]:
    """Write the store's graph as GraphML or GEXF (to the file ``output``) or CSV
    (``nodes.csv`` and ``edges.csv`` in the folder ``output``); returns the files written.

    >>> import tempfile
    >>> from graph.store import open_store
    >>> [p.name for p in export_network(open_store("memory"), "csv", tempfile.mkdtemp())]
    ['nodes.csv', 'edges.csv']
    """
    from graph import export_network as netx
    from graph.network import to_networkx

    if fmt not in netx.NETWORK_FORMATS:
        raise ValueError(f"unknown network format {fmt!r}; expected one of {', '.join(netx.NETWORK_FORMATS)}")
    G = to_networkx(store)
    if fmt == "csv":
        return list(netx.write_csv(G, output))
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    return [(netx.write_graphml if fmt == "graphml" else netx.write_gexf)(G, output)]


# --- JSON-LD -------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    coerce: str | None  # "@id", "@vocab", a datatype IRI, or None
    is_set: bool


class _Context:
    """The parts of a JSON-LD context needed to compact dealgraph data by hand."""

    def __init__(self, context: dict):
        self.prefixes: dict[str, str] = {}
        for name, value in context.items():
            if isinstance(value, str) and not name.startswith("@") and value.endswith(("/", "#")):
                self.prefixes[name] = value
        self.keywords = {v: k for k, v in context.items() if isinstance(v, str) and v.startswith("@")}
        self.terms: dict[str, list[_Term]] = defaultdict(list)
        for name, value in context.items():
            if name.startswith("@") or name in self.prefixes or (isinstance(value, str) and value.startswith("@")):
                continue
            if isinstance(value, str):
                self.terms[self.expand(value)].append(_Term(name, self.expand(value), None, False))
            elif isinstance(value, dict) and "@id" in value:
                coerce = value.get("@type")
                if coerce is not None and not coerce.startswith("@"):
                    coerce = self.expand(coerce)
                self.terms[self.expand(value["@id"])].append(
                    _Term(name, self.expand(value["@id"]), coerce, value.get("@container") == "@set")
                )

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str:
        """A compact IRI (``prov:Entity``) when a prefix fits, else the IRI."""
        best = None
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(self.prefixes[best])):
                best = prefix
        return f"{best}:{iri[len(self.prefixes[best]) :]}" if best else iri

    def vocab(self, iri: str) -> str:
        """A word for a class or property IRI used as a value (``Person``, ``ceoOf``)."""
        for t in self.terms.get(iri, []):
            if t.name:
                return t.name
        return self.compact_iri(iri)

    def key(self, word: str) -> str:
        return self.keywords.get(word, word)


def to_jsonld(quads: Iterable[ox.Quad], context: dict | None = None) -> dict:
    """Compact quads to a JSON-LD document (a dict) with the dealgraph context.

    ``context`` is the value of ``"@context"``; default: that of
    ``ontology/context.jsonld``. See the module docstring for the shape.
    """
    if context is None:
        context = json.loads(CONTEXT_FILE.read_text("utf-8"))["@context"]
    ctx = _Context(context)
    graphs: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for q in quads:
        g = "" if isinstance(q.graph_name, ox.DefaultGraph) else _node_id(q.graph_name)
        graphs[g][_node_id(q.subject)][q.predicate.value].append(q.object)

    def nodes(subjects: dict) -> list[dict]:
        out = [_node(ctx, s, props) for s, props in subjects.items()]
        out.sort(key=lambda n: (_rank(subjects[n[ctx.key("@id")]]), n[ctx.key("@id")]))
        return out

    top = nodes(graphs.pop("", {}))
    for name in sorted(graphs):
        top.append({ctx.key("@id"): name, ctx.key("@graph"): nodes(graphs[name])})
    return {"@context": context, ctx.key("@graph"): top}


def _node_id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _rank(props: dict) -> int:
    types = {t.value for t in props.get(_RDF_TYPE, [])}
    return next((i for i, t in enumerate(_NODE_ORDER) if t in types), len(_NODE_ORDER))


def _node(ctx: _Context, subject: str, props: dict) -> dict:
    node: dict = {ctx.key("@id"): subject}
    types = props.get(_RDF_TYPE)
    if types:
        words = sorted(ctx.vocab(t.value) for t in types)
        node[ctx.key("@type")] = words[0] if len(words) == 1 else words
    rest: dict = {}
    for predicate, objects in props.items():
        if predicate == _RDF_TYPE:
            continue
        for obj in objects:
            key, value, is_set = _compact_value(ctx, predicate, obj)
            rest.setdefault(key, ([], is_set))[0].append(value)
    first = ["label", "subject", "predicate", "object"]
    for key in sorted(rest, key=lambda k: (first.index(k) if k in first else len(first), k)):
        values, is_set = rest[key]
        values.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        node[key] = values if is_set or len(values) > 1 else values[0]
    return node


def _compact_value(ctx: _Context, predicate: str, obj) -> tuple[str, object, bool]:
    """(key, JSON value, always a list?) for one object of ``predicate``."""
    terms = ctx.terms.get(predicate, [])
    if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
        ref = _node_id(obj)
        for t in terms:
            if t.coerce == "@id":
                return t.name, ref, t.is_set
            if t.coerce == "@vocab" and isinstance(obj, ox.NamedNode):
                return t.name, ctx.vocab(ref), t.is_set
        key = terms[0].name if terms else ctx.compact_iri(predicate)  # a node reference is never coerced
        return key, {ctx.key("@id"): ref}, bool(terms and terms[0].is_set)
    datatype = obj.datatype.value
    for t in terms:
        if obj.language is None and (t.coerce == datatype or (t.coerce is None and datatype == _XSD + "string")):
            return t.name, _native(obj.value, datatype), t.is_set
    # No term fits this literal: a value object under the term's word when the
    # property has one (explicit types win over the context's coercion).
    key = terms[0].name if terms else ctx.compact_iri(predicate)
    is_set = bool(terms and terms[0].is_set)
    if obj.language:
        return key, {"@value": obj.value, "@language": obj.language}, is_set
    if datatype == _XSD + "string":
        return key, obj.value, is_set
    if datatype in (_XSD + "integer", _XSD + "boolean") and not (terms and terms[0].coerce):
        return key, _native(obj.value, datatype), is_set
    return key, {"@value": obj.value, "@type": ctx.compact_iri(datatype)}, is_set


def _native(lexical: str, datatype: str):
    """Integers and booleans as JSON numbers and booleans (they read back the same); the rest as strings."""
    if datatype == _XSD + "integer" and lexical.lstrip("-").isdigit() and str(int(lexical)) == lexical:
        return int(lexical)  # only a canonical lexical form reads back unchanged
    if datatype == _XSD + "boolean" and lexical in ("true", "false"):
        return lexical == "true"
    return lexical
