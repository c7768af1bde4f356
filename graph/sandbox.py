"""Keep SPARQL evaluation off the network: a seccomp filter on the threads that evaluate, and a parsed refusal.

Oxigraph really executes ``SERVICE`` (it POSTs the inner pattern to any URL)
and ``LOAD`` (it GETs any URL). dealgraph promises that a query or update
never makes the machine send a request, so every local evaluation runs on a
thread the kernel will not let open a network socket:

:func:`deny_network`
    Installs a seccomp-BPF filter on the calling thread (or, with
    ``all_threads=True``, on every thread of the process): ``socket()`` with
    any address family but ``AF_UNIX`` fails with ``EACCES``, the io_uring
    calls (which could open sockets behind seccomp's back) fail with
    ``EPERM``, and so does every system call made through a foreign ABI
    (32-bit x86 or x32 on x86_64, 32-bit ARM on aarch64). The filter cannot
    be removed, is inherited by every thread and process started from the
    thread, and is checked right away by trying to open an ``AF_INET``
    socket. It needs Linux on x86_64 or aarch64; anywhere else, or where the
    kernel refuses it, :class:`SandboxError` says so (dealgraph then refuses
    to evaluate SPARQL rather than go on without it).
:func:`run_isolated`
    Calls a function on a network-denied thread: right here when this thread
    is one already (the server's query threads and worker processes), else on
    a small long-lived pool of such threads.
:func:`refused_operation`
    The message half: ``"SERVICE"`` or ``"LOAD"`` when a query or update uses
    one, decided on the text parsed by rdflib's SPARQL parser, so that servers
    can answer a clear 403 before anything runs. When rdflib cannot read a
    text that mentions either word, the text is refused too; the filter above
    is what holds if the two parsers ever disagree.

Engine errors may quote what a remote server answered; :func:`safe_message`
reduces them to a first line without URLs or payloads.

>>> refused_operation("SELECT * WHERE { ?s ?p ?o }")
>>> refused_operation("SELECT * WHERE { ?s ?p ?o .SERVICE <http://example.org/> { ?s ?p ?o } }")
'SERVICE'
>>> refused_operation("INSERT DATA { <x:a> <x:b> 'ok' } ; load <http://example.org/x.ttl>", update=True)
'LOAD'
>>> refused_operation('SELECT * WHERE { ?s rdfs:label "SERVICE and LOAD are words" }')
>>> run_isolated(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import errno
import functools
import os
import platform
import queue
import re
import socket
import sys
import threading

from graph.errors import DealGraphError

__all__ = [
    "SandboxError",
    "deny_network",
    "network_denied",
    "run_isolated",
    "refused_operation",
    "refusal_message",
    "safe_message",
    "NETWORK_REFUSED",
]

NETWORK_REFUSED = "the query or update needs the network (SERVICE or LOAD), which dealgraph never uses"


class SandboxError(DealGraphError):
    """The network filter could not be installed: SPARQL is not evaluated without it."""


# ------------------------------------------------------------------ seccomp

# Per architecture: the audit arch value, the system call numbers we filter,
# seccomp(2) itself, and whether numbers from 0x40000000 up are another ABI (x32).
_ARCHES = {
    "x86_64": {"audit": 0xC000003E, "socket": 41, "io_uring": (425, 426, 427), "seccomp": 317, "x32": True},
    "aarch64": {"audit": 0xC00000B7, "socket": 198, "io_uring": (425, 426, 427), "seccomp": 277, "x32": False},
}
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
# offsets in struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (little endian: low word first)
_OFF_NR, _OFF_ARCH, _OFF_ARG0 = 0, 4, 16


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _program(arch: dict) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k); jumps are written to labels and resolved at the end."""
    prog: list = [
        (_LD_W_ABS, 0, 0, _OFF_ARCH),
        (_JEQ_K, 0, "eperm", arch["audit"]),  # another ABI: refuse everything
        (_LD_W_ABS, 0, 0, _OFF_NR),
    ]
    if arch["x32"]:
        prog.append((_JGE_K, "eperm", 0, 0x40000000))  # x32 numbers
    prog.append((_JEQ_K, "socket", 0, arch["socket"]))
    for nr in arch["io_uring"]:
        prog.append((_JEQ_K, "eperm", 0, nr))
    labels = {}
    prog.append((_RET_K, 0, 0, _RET_ALLOW))
    labels["socket"] = len(prog)
    prog += [
        (_LD_W_ABS, 0, 0, _OFF_ARG0),  # the address family (an int: the low word)
        (_JEQ_K, "allow", 0, socket.AF_UNIX),
        (_RET_K, 0, 0, _RET_ERRNO | errno.EACCES),
    ]
    labels["allow"] = len(prog)
    prog.append((_RET_K, 0, 0, _RET_ALLOW))
    labels["eperm"] = len(prog)
    prog.append((_RET_K, 0, 0, _RET_ERRNO | errno.EPERM))
    out = []
    for i, (code, jt, jf, k) in enumerate(prog):  # BPF jumps are forward offsets from the next instruction
        jt = labels[jt] - i - 1 if isinstance(jt, str) else jt
        jf = labels[jf] - i - 1 if isinstance(jf, str) else jf
        out.append((code, jt, jf, k))
    return out


_local = threading.local()
_process_denied = False
_libc = None


def _install(all_threads: bool) -> None:
    global _libc
    if not sys.platform.startswith("linux"):
        raise SandboxError(
            f"cannot deny the network to SPARQL evaluation on {sys.platform}: dealgraph needs Linux "
            "(seccomp) to evaluate SPARQL safely"
        )
    machine = platform.machine().lower()
    arch = _ARCHES.get({"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine))
    if arch is None:
        raise SandboxError(
            f"cannot deny the network to SPARQL evaluation on a {machine} processor: dealgraph's "
            f"seccomp filter knows {', '.join(_ARCHES)} only"
        )
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    code = _program(arch)
    filters = (_SockFilter * len(code))(*[_SockFilter(*c) for c in code])
    fprog = _SockFprog(len(code), filters)
    if (
        _libc.prctl(_PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
        != 0
    ):
        raise SandboxError(
            f"cannot deny the network to SPARQL evaluation: prctl(NO_NEW_PRIVS) failed "
            f"({os.strerror(ctypes.get_errno())})"
        )
    flags = _SECCOMP_FILTER_FLAG_TSYNC if all_threads else 0
    rc = _libc.syscall(
        ctypes.c_long(arch["seccomp"]),
        ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_long(flags),
        ctypes.byref(fprog),
    )
    if rc != 0:
        why = os.strerror(ctypes.get_errno()) if rc < 0 else f"thread {rc} could not take it"
        raise SandboxError(
            f"cannot deny the network to SPARQL evaluation: the kernel refused the seccomp filter ({why})"
        )


def _verify() -> None:
    """Fail unless this thread really cannot open an Internet socket."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
        except PermissionError:
            continue
        except OSError as e:
            if e.errno == errno.EAFNOSUPPORT:  # no IPv6 here: nothing to reach through it either
                continue
            raise SandboxError(f"the network filter is in place but socket() failed unexpectedly: {e}") from None
        s.close()
        raise SandboxError(
            "the network filter was installed but a socket could still be opened; refusing to evaluate SPARQL"
        )


def deny_network(all_threads: bool = False) -> None:
    """Forbid this thread (or, with ``all_threads``, this whole process) to open network sockets, for good.

    Unix sockets and everything else keep working. Calling it again is
    harmless. Raises :class:`SandboxError` when the filter cannot be
    installed or does not hold.

    >>> import socket, threading
    >>> seen = []
    >>> def probe():
    ...     deny_network()
    ...     try:
    ...         socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ...     except PermissionError:
    ...         seen.append("refused")
    ...     socket.socketpair()[0].close()  # AF_UNIX is fine
    >>> t = threading.Thread(target=probe); t.start(); t.join()
    >>> seen, network_denied()  # the calling thread is unaffected
    (['refused'], False)
    """
    global _process_denied
    if _process_denied or (getattr(_local, "denied", False) and not all_threads):
        return
    _install(all_threads)
    _verify()
    if all_threads:
        _process_denied = True
    _local.denied = True


def network_denied() -> bool:
    """True when this thread runs under :func:`deny_network`'s filter."""
    return _process_denied or getattr(_local, "denied", False)


# ------------------------------------------------------------------ the pool

_POOL_THREADS = max(4, os.cpu_count() or 1)
_POOL_STACK = 256 * 2**20  # reserved, not used: deep queries need a deep stack (the parser recurses)
STACK_LOCK = threading.Lock()  # held while threading.stack_size is changed to start threads


class _Pool:
    """Long-lived daemon threads, each under :func:`deny_network`, taking calls from one queue."""

    def __init__(self, size: int, stack: int):
        self._size, self._stack = size, stack
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0

    def submit(self, fn, args, kwargs) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((future, fn, args, kwargs))
        with self._lock:
            if self._idle == 0 and self._threads < self._size:
                self._start()
        return future

    def _start(self) -> None:
        with STACK_LOCK:
            previous = threading.stack_size(self._stack)
            try:
                t = threading.Thread(target=self._loop, name=f"dealgraph-sandbox-{self._threads}", daemon=True)
                t.start()
            finally:
                threading.stack_size(previous)
        self._threads += 1

    def _loop(self) -> None:
        try:
            deny_network()
            failure = None
        except SandboxError as e:
            failure = e
        while True:
            with self._lock:
                self._idle += 1
            future, fn, args, kwargs = self._jobs.get()
            with self._lock:
                self._idle -= 1
            if not future.set_running_or_notify_cancel():
                continue
            if failure is not None:
                future.set_exception(SandboxError(str(failure)))
            else:
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as e:  # handed to the caller, without this thread's frames
                    _strip(e)
                    future.set_exception(e)
                    del e
            del future, fn, args, kwargs


def _strip(e: BaseException) -> None:
    """Drop the tracebacks (and so the frames, and the engine objects they hold) of ``e`` and its chain."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        e.__traceback__ = None
        e = e.__cause__ or e.__context__


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def run_isolated(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` on a thread that cannot open network sockets; its result or exception.

    On such a thread already, it is a plain call. Otherwise one of a few
    long-lived threads runs it while this one waits: ``fn`` must finish its
    work there and return plain, thread-safe values (pyoxigraph's lazy
    results may not cross threads; materialise them first). Raises
    :class:`SandboxError` when the filter cannot be installed.
    """
    global _pool
    if network_denied():
        return fn(*args, **kwargs)
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = _Pool(_POOL_THREADS, _POOL_STACK)
    return _pool.submit(fn, args, kwargs).result()


# ------------------------------------------------------------------ the parsed refusal

_MENTIONS = re.compile(r"service|load", re.I)  # re.I also folds the Unicode look-alikes rdflib's keywords accept
_UCHAR = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_DEEP_UPDATE = 2_000  # an update this long that rdflib recurses too deep on is data (a build's batch), not a probe
PARSE_LIMIT = (
    20_000  # longer texts that mention SERVICE or LOAD are refused unread (rdflib takes ~0.1 s per 1,000 chars)
)


@functools.lru_cache(maxsize=64)
def refused_operation(text: str, update: bool = False) -> str | None:
    """``"SERVICE"`` or ``"LOAD"`` when the query (or update) would fetch from the network, else None.

    Read by rdflib's SPARQL parser: a ``SERVICE`` group anywhere (in
    ``OPTIONAL``, ``UNION``, ``MINUS``, ``EXISTS``, subqueries, ``GRAPH``,
    updates' ``WHERE``) or a ``LOAD`` operation. ``FROM``, ``FROM NAMED``,
    ``USING`` and ``GRAPH`` only name graphs of the store (Oxigraph fetches
    nothing for them) and pass. A query that mentions either word and that
    rdflib cannot read (it misses some corners of SPARQL that Oxigraph
    accepts) or that is longer than ``PARSE_LIMIT`` is refused as well; so
    is such an update, unless it is too long or too deep for rdflib (the
    network filter alone then answers for it: ``LOAD`` fails, ``LOAD
    SILENT`` loads nothing).

    >>> refused_operation("SELECT * WHERE { SERVICE SILENT ?x { ?s ?p ?o } }")
    'SERVICE'
    >>> refused_operation("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    >>> refused_operation("SELECT * WHERE { ?s ?p ?o } # a remark on services")
    """
    if not _MENTIONS.search(text):
        return None
    words = {m.group(0).upper() for m in _MENTIONS.finditer(text)}
    fallback = "SERVICE" if "SERVICE" in words else "LOAD"
    # Updates need the server's token; big ones (a build's INSERT DATA batches naming "Web Services") are
    # beyond what rdflib reads, so those are left to the network filter rather than refused.
    if len(text) > PARSE_LIMIT:
        return None if update else fallback
    # Read as Oxigraph reads: a carriage return ends a comment (rdflib's comments run to '\n' only), and
    # \u escapes stand for one character inside a string or IRI (rdflib expands them first, anywhere).
    readable = _UCHAR.sub("x", text.replace("\r", "\n"))
    try:
        found = _operations(readable, update)
    except RecursionError:  # rdflib's parser recurses once per triple (and per nested SERVICE)
        return None if update and len(text) > _DEEP_UPDATE else fallback
    except Exception:  # noqa: BLE001 - rdflib cannot read it: refuse, to be safe
        return fallback
    for name in ("SERVICE", "LOAD"):
        if name in found:
            return name
    return None


def refusal_message(operation: str) -> str:
    """The one-line answer to a refused ``SERVICE`` or ``LOAD``.

    >>> refusal_message("LOAD")
    'LOAD is refused: dealgraph never fetches from the network'
    """
    what = "federated queries (SERVICE) are" if operation == "SERVICE" else "LOAD is"
    return f"{what} refused: dealgraph never fetches from the network"


def _operations(text: str, update: bool) -> set[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import Query as QueryUnit
    from rdflib.plugins.sparql.parser import UpdateUnit
    from rdflib.plugins.sparql.parserutils import CompValue

    tree = (UpdateUnit if update else QueryUnit).parse_string(text, parse_all=True)
    found: set[str] = set()
    stack = [tree]
    while stack:  # no recursion: trees can be deep
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                found.add("SERVICE")
            elif node.name == "Load":
                found.add("LOAD")
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return found


_NETWORKISH = re.compile(
    r"https?:|payload|permission denied|os error 13|service|connect|socket|lookup address|resolv"
    r"|not allowed for http",
    re.I,
)


def safe_message(error: BaseException) -> str:
    """An engine error's message, safe to show a client: one line, no URL and nothing a remote server said.

    >>> safe_message(OSError("Error 500 returned by http://10.0.0.1/ with payload:\\nsecret"))
    'the query or update needs the network (SERVICE or LOAD), which dealgraph never uses'
    >>> safe_message(RuntimeError("The variable encoding the service name is unbound"))
    'the query or update needs the network (SERVICE or LOAD), which dealgraph never uses'
    >>> safe_message(ValueError("Not a valid IRI"))
    'Not a valid IRI'
    """
    text = str(error)
    if _NETWORKISH.search(text):
        return NETWORK_REFUSED
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return first[:300]
