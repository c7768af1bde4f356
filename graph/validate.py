"""Check dealgraph RDF against the SHACL shapes of the dealgraph ontology.

:func:`validate` takes what :mod:`graph.rdf` writes (an rdflib ``Dataset`` with
one named graph per article, or a single ``Graph``) and returns a
:class:`Report`. Not conforming is an answer, not an error: only unusable input,
such as a shapes file that does not parse, raises
:class:`graph.errors.ValidationError`.

The shapes (``ontology/shapes.ttl``) run on the union of all named graphs, with
the ontology (``ontology/dealgraph.ttl``) mixed in so that subclasses count (a
``dg:Company`` is a ``dg:Organization``, a ``dg:Acquisition`` a ``dg:Deal``).
One rule needs the graphs apart and is checked here, graph by graph: an entity
has exactly one ``rdfs:label`` in each named graph that types it
(``dgsh:OneLabelPerGraphShape``).

The ontology files are found in ``ontology/`` beside the ``graph`` package (a
source checkout or an editable install); failing that, in the package data
``graph/resources/ontology/`` (a wheel). See :func:`ontology_file`.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

import pyshacl
import pyshacl.errors
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.exceptions import ParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from graph import ns
from graph.errors import ValidationError

__all__ = ["Violation", "Report", "validate", "ontology_file", "INFERENCE_MODES"]

#: The ``inference`` values :func:`validate` accepts (``"none"`` is fastest).
INFERENCE_MODES = ("none", "rdfs", "owlrl", "both")

DGSH = Namespace("https://w3id.org/dealgraph/ontology/shapes#")
SH = Namespace("http://www.w3.org/ns/shacl#")

_ONTOLOGY_FILES = ("dealgraph.ttl", "shapes.ttl")
_RDF_TYPE = ns.RDF.type
_RDFS_LABEL = ns.RDFS.label
_SUBCLASS_OF = ns.RDFS.subClassOf
_LABEL_PROPERTIES = (_RDFS_LABEL, ns.SCHEMA.headline, ns.SCHEMA.name, ns.SKOS.prefLabel)
_ENTITY_CLASSES = (ns.DG.Person, ns.DG.Organization, ns.DG.Product)
_DEFAULT_GRAPH_IDS = {str(DATASET_DEFAULT_GRAPH_ID)}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One result of a validation: a node that breaks one rule.

    Attributes
    ----------
    focus : str
        IRI (or ``_:`` blank node id) of the node that breaks the rule.
    message : str
        What is wrong, in a sentence (the shape's ``sh:message``).
    severity : str
        ``"Violation"``, ``"Warning"`` or ``"Info"``.
    path : str or None
        IRI of the property concerned, when the rule is about one property.
    value : str or None
        The offending value in Turtle notation (``'"1.5"^^xsd:decimal'``), when
        there is one.
    shape : str or None
        IRI of the shape that holds the rule.
    label : str or None
        The focus node's name in the data (``rdfs:label``, ``schema:headline``,
        ``schema:name`` or ``skos:prefLabel``), if it has one.
    graphs : tuple of str
        Named graphs (one per article) where the focus node is a subject, when
        the data is a dataset.
    """

    focus: str
    message: str
    severity: str = "Violation"
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    label: str | None = None
    graphs: tuple[str, ...] = ()

    def text(self) -> str:
        """Format the violation on one line, IRIs shortened with the dealgraph prefixes."""
        parts = [f"{self.severity}:", _compact(self.focus)]
        if self.label:
            parts.append(f'"{self.label}"')
        if self.path:
            where = _compact(self.path)
            if self.value is not None:
                where += f" = {self.value}"
            parts.append(f"[{where}]")
        elif self.value is not None and self.value != _compact(self.focus):
            parts.append(f"[value {self.value}]")
        parts.append(self.message)
        if self.shape:
            parts.append(f"({_compact(self.shape)})")
        return " ".join(parts)


@dataclass
class Report:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    conforms : bool
        True when there is no result of severity ``"Violation"``.
    violations : list of Violation
        Every result (warnings and infos included), sorted by focus node.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def text(self) -> str:
        """Format the report: a summary line, then one line per violation."""
        if not self.violations:
            return "Conforms: no violations."
        counts: dict[str, int] = {}
        for v in self.violations:
            counts[v.severity] = counts.get(v.severity, 0) + 1
        summary = ", ".join(
            f"{n} {sev.lower()}{'' if n == 1 else 's'}"
            for sev, n in sorted(counts.items(), key=lambda kv: _SEVERITY_ORDER.get(kv[0], 9))
        )
        head = "Conforms" if self.conforms else "Does not conform"
        return "\n".join([f"{head}: {summary}."] + [v.text() for v in self.violations])

    def __str__(self) -> str:
        return self.text()


def ontology_file(name: str) -> Traversable:
    """Locate a file of the dealgraph ``ontology/`` directory.

    Looks first in ``ontology/`` next to the ``graph`` package (a source
    checkout or an editable install), then in the package data
    ``graph/resources/ontology/`` (where a wheel build would copy it).

    Parameters
    ----------
    name : str
        File name inside ``ontology/``, such as ``"shapes.ttl"``.

    Returns
    -------
    importlib.resources.abc.Traversable
        A ``pathlib.Path`` in a checkout; read it with ``read_bytes()``.

    Raises
    ------
    ValidationError
        If neither place has the file.

    Examples
    --------
    >>> ontology_file("shapes.ttl").name
    'shapes.ttl'
    """
    checkout = Path(__file__).resolve().parent.parent / "ontology"
    # Both files must be there: a stray site-packages/ontology/ of another
    # distribution must not be mistaken for ours.
    if all((checkout / f).is_file() for f in _ONTOLOGY_FILES) and (checkout / name).is_file():
        return checkout / name
    packaged = importlib.resources.files("graph").joinpath("resources", "ontology", name)
    if packaged.is_file():
        return packaged
    raise ValidationError(
        f"cannot find ontology file {name!r}: looked in {checkout} and in the package data graph/resources/ontology/"
    )


def validate(
    data: Graph,
    *,
    shapes: Graph | str | Path | None = None,
    ontology: Graph | str | Path | None = None,
    inference: str = "none",
) -> Report:
    """Check a dealgraph graph or dataset against the SHACL shapes.

    Parameters
    ----------
    data : rdflib.Graph or rdflib.Dataset
        The data. A ``Dataset`` (or ``ConjunctiveGraph``) is checked as the
        union of all its graphs, plus the one-label-per-graph rule in each
        named graph; a plain ``Graph`` counts as one graph. ``data`` is not
        modified.
    shapes : rdflib.Graph, str, pathlib.Path or None
        The SHACL shapes, as a graph or the path of a Turtle file. Default: the
        dealgraph shapes (``ontology/shapes.ttl``).
    ontology : rdflib.Graph, str, pathlib.Path or None
        Ontology mixed into (a copy of) the data before validating, so that
        ``rdfs:subClassOf`` counts for ``sh:class`` and class targets. Default:
        ``ontology/dealgraph.ttl``; pass an empty ``Graph()`` for none.
    inference : {"none", "rdfs", "owlrl", "both"}
        Inference pyshacl runs on the data (with the ontology) before
        validating. ``"rdfs"`` types the subjects and objects of properties by
        their domains and ranges, so it can hide a missing ``rdf:type``.

    Returns
    -------
    Report
        ``conforms`` and the list of violations; ``Report.text()`` prints them.

    Raises
    ------
    ValidationError
        If the shapes or ontology cannot be read or parsed, or pyshacl cannot
        load the shapes.
    TypeError
        If ``data`` is not an rdflib graph.
    ValueError
        If ``inference`` is not one of ``INFERENCE_MODES``.

    See Also
    --------
    ontology_file : where the default shapes and ontology are read from.

    Notes
    -----
    pyshacl, given a ``Dataset``, validates each named graph on its own; here
    the triples of all graphs are copied into one graph first, so that rules
    across articles (nothing is both a ``dg:Person`` and a ``dg:Organization``)
    are checked too.

    Examples
    --------
    A deal with a single party, stated in no article:

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix dg: <https://w3id.org/dealgraph/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <https://w3id.org/dealgraph/id/deal/0001> a dg:Deal ;
    ...     rdfs:label "Alibaba Group: partnership" ;
    ...     dg:party <https://w3id.org/dealgraph/id/org/alibaba> .
    ... <https://w3id.org/dealgraph/id/org/alibaba> a dg:Organization ;
    ...     rdfs:label "Alibaba Group" .
    ... ''')
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> [v.path.split("#")[1] for v in report.violations]
    ['party', 'statedIn']
    >>> print(report.text())  # doctest: +NORMALIZE_WHITESPACE
    Does not conform: 2 violations.
    Violation: id:deal/0001 "Alibaba Group: partnership" [dg:party]
        A deal needs at least two parties (dg:party). (dgsh:DealShape)
    Violation: id:deal/0001 "Alibaba Group: partnership" [dg:statedIn]
        A deal needs the article that describes it (dg:statedIn). (dgsh:DealShape)
    """
    if not isinstance(data, Graph):
        raise TypeError(f"data must be an rdflib Graph or Dataset, not {type(data).__name__}")
    if inference not in INFERENCE_MODES:
        raise ValueError(f"unknown inference {inference!r}; expected one of {', '.join(INFERENCE_MODES)}")
    shapes_graph = _load(shapes, "shapes.ttl")
    ontology_graph = _load(ontology, "dealgraph.ttl")

    union = _union(data)
    for triple in ontology_graph:
        union.add(triple)

    try:
        _, results, _ = pyshacl.validate(
            union,
            shacl_graph=shapes_graph,
            inference=None if inference == "none" else inference,
            inplace=True,  # union is our own copy
            advanced=True,  # SHACL-AF: the SPARQL targets of shapes.ttl
            allow_warnings=True,
            allow_infos=True,
        )
    except pyshacl.errors.ReportableRuntimeError as e:
        raise ValidationError(f"pyshacl could not use the shapes: {e}") from e
    if isinstance(results, Exception):  # pyshacl returns some failures instead of raising
        raise ValidationError(f"pyshacl could not use the shapes: {results}") from results

    violations = _read_results(results, shapes_graph, union)
    violations += _label_per_graph(data, union, shapes_graph, ontology_graph)
    if isinstance(data, ConjunctiveGraph):
        violations = [_with_graphs(v, data) for v in violations]
    violations.sort(key=_sort_key)
    conforms = not any(v.severity == "Violation" for v in violations)
    return Report(conforms=conforms, violations=violations)


# --- loading ---------------------------------------------------------------


def _load(source: Graph | str | Path | None, default_name: str) -> Graph:
    if isinstance(source, Graph):
        return source
    if source is None:
        resource = ontology_file(default_name)
        if isinstance(resource, Path):
            return _parse_file(str(resource), resource.stat().st_mtime_ns)
        return _parse_bytes(resource.read_bytes(), default_name)
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            mtime = path.stat().st_mtime_ns
        except OSError as e:
            raise ValidationError(f"cannot read {path}: {e.strerror or e}") from e
        return _parse_file(str(path), mtime)
    raise TypeError(f"shapes and ontology must be an rdflib Graph or a file path, not {type(source).__name__}")


@functools.lru_cache(maxsize=16)
def _parse_file(path: str, mtime_ns: int) -> Graph:
    # Cached by path and modification time; callers never modify the result.
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ValidationError(f"cannot read {path}: {e.strerror or e}") from e
    return _parse_bytes(data, path)


def _parse_bytes(data: bytes, name: str) -> Graph:
    try:
        return Graph().parse(data=data, format="turtle")
    except (SyntaxError, ParserError, ValueError) as e:
        raise ValidationError(f"cannot parse {name} as Turtle: {e}") from e


def _union(data: Graph) -> Graph:
    union = Graph()
    for prefix, namespace in ns.PREFIXES.items():
        union.bind(prefix, namespace)
    if isinstance(data, ConjunctiveGraph):  # Dataset is one too
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    return union


# --- reading pyshacl's results ---------------------------------------------


def _read_results(results: Graph, shapes: Graph, data: Graph) -> list[Violation]:
    out = []
    for result in set(results.subjects(_RDF_TYPE, SH.ValidationResult)):
        focus = results.value(result, SH.focusNode)
        if focus is None:
            continue
        messages = sorted(results.objects(result, SH.resultMessage), key=_english_first)
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = _owning_shape(results.value(result, SH.sourceShape), shapes)
        out.append(
            Violation(
                focus=_node_id(focus),
                message=str(messages[0]) if messages else "Does not conform to the shape.",
                severity=_local(severity) if severity is not None else "Violation",
                path=_node_id(path) if isinstance(path, URIRef) else None,
                value=_term_text(value) if value is not None else None,
                shape=str(shape) if isinstance(shape, URIRef) else None,
                label=_label(data, focus),
            )
        )
    return out


def _owning_shape(shape: Node | None, shapes: Graph) -> Node | None:
    """Name the node shape a blank property shape belongs to."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(SH.property, shape), None)
        if parent is None:
            break
        shape = parent
    return shape


def _english_first(message: Node) -> tuple[int, str]:
    lang = getattr(message, "language", None)
    return (0 if lang in (None, "en") else 1, str(message))


# --- the per-graph label rule -----------------------------------------------


def _label_per_graph(data: Graph, union: Graph, shapes: Graph, ontology: Graph) -> list[Violation]:
    shape = DGSH.OneLabelPerGraphShape
    too_many = _shape_message(shapes, shape) or (
        "An entity has exactly one name (rdfs:label) in each article graph that mentions it."
    )
    classes = _subclasses(ontology, _ENTITY_CLASSES)
    if isinstance(data, Dataset):
        graphs = list(data.graphs())
    elif isinstance(data, ConjunctiveGraph):
        graphs = list(data.contexts())
    else:
        graphs = [data]
    out = []
    for g in graphs:
        entities = {s for c in classes for s in g.subjects(_RDF_TYPE, c)}
        for entity in entities:
            labels = sorted(str(x) for x in g.objects(entity, _RDFS_LABEL))
            if len(labels) == 1:
                continue
            if not labels:
                if union.value(entity, _RDFS_LABEL) is None:
                    continue  # already reported by dgsh:EntityLabelShape
                message = (
                    "Has no name (rdfs:label) in this graph, although other graphs name it: "
                    "each article graph repeats the names of the entities it mentions."
                )
            else:
                shown = ", ".join(f'"{x}"' for x in labels)
                message = f"{too_many} Found {len(labels)}: {shown}."
            graph_id = _graph_name(g)
            out.append(
                Violation(
                    focus=_node_id(entity),
                    message=message,
                    path=str(_RDFS_LABEL),
                    shape=str(shape),
                    label=_label(union, entity),
                    graphs=graph_id,
                )
            )
    return out


def _graph_name(g: Graph) -> tuple[str, ...]:
    name = g.identifier
    if isinstance(name, URIRef) and str(name) not in _DEFAULT_GRAPH_IDS:
        return (str(name),)
    return ()


def _shape_message(shapes: Graph, shape: URIRef) -> str | None:
    for prop in shapes.objects(shape, SH.property):
        messages = sorted(shapes.objects(prop, SH.message), key=_english_first)
        if messages:
            return str(messages[0])
    return None


def _subclasses(ontology: Graph, roots: tuple[URIRef, ...]) -> set[URIRef]:
    found = set(roots)
    todo = list(roots)
    while todo:
        for sub in ontology.subjects(_SUBCLASS_OF, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _with_graphs(v: Violation, data: ConjunctiveGraph) -> Violation:
    if v.graphs or v.focus.startswith("_:"):
        return v
    focus = URIRef(v.focus)
    names = set()
    for _, _, _, g in data.quads((focus, None, None, None)):
        name = str(getattr(g, "identifier", g))
        if name not in _DEFAULT_GRAPH_IDS:
            names.add(name)
    if not names:
        return v
    return Violation(**{**v.__dict__, "graphs": tuple(sorted(names))})


# --- formatting -------------------------------------------------------------


_NAMESPACES = NamespaceManager(Graph(), bind_namespaces="none")
for _prefix, _namespace in {**ns.PREFIXES, "dgsh": str(DGSH), "sh": str(SH)}.items():
    _NAMESPACES.bind(_prefix, _namespace, override=True, replace=True)
# Longest namespace first, so id: does not shadow a longer one.
_COMPACT = sorted(
    ((str(ns), prefix) for prefix, ns in _NAMESPACES.namespaces()),
    key=lambda item: -len(item[0]),
)


def _compact(iri: str) -> str:
    for namespace, prefix in _COMPACT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri if iri.startswith("_:") else f"<{iri}>"


def _node_id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _term_text(term: Node) -> str:
    if isinstance(term, Literal):
        return term.n3(_NAMESPACES)
    if isinstance(term, URIRef):
        return _compact(str(term))
    return _node_id(term)


def _label(graph: Graph, node: Node) -> str | None:
    for prop in _LABEL_PROPERTIES:
        values = sorted(str(v) for v in graph.objects(node, prop) if isinstance(v, Literal))
        if values:
            return values[0]
    return None


def _local(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _sort_key(v: Violation) -> tuple:
    return (v.focus, _SEVERITY_ORDER.get(v.severity, 9), v.path or "", v.message, v.value or "")
