"""Persist the graph: an embedded Oxigraph store on disk (default) or in memory, or a SPARQL endpoint.

``open_store`` picks a backend from the location:

==============================  ==============================================
location                        backend
==============================  ==============================================
a folder path (``.dealgraph``)  pyoxigraph on disk (RocksDB), the default
``memory`` / ``:memory:``       pyoxigraph in memory (tests, notebooks)
``http://...`` / ``https://``   a remote SPARQL 1.1 endpoint
==============================  ==============================================

The modules, arrows one way (``__init__`` -> backends -> ``base``):

- :mod:`graph.store.base`: the protocol (:class:`BaseStore`), answers read
  in full, I/O failure helpers;
- :mod:`graph.store.embedded`: :class:`Store`, Oxigraph in this process (the
  materialised union, the one-writer lock, damaged folders);
- :mod:`graph.store.remote`: :class:`~graph.store.remote.RemoteStore`, any
  SPARQL 1.1 endpoint (imported only when one is opened).

>>> s = open_store("memory")
>>> s.count()
0
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from graph.store.base import DEFAULT_STORE, BaseStore, Solutions, Triples, io_reason, is_full
from graph.store.embedded import FORMAT_VERSION, Store, open_disk, open_memory

__all__ = [
    "BaseStore",
    "Store",
    "Solutions",
    "Triples",
    "open_store",
    "io_reason",
    "is_full",
    "DEFAULT_STORE",
    "FORMAT_VERSION",
]


def _open_remote(location: str, read_only: bool, **options) -> BaseStore:
    from graph.store.remote import open_remote  # lazily: only users of a remote endpoint need it

    return open_remote(location, read_only=read_only, **options)


_BACKENDS: dict[str, Callable[..., BaseStore]] = {
    "memory": open_memory,
    "oxigraph": open_disk,
    "sparql": _open_remote,
}


def open_store(location: str | Path | None = None, *, read_only: bool = False, update_url: str | None = None) -> Store:
    """Open (or create) the store at ``location``; see the module docstring.

    ``update_url`` is the SPARQL Update endpoint of a remote store (default:
    ``$DEALGRAPH_UPDATE_URL`` or derived from the query URL, see
    :mod:`graph.store.remote`); it is an error for the other backends.

    Raises :class:`~graph.errors.StoreError` with a readable message when the
    store is in use, damaged, or from a newer dealgraph.
    """
    loc = str(location or DEFAULT_STORE)
    if loc in ("memory", ":memory:"):
        kind = "memory"
    elif re.match(r"https?://", loc):
        kind = "sparql"
    else:
        kind = "oxigraph"
    if update_url is not None:
        if kind != "sparql":
            raise ValueError(f"update_url is only for a SPARQL endpoint store, not {loc!r}")
        return _BACKENDS[kind](loc, read_only, update_url=update_url)
    return _BACKENDS[kind](loc, read_only)
