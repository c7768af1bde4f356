"""Export the whole graph: Turtle, TriG, N-Quads, N-Triples, JSON-LD.

Quad formats (TriG, N-Quads, JSON-LD) keep one named graph per article; Turtle
and N-Triples merge them. JSON-LD is compacted with ``ontology/context.jsonld``
so that keys read as plain words (``label``, ``ceoOf``, ``evidence``).

>>> from graph.store import open_store
>>> export_store(open_store("memory"), "nq")
''
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from graph.store import Store

__all__ = ["FORMATS", "export_store", "CONTEXT_FILE"]

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
}
CONTEXT_FILE = Path(__file__).resolve().parent.parent / "ontology" / "context.jsonld"


def export_store(store: Store, fmt: str) -> str:
    """The store serialised in ``fmt`` (one of ttl, trig, nq, nt, jsonld)."""
    if fmt == "jsonld":
        return _jsonld(store)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join([*FORMATS, 'jsonld'])}")
    return store.dump(FORMATS[fmt]).decode("utf-8")


def _jsonld(store: Store) -> str:
    ds = store.rdflib_dataset()
    context = None
    if CONTEXT_FILE.exists():
        context = json.loads(CONTEXT_FILE.read_text("utf-8")).get("@context")
    return ds.serialize(format="json-ld", context=context, indent=1)
