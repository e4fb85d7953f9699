"""The run's drift log: every response that comes back through the guard is held against the chosen snapshot's
spec, each departure counted once with a `curl` line that reproduces it, and the checks add what only they can
see (a parameter the server refuses or ignores). At the end it says which shipped snapshot the server matches
best, by holding the same responses against each of them.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs

from ..curl import curl_line
from ..spec import drift
from ..spec.document import JOBS_PATH, RUNS_PATH, Spec, shipped
from ..spec.drift import Drift

API_PATHS = (JOBS_PATH, RUNS_PATH)
_SAMPLES_PER_RESPONSE = 60  # bodies kept per (path, status) for matching the other snapshots; enough to see drift


@attrs.define
class Seen:
    """A departure, how often it was seen, and one request that shows it."""

    drift: Drift
    count: int = 0
    reproduce: str = ""


class DriftLog:
    def __init__(self, spec: Spec, base_url: str) -> None:
        self.spec = spec
        self._prefix = urlsplit(base_url).path.rstrip("/")
        self._seen: dict[Drift, Seen] = {}
        self._samples: dict[tuple[str, int], list[Any]] = defaultdict(list)
        self._answered: dict[str, set[int]] = defaultdict(set)
        self._lock = threading.Lock()

    # ---- what goes in -------------------------------------------------------------------------------------

    def observe(
        self, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes, reproduce: str
    ) -> None:
        """A response of the run (the guard's observer). Only the API's own operations are looked at, and only
        answers about the spec: a 429 or a 5xx says nothing about the API's shape."""
        path = urlsplit(url).path.removeprefix(self._prefix)
        if method.upper() != "GET" or path not in API_PATHS or status == 429 or status >= 500:
            return
        with self._lock:
            self._answered[path].add(status)
        operation = self.spec.operation(path)
        if status == 404:
            if operation is not None:  # the plainest request shows it best: no parameters, just the key
                plain = curl_line("GET", url.split("?", 1)[0], [("Authorization", "")])
                self.note(drift.missing_operation(path, status), plain)
            return
        try:
            payload = json.loads(content)
        except ValueError:
            return  # not JSON: the content-type and schema checks report it, with the request
        with self._lock:
            samples = self._samples[path, status]
            if len(samples) < _SAMPLES_PER_RESPONSE:
                samples.append(payload)
        for found in drift.body(self.spec, operation, path, status, payload):
            self.note(found, reproduce)

    def note(self, found: Drift, reproduce: str = "") -> None:
        """Count one departure; the first request that showed it is the one the report gives."""
        with self._lock:
            seen = self._seen.setdefault(found, Seen(found))
            seen.count += 1
            if not seen.reproduce:
                seen.reproduce = reproduce

    # ---- what comes out -----------------------------------------------------------------------------------

    def findings(self) -> list[Seen]:
        """Every departure, the ones that break the spec first."""
        with self._lock:
            seen = list(self._seen.values())
        return sorted(seen, key=lambda s: (not s.drift.failing, s.drift.kind, s.drift.operation, s.drift.where))

    def failing(self) -> list[Seen]:
        return [s for s in self.findings() if s.drift.failing]

    def matches(self) -> list[tuple[str, int]]:
        """Each shipped snapshot with the number of distinct departures the run's responses show against it,
        fewest first (ties: the newest first)."""
        with self._lock:
            samples = {key: list(bodies) for key, bodies in self._samples.items()}
            answered = {path: set(statuses) for path, statuses in self._answered.items()}
        scores = []
        for spec in shipped():
            found: set[Drift] = set()
            for path, statuses in answered.items():
                declared = spec.operation(path) is not None
                if declared and 404 in statuses:
                    found.add(drift.missing_operation(path, 404))
                if not declared and statuses - {401, 404, 405}:
                    found.add(Drift("undeclared operation", f"GET {path}", f"GET {path}"))
            for (path, status), bodies in samples.items():
                for payload in bodies:
                    found.update(d for d in drift.body(spec, spec.operation(path), path, status, payload))
            scores.append((spec.name, len(found)))
        return sorted(scores, key=lambda pair: (pair[1], [-int(part) for part in pair[0].split("-")]))
