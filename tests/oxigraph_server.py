"""Start real servers for the tests on loopback, and stop them by PID.

``OxigraphServer`` runs ``oxigraph serve`` (from the ``oxigraph`` package in the
venv) on a free 127.0.0.1 port with a temporary store; ``DealgraphServer``
runs ``dealgraph serve``. Both are context managers; ``stop()`` sends SIGTERM
to the process it started (then SIGKILL if it does not go), never to a name.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    candidate = BIN / "oxigraph"
    if candidate.exists():
        return str(candidate)
    return shutil.which("oxigraph")


class _Process:
    """A server subprocess on 127.0.0.1:``port``, waited for and stopped by PID."""

    ready_path = "/"

    def __init__(self):
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def start(self, timeout: float = 30.0):
        self.proc = subprocess.Popen(self.command(), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.command()[0]} exited with {self.proc.returncode}: {self.output()}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2):
                    return self
            except urllib.error.HTTPError:
                return self  # it answers: up
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.command()[0]} did not answer on {self.base} within {timeout}s: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-3000:]

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.log.close()


class OxigraphServer(_Process):
    """``oxigraph serve --location TMP --bind 127.0.0.1:PORT [--union-default-graph]``."""

    ready_path = "/query?query=ASK%7B%7D"

    def __init__(self, union_default_graph: bool = False):
        super().__init__()
        self.union = union_default_graph
        self._dir = tempfile.TemporaryDirectory(prefix="dealgraph-oxigraph-")
        self.binary = oxigraph_binary()
        if self.binary is None:
            raise FileNotFoundError("the oxigraph binary is missing (pip install oxigraph)")

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    def command(self) -> list[str]:
        cmd = [self.binary, "serve", "--location", self._dir.name, "--bind", f"127.0.0.1:{self.port}"]
        return cmd + (["--union-default-graph"] if self.union else [])

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self._dir.cleanup()


class DealgraphServer(_Process):
    """``dealgraph serve --store STORE --port PORT`` plus extra options."""

    ready_path = "/sparql?query=ASK%7B%7D"

    def __init__(self, store: str | os.PathLike, *options: str):
        super().__init__()
        self.store = str(store)
        self.options = list(options)

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    def command(self) -> list[str]:
        return [
            str(BIN / "dealgraph"),
            "serve",
            "--store",
            self.store,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *self.options,
        ]
