"""Start Debian's Virtuoso 7 (``virtuoso-t``) on loopback for the tests, in a temporary folder.

``VirtuosoServer`` writes a small ``virtuoso.ini`` (SQL and HTTP ports on
127.0.0.1 only, database files in the folder), starts ``virtuoso-t -f`` and
waits until ``/sparql`` answers. Two endpoints: ``/sparql`` (anonymous; the
tests grant it SPARQL_UPDATE through ``isql-vt``, as a site would for a private
network) and ``/sparql-auth`` (HTTP Digest, user ``dba``). ``make test``
installs the package when it is missing (``apt-get install virtuoso-opensource-7-bin``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.oxigraph_server import _Process, free_port

INI = """[Database]
DatabaseFile = {d}/db.db
ErrorLogFile = {d}/db.log
LockFile = {d}/db.lck
TransactionFile = {d}/db.trx
xa_persistent_file = {d}/db.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/temp.db
TransactionFile = {d}/temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {d}
ServerThreads = 8

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
"""


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


class VirtuosoServer(_Process):
    """``virtuoso-t -f -c TMP/virtuoso.ini`` on free 127.0.0.1 ports."""

    ready_path = "/sparql?query=ASK%7B%7D"

    def __init__(self, buffers: int = 85_000):
        super().__init__()
        self.sql_port = free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="dealgraph-virtuoso-")
        self.dir = Path(self._dir.name)
        (self.dir / "virtuoso.ini").write_text(
            INI.format(d=self.dir, sql=self.sql_port, http=self.port, buffers=buffers, dirty=buffers * 3 // 4)
        )

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def auth_url(self) -> str:
        return self.base + "/sparql-auth"

    def command(self) -> list[str]:
        return [virtuoso_binary(), "-f", "-c", str(self.dir / "virtuoso.ini")]

    def isql(self, statement: str) -> str:
        """Run one SQL statement as ``dba`` through ``isql-vt``; its output."""
        out = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
            raise RuntimeError(f"isql-vt failed: {out.stdout}{out.stderr}")
        return out.stdout

    def start(self, timeout: float = 60.0):
        super().start(timeout)
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL"')
        return self

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self._dir.cleanup()
