"""Admission: who runs next when every query slot is taken (a short fair queue, a cap per client)."""

from __future__ import annotations

import threading
import time


class _Busy(Exception):
    """No query slot came free within the wait (503), or the client is at its own cap (429)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _Admission:
    """Who runs next: ``slots`` jobs at once, a short fair queue before them, a cap per client.

    A request waits at most ``wait`` seconds for a slot, behind at most
    ``max_waiting`` others; beyond either it is refused at once (503, or 429
    when the slots were free but its client was at its cap). One client (one
    address) runs at most ``per_client`` jobs at a time, so it cannot hold
    every worker. When a slot comes free it goes to the waiting request whose
    client runs the fewest jobs, then whose client used the least worker time
    lately (decaying with a half-life of ``half_life`` seconds), then the one
    that came first: a client sending cheap queries is not stuck behind one
    that keeps the workers busy.

    >>> a = _Admission(2, per_client=1, max_waiting=4, wait=0.05)
    >>> a.acquire("10.0.0.1"); a.acquire("10.0.0.2")
    >>> try:
    ...     a.acquire("10.0.0.1")
    ... except _Busy as e:
    ...     print(e.status)
    503
    >>> a.release("10.0.0.2", 0.01); a.acquire("10.0.0.3"); a.release("10.0.0.3", 0.01)
    >>> try:
    ...     a.acquire("10.0.0.1")
    ... except _Busy as e:
    ...     print(e.status)
    429
    """

    def __init__(self, slots: int, *, per_client: int, max_waiting: int, wait: float, half_life: float = 10.0):
        for name, value in (("slots", slots), ("per_client", per_client), ("wait", wait)):
            if not value or value <= 0:
                raise ValueError(f"{name} must be positive, got {value!r}")
        if max_waiting < 0:
            raise ValueError(f"max_waiting must not be negative, got {max_waiting!r}")
        self.slots, self.per_client, self.max_waiting, self.wait = slots, per_client, max_waiting, float(wait)
        self._half_life = half_life
        self._cond = threading.Condition()
        self._free = slots
        self._running: dict[str, int] = {}
        self._usage: dict[str, tuple[float, float]] = {}  # client -> (worker seconds, when)
        self._waiting: list[tuple[int, str]] = []
        self._seq = 0

    @property
    def capacity(self) -> int:
        """Requests that can be inside at once: running plus waiting."""
        return self.slots + self.max_waiting

    def _cost(self, client: str, now: float) -> float:
        used, when = self._usage.get(client, (0.0, now))
        return used * 0.5 ** ((now - when) / self._half_life)

    def _may_run(self, client: str) -> bool:
        return self._free > 0 and self._running.get(client, 0) < self.per_client

    def _next(self) -> tuple[int, str] | None:
        now = time.monotonic()
        ready = [t for t in self._waiting if self._may_run(t[1])]
        if not ready:
            return None
        return min(ready, key=lambda t: (self._running.get(t[1], 0), self._cost(t[1], now), t[0]))

    def _take(self, client: str) -> None:
        self._free -= 1
        self._running[client] = self._running.get(client, 0) + 1

    def acquire(self, client: str) -> None:
        """Take a slot for ``client`` or raise :class:`_Busy` (at most ``wait`` seconds)."""
        with self._cond:
            if not self._waiting and self._may_run(client):
                self._take(client)
                return
            if len(self._waiting) >= self.max_waiting:
                raise _Busy(
                    503,
                    f"the server is busy ({self.slots} queries running, {len(self._waiting)} waiting); "
                    "try again shortly",
                )
            self._seq += 1
            ticket = (self._seq, client)
            self._waiting.append(ticket)
            deadline = time.monotonic() + self.wait
            try:
                while self._next() != ticket:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        if self._free > 0 and self._running.get(client, 0) >= self.per_client:
                            raise _Busy(
                                429,
                                f"this client already runs {self._running[client]} queries, the most "
                                "this server allows one client; wait for them",
                            )
                        raise _Busy(
                            503,
                            f"the server is busy (every query worker is running); waited {self.wait:g} s, "
                            "try again shortly",
                        )
                    self._cond.wait(remaining)
                self._take(client)
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def release(self, client: str, seconds: float) -> None:
        """Give back ``client``'s slot after a job of ``seconds``."""
        with self._cond:
            self._free += 1
            n = self._running.get(client, 1) - 1
            if n > 0:
                self._running[client] = n
            else:
                self._running.pop(client, None)
            now = time.monotonic()
            self._usage[client] = (self._cost(client, now) + seconds, now)
            if len(self._usage) > 4096:  # forget clients whose use has decayed away
                self._usage = {c: u for c, u in self._usage.items() if self._cost(c, now) > 0.01 or c in self._running}
            self._cond.notify_all()
