"""Faults on the build path give one readable line, never a traceback, and the store stays whole.

* A full disk: for real (a small tmpfs mounted for the test, when the machine
  lets us mount) and injected (the store's engine raising the ``OSError``
  RocksDB raises, which runs everywhere). The build stops cleanly, says why,
  keeps every article committed before, and a later build with space catches up.
* A file name with a byte that is not UTF-8 (a real file, named with bytes).
* A store folder whose ``CURRENT`` was deleted is refused and left byte for byte as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import urllib.parse
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graph.store
from graph.cli import app
from graph.errors import StoreError
from graph.store import open_store
from tests.conftest import ARTICLES

N = len(list(ARTICLES.glob("*.txt")))
GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"
ENOSPC_TEXT = "IO error: No space left on device: While appending to file: {}/000008.log: No space left on device"


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _run(*args) -> subprocess.CompletedProcess:
    """``dealgraph ARGS`` in a child process, as a user runs it (stderr as text, undecodable bytes escaped)."""
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *map(str, args)],
        capture_output=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "1000"},
    )


def _err(p: subprocess.CompletedProcess) -> str:
    return p.stderr.decode("utf-8", "backslashreplace")


def _articles(store: Path) -> dict[str, set[str]]:
    """Each stored article's triples (timestamps aside), by its source path, read from a read-only open."""
    with open_store(store, read_only=True) as st:
        source = {
            r["g"].value: r["p"].value for r in st.query("SELECT ?g ?p WHERE { GRAPH ?g { ?a dg:sourcePath ?p } }")
        }
        out: dict[str, set[str]] = defaultdict(set)
        for q in st.quads():
            if q.predicate.value != GENERATED:
                out[source[q.graph_name.value]].add(f"{q.subject} {q.predicate} {q.object}")
        return dict(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, set[str]]:
    """What an uninterrupted build of data/articles stores."""
    store = tmp_path_factory.mktemp("ref") / "store"
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert r.exit_code == 0, r.output
    return _articles(store)


def _one_line(output: str, prefix: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, output
    return lines[0]


# ------------------------------------------------------------ a real full disk


@pytest.fixture()
def tiny_fs(tmp_path):
    """Mount a tmpfs of a given size (root only); unmounted after the test."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        if shutil.which("mount") is None or os.geteuid() != 0:
            pytest.skip("mounting a size-limited tmpfs needs root and mount(8); the injected-fault tests cover this")
        d = tmp_path / f"fs{len(mounted)}"
        d.mkdir()
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(d)], capture_output=True)
        if p.returncode != 0:
            pytest.skip(
                f"this machine refuses to mount a tmpfs ({p.stderr.decode().strip()}); "
                "the injected-fault tests cover this"
            )
        mounted.append(d)
        return d

    yield mount
    for d in mounted:
        subprocess.run(["umount", "-l", str(d)], check=False)


def _grow(fs: Path) -> None:
    subprocess.run(["mount", "-o", "remount,size=64m", str(fs)], check=True)


def test_a_full_disk_stops_the_build_keeps_what_it_committed_and_a_later_build_catches_up(tiny_fs, reference):
    fs = tiny_fs("1m")  # room for RocksDB's files and a few articles of data/articles, not all
    store = fs / "store"
    p = _run("build", ARTICLES, "--store", store, "-q", "-v", "--no-validate")
    err = _err(p)
    committed = [line.removeprefix("committed ") for line in err.splitlines() if line.startswith("committed ")]
    assert 1 <= len(committed) < N, err  # the disk filled up part-way
    assert p.returncode == 0, err  # some articles are stored: not a failed build
    assert "Traceback" not in err and len(err.splitlines()) == len(committed) + 3, err
    stop = _one_line(err, "Stopped: ")
    assert f"cannot write to the store at {store}: No space left on device" in stop, stop
    assert f"The {len(committed)} article" in stop and "run the same build again" in stop, stop
    assert "not stored: cannot write to the store" in _one_line(err, "skipped ")
    assert f"{len(committed)} articles ({len(committed)} added, 0 replaced, 0 unchanged)" in err, err

    # the store opens (read-only needs no space) and holds exactly what was committed, each article whole
    kept = _articles(store)
    assert sorted(kept) == sorted(committed)
    assert all(kept[s] == reference[s] for s in kept)

    # on a full disk the next build cannot even open the store: one line, exit 1
    p = _run("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert p.returncode == 1 and "Traceback" not in _err(p), _err(p)
    assert _one_line(_err(p), "Error: ").startswith(f"Error: cannot open the store at {store}: No space left on device")

    # with space, the same build adds the rest and ends with what an uninterrupted build stores
    _grow(fs)
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert r.exit_code == 0, r.output
    assert f"({N - len(committed)} added, 0 replaced, {len(committed)} unchanged)" in r.output, r.output
    assert _articles(store) == reference


# ------------------------------------------------------------ injected faults (everywhere)


class _Faulty:
    """A pyoxigraph store whose writes fail as RocksDB's do: ``OSError`` with RocksDB's message."""

    def __init__(self, inner, location: str, fail, flush_fails: bool = False):
        self._inner, self._location, self._fail, self._flush_fails = inner, location, fail, flush_fails
        self.writes = 0

    def update(self, *args, **kwargs):
        self.writes += 1
        error = self._fail(self.writes)
        if error is not None:
            raise error
        return self._inner.update(*args, **kwargs)

    def flush(self):
        if self._flush_fails:
            raise OSError(ENOSPC_TEXT.format(self._location).replace("000008.log", "000012.sst"))
        return self._inner.flush()

    def __len__(self):
        return len(self._inner)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture()
def faulty(monkeypatch):
    """Make the next read-write disk stores fail: ``faulty(fail=lambda write_number: OSError | None)``."""

    def install(fail=lambda n: None, flush_fails: bool = False):
        original = graph.store.Store.__init__

        def init(self, inner, location, read_only=False, *args, **kwargs):
            original(self, inner, location, read_only, *args, **kwargs)
            if not read_only and location != "memory":
                self._s = _Faulty(inner, location, fail, flush_fails)

        monkeypatch.setattr(graph.store.Store, "__init__", init)
        return monkeypatch.undo

    return install


def _enospc_from(k: int, store: Path):
    """Every write from the k-th on fails with a full disk, as RocksDB's do once its log cannot grow."""
    return lambda n: OSError(ENOSPC_TEXT.format(store)) if n >= k else None


def test_injected_full_disk_stops_cleanly_then_a_later_build_catches_up(tmp_path, faulty, reference):
    store = tmp_path / "store"
    undo = faulty(_enospc_from(3, store))
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    undo()
    assert r.exit_code == 0 and r.exception is None and "Traceback" not in r.output, r.output
    assert "2 articles (2 added, 0 replaced, 0 unchanged)" in r.output, r.output
    stop = _one_line(r.output, "Stopped: ")
    assert stop.startswith(
        f"Stopped: cannot write to the store at {store}: No space left on device "
        f"(while appending to file {store}/000008.log). The 2 articles this build stored are kept; "
        "free some disk space and run the same build again to add the rest."
    ), stop
    skipped = _one_line(r.output, "skipped ")
    assert "03_" in skipped and "not stored: cannot write to the store" in skipped, skipped
    assert len(_articles(store)) == 2  # the store opens, with what was committed

    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert r.exit_code == 0 and f"({N - 2} added, 0 replaced, 2 unchanged)" in r.output, r.output
    assert _articles(store) == reference


def test_injected_full_disk_before_anything_is_stored_exits_1(tmp_path, faulty):
    store = tmp_path / "store"
    faulty(_enospc_from(1, store))
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert r.exit_code == 1 and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
    assert "0 articles (0 added" in r.output and "The 0 articles this build stored are kept" in r.output, r.output
    assert _articles(store) == {}


def test_a_refused_write_skips_that_article_and_the_build_goes_on(tmp_path, faulty, reference):
    store = tmp_path / "store"
    undo = faulty(lambda n: OSError(errno.EIO, "Input/output error") if n == 3 else None)
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    undo()
    assert r.exit_code == 0, r.output
    assert "Stopped" not in r.output and f"{N - 1} articles ({N - 1} added" in r.output, r.output
    assert _one_line(r.output, "skipped ").endswith(
        f"not stored: cannot write to the store at {store}: Input/output error"
    )
    assert len(_articles(store)) == N - 1
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert "(1 added, 0 replaced" in r.output, r.output
    assert _articles(store) == reference


def test_three_refused_writes_in_a_row_stop_the_build(tmp_path, faulty):
    store = tmp_path / "store"
    faulty(lambda n: OSError(errno.EIO, "Input/output error") if n >= 2 else None)
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    assert r.exit_code == 0, r.output
    assert "1 articles (1 added" in r.output, r.output
    assert len([line for line in r.output.splitlines() if line.startswith("skipped ")]) == 3, r.output
    stop = _one_line(r.output, "Stopped: ")
    assert stop == (
        f"Stopped: cannot write to the store at {store}: Input/output error. The 1 article this build "
        "stored is kept; fix that and run the same build again to add the rest."
    ), stop


def test_a_failed_final_flush_is_a_warning_and_loses_nothing(tmp_path, faulty, reference):
    store = tmp_path / "store"
    undo = faulty(flush_fails=True)
    r = _cli("build", ARTICLES, "--store", store, "-q", "--no-validate")
    undo()
    assert r.exit_code == 0, r.output
    assert f"{N} articles ({N} added" in r.output and "Stopped" not in r.output, r.output
    warning = _one_line(r.output, "Warning: ")
    assert (
        f"cannot write to the store at {store}: No space left on device (while appending to file {store}/000012.sst)"
        in warning
    )
    assert _articles(store) == reference  # every article was in RocksDB's log


def test_close_releases_the_store_even_when_its_flush_fails(tmp_path, faulty):
    store = tmp_path / "store"
    faulty(flush_fails=True)
    st = open_store(store)
    with pytest.raises(StoreError, match="No space left on device"):
        st.close()
    with open_store(store, read_only=True) as again:  # the lock was released
        assert again.count() == 0


# ------------------------------------------------------------ file names that are not UTF-8


def test_a_file_name_that_is_not_utf8_is_stored_percent_encoded(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder)
    names = [b"deal\xff 5%.txt", b"\xfe\xff.txt"]  # one with readable letters, one made only of bad bytes
    for name, src in zip(names, sorted(ARTICLES.glob("*.txt"))[:2]):
        with open(os.path.join(raw, name), "wb") as f:
            f.write(src.read_bytes())
    shutil.copy(sorted(ARTICLES.glob("*.txt"))[2], folder / "plain.txt")
    with open(os.path.join(raw, b"empty\xff.txt"), "wb"):
        pass  # a bad file with a bad name: its message shows the byte as \xff
    (folder / "feed.jsonl").write_text(
        '{"text": "Acme bought Widget \\udcff Inc. for $5 million."}\n'
        '{"text": "Microsoft agreed to acquire LinkedIn for $26.2 billion."}\n'
    )
    store = tmp_path / "store"
    p = _run("build", folder, "--store", store, "-q", "-v", "--no-validate")
    err = _err(p)
    assert p.returncode == 0 and "Traceback" not in err, err
    assert "4 articles (4 added, 0 replaced, 0 unchanged)" in err, err
    skipped = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 2, err
    assert skipped[0] == f"skipped {folder}/empty\\xff.txt: empty file: no text to read", err
    assert "feed.jsonl:1: not stored: its text holds" in skipped[1] and "not a Unicode character" in skipped[1], err

    with open_store(store, read_only=True) as st:
        paths = {r["p"].value for r in st.query("SELECT ?p WHERE { ?a dg:sourcePath ?p }")}
    stored_bytes = {urllib.parse.unquote_to_bytes(p) for p in paths if "%" in p}
    assert stored_bytes == {os.path.join(raw, n) for n in names}  # lossless: the exact bytes come back
    assert str(folder / "plain.txt") in paths

    again = _cli("build", folder, "--store", store, "-q", "--no-validate")
    assert again.exit_code == 0 and "(0 added, 0 replaced, 4 unchanged)" in again.output, again.output


# ------------------------------------------------------------ a store folder that lost CURRENT


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("damage", ["CURRENT deleted", "its MANIFEST deleted"])
def test_a_store_without_its_current_file_is_refused_and_left_untouched(tmp_path, damage):
    articles = tmp_path / "in"
    articles.mkdir()
    for src in sorted(ARTICLES.glob("*.txt"))[:2]:
        shutil.copy(src, articles)
    store = tmp_path / "store"
    assert _cli("build", articles, "--store", store, "-q", "--no-validate").exit_code == 0
    if damage == "CURRENT deleted":
        (store / "CURRENT").unlink()
        words = "its database file CURRENT is missing"
    else:
        manifest = (store / "CURRENT").read_text().strip()
        (store / manifest).unlink()
        words = f"its database file CURRENT names {manifest}, which is missing"
    before = _snapshot(store)
    for args in (
        ("build", articles, "-q", "--no-validate"),
        ("build", articles, "--force", "-q"),
        ("query", "ASK {}"),
        ("info",),
    ):
        r = _cli(*args, "--store", store)
        assert r.exit_code == 1 and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
        flat = " ".join(r.output.split())
        assert flat.startswith(f"Error: the store at {store} is damaged: {words}"), flat
        assert "Nothing in it was changed" in flat and "move it away and run `dealgraph build` again" in flat, flat
        assert len([x for x in r.output.splitlines() if x.startswith("Error:")]) == 1
    assert _snapshot(store) == before
    assert not list(store.glob("LOG.old*"))
