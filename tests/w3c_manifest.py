"""Read the W3C's HTTP protocol test manifests and run their requests against a server.

The SPARQL 1.1 Protocol and Graph Store HTTP Protocol manifests
(``../shared/data/w3c-sparql``) describe each test as a connection of
``ht:Request`` s, each with a method, an ``ht:absolutePath`` (to be re-rooted
at the endpoint under test), headers, a body (``cnt:chars`` in a
``cnt:characterEncoding``) and an ``ht:resp`` of expectations:
``mf:expectedStatus`` (a code or a class, ``hts:StatusCode2xx``),
``mf:expectedBoolean``, ``mf:expectedFormat`` (``boolean``, ``tabular``,
``RDF``), response headers, a response body whose graph must be isomorphic to
the answer's, and ``mf:expectedLocation``, a variable bound to the answer's
``Location`` and substituted into the requests that follow. Query tests name
their data with ``ut:graphData [ ut:graph <file> ; rdfs:label "graph IRI" ]``.
Nothing is retyped here: :func:`load` reads those terms and :func:`run_case`
performs them.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

_BY_NAME = {s.phrase.replace(" ", "").replace("-", ""): s.value for s in HTTPStatus}
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass
class Expect:
    statuses: list[tuple[int, int]]
    boolean: bool | None = None
    format: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    location: str | None = None


@dataclass
class Req:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: str | None
    encoding: str
    expect: Expect


@dataclass
class Case:
    id: str
    name: str
    requires: set[str]
    graph_data: list[tuple[Path, str]]
    requests: list[Req]

    @property
    def updates(self) -> bool:
        """Does any request send an update (so the case needs a writable server)?"""
        for r in self.requests:
            media = dict(r.headers).get("content-type", "")
            if (
                media.startswith("application/sparql-update")
                or (r.body or "").startswith("update=")
                or "update=" in r.path
            ):
                return True
        return False


def _status_range(term) -> tuple[int, int]:
    name = str(term).rsplit("#", 1)[1]
    if name.startswith("StatusCode") and name.endswith("xx"):
        first = int(name[len("StatusCode")]) * 100
        return first, first + 99
    code = _BY_NAME[name]
    return code, code


def _headers(g: Graph, node) -> list[tuple[str, str]]:
    lst = g.value(node, HT.headers)
    if lst is None:
        return []
    return [(str(g.value(h, HT.fieldName)).lower(), str(g.value(h, HT.fieldValue))) for h in Collection(g, lst)]


def _request(g: Graph, node) -> Req:
    body_node = g.value(node, HT.body)
    body = str(g.value(body_node, CNT.chars)) if body_node is not None else None
    encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8") if body_node is not None else "UTF-8"
    resp = g.value(node, HT.resp)
    resp_body = g.value(resp, HT.body)
    boolean = g.value(resp, MF.expectedBoolean)
    expect = Expect(
        statuses=sorted(_status_range(s) for s in g.objects(resp, MF.expectedStatus)),
        boolean=None if boolean is None else bool(boolean.toPython()),
        format=str(g.value(resp, MF.expectedFormat)) if g.value(resp, MF.expectedFormat) is not None else None,
        headers=_headers(g, resp),
        body=str(g.value(resp_body, CNT.chars)) if resp_body is not None else None,
        location=str(g.value(resp, MF.expectedLocation)) if g.value(resp, MF.expectedLocation) is not None else None,
    )
    return Req(
        str(g.value(node, HT.methodName)),
        str(g.value(node, HT.absolutePath)),
        _headers(g, node),
        body,
        encoding,
        expect,
    )


def load(manifest: Path) -> list[Case]:
    """The tests of ``manifest`` (and of the manifests it includes), in its order."""
    g = Graph().parse(manifest, format="turtle")
    top = next(g.subjects(RDF.type, MF.Manifest))
    cases: list[Case] = []
    include = g.value(top, MF.include)
    if include is not None:
        for m in Collection(g, include):
            cases += load(manifest.parent / str(m).rsplit("/", 1)[-1])
    entries = g.value(top, MF.entries)
    for test in Collection(g, entries) if entries is not None else []:
        action = g.value(test, MF.action)
        data = [
            (manifest.parent / str(g.value(d, UT.graph)).rsplit("/", 1)[-1], str(g.value(d, RDFS.label)))
            for d in g.objects(test, UT.graphData)
        ]
        requests = [_request(g, r) for r in Collection(g, g.value(action, HT.requests))]
        cases.append(
            Case(
                str(test).rsplit("#", 1)[1],
                str(g.value(test, MF.name)),
                {str(r).rsplit("#", 1)[1] for r in g.objects(test, MF.requires)},
                data,
                requests,
            )
        )
    return cases


def _media(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def check(req: Req, status: int, headers: dict[str, str], body: bytes) -> list[str]:
    """What is wrong with an answer to ``req`` (nothing: an empty list)."""
    problems = []
    if not any(lo <= status <= hi for lo, hi in req.expect.statuses):
        problems.append(f"status {status}, expected {req.expect.statuses}: {body[:300]!r}")
        return problems
    media = _media(headers.get("content-type", ""))
    if req.expect.format in ("boolean", "tabular"):
        if media not in RESULT_TYPES:
            return problems + [f"content type {media!r} is not a SPARQL results format"]
        if req.expect.format == "boolean" and media in ("text/csv", "text/tab-separated-values"):
            return problems + [f"a boolean answer in {media}"]
        parsed = ox.parse_query_results(body, format=RESULT_TYPES[media])
        is_boolean = isinstance(parsed, ox.QueryBoolean)
        if is_boolean != (req.expect.format == "boolean"):
            problems.append(f"expected a {req.expect.format} answer, got {type(parsed).__name__}")
        elif req.expect.boolean is not None and bool(parsed) != req.expect.boolean:
            problems.append(f"expected {req.expect.boolean}, got {bool(parsed)}")
    elif req.expect.format == "RDF":
        if media not in RDF_TYPES:
            return problems + [f"content type {media!r} is not an RDF format"]
        list(ox.parse(body, format=RDF_TYPES[media]))
    for name, value in req.expect.headers:
        got = headers.get(name, "")
        if " ".join(got.lower().split()) != " ".join(value.lower().split()):
            problems.append(f"header {name}: {got!r}, expected {value!r}")
    if req.expect.body is not None and req.method != "HEAD":
        fmt = {"text/turtle": "turtle", "application/n-triples": "nt"}.get(media, "turtle")
        expected = Graph().parse(data=req.expect.body, format="turtle")
        got = Graph().parse(data=body.decode("utf-8"), format=fmt)
        if not isomorphic(expected, got):
            problems.append(f"the graph answered is not the one expected:\n{body.decode('utf-8', 'replace')}")
    return problems


def run_case(case: Case, port: int, reroot, extra_headers: dict[str, str] | None = None) -> list[str]:
    """Send the requests of ``case`` to 127.0.0.1:``port`` in order; the problems found, by request.

    ``reroot(path)`` maps the manifest's ``ht:absolutePath`` to this server's.
    """
    variables: dict[str, str] = {}
    problems: list[str] = []
    for i, req in enumerate(case.requests, 1):
        path, body = req.path, req.body
        for var, value in variables.items():
            path = path.replace(var, value)
            body = body.replace(var, value) if body is not None else None
        headers = {name: value for name, value in req.headers}
        headers.update(extra_headers or {})
        data = body.encode(req.encoding) if body is not None else None
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(req.method, reroot(path), body=data, headers=headers)
            resp = conn.getresponse()
            answer = resp.read()
            got_headers = {k.lower(): v for k, v in resp.getheaders()}
            status = resp.status
        finally:
            conn.close()
        found = check(req, status, got_headers, answer)
        if req.expect.location is not None:
            if "location" not in got_headers:
                found.append("no Location header")
            else:
                variables[req.expect.location] = got_headers["location"]
        problems += [f"request {i} ({req.method} {path[:80]}): {p}" for p in found]
    return problems


def summary(results: dict[str, list[str]]) -> str:
    passed = sum(1 for p in results.values() if not p)
    return json.dumps({"passed": passed, "of": len(results), "failed": sorted(k for k, v in results.items() if v)})


__all__ = ["load", "run_case", "check", "Case", "Req", "Expect", "summary", "URIRef"]
