"""Content negotiation: which result or RDF format an ``Accept`` header or ``format=`` asks for, and RDF bodies in and out.

>>> _negotiate("text/csv, application/json;q=0.5", _RESULT_TYPES, "json")
'csv'
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.query import Result, to_turtle
from graph.server.messages import _HTTPError

# (media type, format key) in order of preference; aliases map to the same key.
_RESULT_TYPES = [
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
]
_GRAPH_TYPES = [
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "ttl"),
    ("application/turtle", "ttl"),
    ("text/plain", "nt"),
    ("application/json", "jsonld"),
    ("application/xml", "rdfxml"),
]
_RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
_GRAPH_MEDIA = {
    "ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
_FORMAT_ALIASES = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "ttl": "ttl",
    "turtle": "ttl",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdfxml": "rdfxml",
    "rdf": "rdfxml",
}


_RDF_INPUT = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _rdf_body(result: Result, key: str) -> tuple[str, bytes]:
    """The media type and bytes of a graph answer in the format ``key`` (``ttl nt jsonld rdfxml``)."""
    media, rdf_format = _GRAPH_MEDIA[key]
    if rdf_format == ox.RdfFormat.TURTLE:
        return media, to_turtle(result).encode("utf-8")
    return media, ox.serialize(result.triples, format=rdf_format)


def _multipart(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """The (media type, bytes) of each part of a ``multipart/form-data`` body.

    >>> body = b'--b\\r\\nContent-Type: text/turtle\\r\\n\\r\\n<x:a> <x:b> <x:c> .\\r\\n--b--\\r\\n'
    >>> _multipart("multipart/form-data; boundary=b", body)
    [('text/turtle', b'<x:a> <x:b> <x:c> .')]
    """
    import email.parser
    import email.policy

    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise _HTTPError(400, "the multipart/form-data body has no parts (is the boundary right?)")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True) or b""
        parts.append((part.get_content_type(), payload))
    return parts


def _requested_format(params) -> str | None:
    if "format" not in params:
        return None
    value = params["format"][0].strip().lower()
    if value not in _FORMAT_ALIASES:
        raise _HTTPError(400, f"unknown format {value!r}; expected one of {', '.join(sorted(set(_FORMAT_ALIASES)))}")
    return _FORMAT_ALIASES[value]


def _negotiate(accept: str, offers, default: str) -> str:
    """The offer the Accept header likes best (ties: the server's order); ``default`` when none fits."""
    ranges = []
    for part in accept.split(","):
        media, *options = [x.strip() for x in part.split(";")]
        if not media:
            continue
        q = 1.0
        for opt in options:
            name, _, value = opt.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    best, best_score = default, 0.0
    for media, key in offers:
        main = media.split("/")[0]
        for candidate, bonus in ((media, 2e-6), (f"{main}/*", 1e-6), ("*/*", 0.0)):
            qs = [rq for r, rq in ranges if r == candidate]
            if qs:  # the most specific range that matches decides
                if qs[0] > 0 and qs[0] + bonus > best_score:
                    best, best_score = key, qs[0] + bonus
                break
    return best
