"""The run's flaky-endpoint finding: every request the guard had to retry, by endpoint and by check.

A transient failure ridden out by a retry (a 503, a dropped connection, a body cut short, ...) is not a failure
of the API's contract, but a client without retries would have met it: each endpoint that produced some is a
finding of its own, with counts. A failure that came back on every retry is the opposite, systematic: the check
that met it fails, and the summary says it reproduced.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

import attrs

from ..guard import Retried


@attrs.define
class Endpoint:
    """What one endpoint did across the run."""

    label: str  # "GET /api/v2/extract"
    requests: int = 0  # requests that got an answer or gave up (retries not counted)
    recovered: int = 0  # requests that met transient failures and got through on retry
    gave_up: int = 0  # requests whose failures varied but never stopped (too flaky to get through)
    reproduced: int = 0  # requests that failed the same way on every retry (systematic)
    failures: Counter[str] = attrs.field(factory=Counter)  # every failed attempt of a flaky request, by kind
    example: str = ""  # a curl line of one request that met a transient failure

    @property
    def flaky(self) -> bool:
        return bool(self.recovered or self.gave_up)

    def describe_failures(self) -> str:
        return ", ".join(f"{kind} x{count}" for kind, count in self.failures.most_common())


def attempts(retried: Retried) -> str:
    """How a request's attempts went, in a few words: `502 on every one of 6 attempts`, `503, 503, then an answer`."""
    if retried.reproduced and len(set(retried.failures)) == 1:
        return f"{retried.failures[0]} on every one of {len(retried.failures)} attempts"
    said = ", ".join(retried.failures)
    return f"{said}, then an answer" if retried.recovered else f"{said}: no answer in {len(retried.failures)} attempts"


class FlakyLog:
    def __init__(self, base_url: str) -> None:
        self._prefix = urlsplit(base_url).path.rstrip("/")
        self._endpoints: dict[str, Endpoint] = {}
        self._by_check: dict[tuple[str, str], list[Retried]] = {}
        self._lock = threading.Lock()
        self.current: tuple[str, str] = ("", "")
        """The check that sends requests now, as (part, name): the plugin keeps it up to date."""

    def _endpoint(self, method: str, url: str) -> Endpoint:
        label = f"{method.upper()} {urlsplit(url).path.removeprefix(self._prefix) or '/'}"
        return self._endpoints.setdefault(label, Endpoint(label))

    # ---- what goes in (the guard's hooks) -------------------------------------------------------------------

    def answered(self, method: str, url: str) -> None:
        """A request got its final answer (the guard's observer): counted per endpoint."""
        with self._lock:
            self._endpoint(method, url).requests += 1

    def record(self, retried: Retried) -> None:
        """A request that met at least one transient failure (the guard's `on_retry`)."""
        with self._lock:
            endpoint = self._endpoint(retried.method, retried.url)
            if retried.recovered:
                endpoint.recovered += 1
            elif retried.reproduced:
                endpoint.reproduced += 1
                endpoint.requests += 1  # a failure raised as an exception never reaches the observer
            else:
                endpoint.gave_up += 1
                endpoint.requests += 1
            if not retried.reproduced:
                endpoint.failures.update(retried.failures)
                endpoint.example = endpoint.example or retried.reproduce
            self._by_check.setdefault(self.current, []).append(retried)

    # ---- what comes out -------------------------------------------------------------------------------------

    def flaky(self) -> list[Endpoint]:
        """The endpoints that produced transient failures, the flakiest first."""
        with self._lock:
            found = [attrs.evolve(e, failures=Counter(e.failures)) for e in self._endpoints.values() if e.flaky]
        return sorted(found, key=lambda e: (-sum(e.failures.values()), e.label))

    def reproduced(self, checks: Iterable[tuple[str, str]] | None = None) -> list[tuple[tuple[str, str], Retried]]:
        """The requests whose failure came back on every retry, with the check that sent each (all checks, or
        those named)."""
        wanted = None if checks is None else set(checks)
        with self._lock:
            return [
                (check, retried)
                for check, seen in self._by_check.items()
                if wanted is None or check in wanted
                for retried in seen
                if retried.reproduced
            ]
