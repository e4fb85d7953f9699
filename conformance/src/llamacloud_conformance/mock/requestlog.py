"""What requests reached the server, for client tests (did the client resend its filters on every page? how
many retries did it make?). Headers are not kept, so the API key can never leak through the log."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

import attrs


@attrs.frozen
class LoggedRequest:
    """One request as it arrived: method, path and query (pairs in order, repeats kept), and what came of it:
    the status sent (None when the connection was dropped) and the faults applied."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    status: int | None = None
    faults: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, list[str]]:
        """The query as a dict of lists (`{"job_ids": ["a", "b"]}`)."""
        out: dict[str, list[str]] = {}
        for key, value in self.query:
            out.setdefault(key, []).append(value)
        return out

    def to_json(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "query": [list(pair) for pair in self.query], "faults": list(self.faults)}


class RequestLog:
    """The last `size` requests, oldest first (bounded, so a long-running server's memory stays flat)."""

    def __init__(self, size: int = 10_000) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
