"""The W3C SPARQL 1.1 Protocol tests, read from their manifest, against a real ``dealgraph serve``.

``../shared/data/w3c-sparql/protocol/manifest.ttl`` holds 34 tests; each is
run as the manifest describes it (see ``tests/w3c_manifest.py``): the query
tests against a read-only server whose store holds the tests' data graphs,
the update tests against a server started with ``--allow-update`` and a token
(sent with every request of those tests). The manifest's ``/sparql/`` paths
are re-rooted at this server's ``/sparql``.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests.conftest import SHARED
from tests.w3c_manifest import load, run_case

MANIFEST = SHARED / "data" / "w3c-sparql" / "protocol" / "manifest.ttl" if SHARED else None
CASES = load(MANIFEST) if MANIFEST is not None and MANIFEST.exists() else []
TOKEN = "w3c-t0ken"

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(not CASES, reason="../shared/data/w3c-sparql/protocol is not available"),
]


def reroot(path: str) -> str:
    assert path.startswith("/sparql/"), path
    return "/sparql" + path[len("/sparql/") :]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    from graph.store import open_store
    from tests.oxigraph_server import DealgraphServer

    data = {(f, label) for case in CASES for f, label in case.graph_data}
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(label))
        for f, label in sorted(data)
        for t in ox.parse(path=str(f), format=ox.RdfFormat.N_TRIPLES)
    ]
    read_dir = tmp_path_factory.mktemp("w3c") / "read"
    with open_store(read_dir) as st:
        st.load_nquads(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    write_dir = tmp_path_factory.mktemp("w3c") / "write"
    open_store(write_dir).close()
    with DealgraphServer(read_dir) as read, DealgraphServer(write_dir, "--allow-update", "--token", TOKEN) as write:
        yield read, write
        assert read.alive() and write.alive()


def test_the_manifest_has_its_34_tests():
    assert len(CASES) == 34 and len({c.id for c in CASES}) == 34


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_protocol(case, servers):
    read, write = servers
    if case.updates:
        problems = run_case(case, write.port, reroot, {"Authorization": f"Bearer {TOKEN}"})
    else:
        problems = run_case(case, read.port, reroot)
    assert not problems, f"{case.id} ({case.name}):\n" + "\n".join(problems)
