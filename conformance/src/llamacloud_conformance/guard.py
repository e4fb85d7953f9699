"""One budget, one pace, one origin and one retry policy for every request a conformance run sends.

A run against a production deployment must be safe whoever sends the request: schemathesis (through
`requests`), the overlay client (through `httpx`) or our own checks. So the rules live here, once, and thin
adapters put them in front of both HTTP libraries:

* only the target's origin is ever contacted, so the API key cannot leak to another host;
* a read-only run sends nothing but GET (schemathesis' coverage phase would otherwise try POST, PUT, DELETE);
* at most `max_requests` requests, retries included, and at most `rate_limit` a second;
* a transient failure is retried as the client retries it, so that a flaky server is told from a broken one.

Which failures are transient and how long to wait before each retry are the client's rules, from its public
`llamacloud_extract.retries`. What the guard adds is its own: where the client gives up after `max_retries`
retries, the guard tells the two kinds of server apart. It gives up when the last `max_retries + 1` attempts
failed the same way (the failure reproduces: systematic) or after `RETRY_CAP_FACTOR` times as many attempts of
varied failures (a server too flaky to get through). Every request that met a transient failure is handed to
`on_retry`, for the run's flaky-endpoint finding.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
import requests
import urllib3
from requests.adapters import HTTPAdapter

from llamacloud_extract.retries import DEFAULT_MAX_RETRIES, retry_delay, should_retry

from .curl import curl_line

__all__ = [
    "BudgetExhaustedError",
    "GuardViolationError",
    "GuardedHTTPXTransport",
    "GuardedRequestsAdapter",
    "RequestGuard",
    "RequestPolicy",
    "Retried",
    "guarded_requests_session",
]

RETRY_CAP_FACTOR = 3
REFUSED = "could not connect"
DROPPED = "connection closed before a response"
CUT_SHORT = "body cut short"
TIMED_OUT = "timed out"


class Answer(Protocol):
    """What the guard reads of a response, whichever library made it (`requests` or `httpx`)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content(self) -> bytes: ...
    def close(self) -> None: ...


A = TypeVar("A", bound=Answer)


class GuardViolationError(RuntimeError):
    """A request the run's policy forbids (another origin, or a write in a read-only run)."""


class BudgetExhaustedError(RuntimeError):
    """The run has sent as many requests as it may."""


@dataclass(frozen=True)
class RequestPolicy:
    base_url: str
    read_only: bool = False
    max_requests: int | None = None
    rate_limit: float | None = None  # requests a second
    max_retries: int = DEFAULT_MAX_RETRIES

    @property
    def origin(self) -> tuple[str, str]:
        parts = urlsplit(self.base_url)
        return parts.scheme, parts.netloc


class Observer(Protocol):
    """Sees every response that comes back through the guard (what the drift report is made of)."""

    def __call__(
        self, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes, reproduce: str
    ) -> None: ...


@dataclass(frozen=True)
class Retried:
    """A request that met at least one transient failure: how each failed attempt failed, and how it ended."""

    method: str
    url: str
    reproduce: str
    failures: tuple[str, ...]  # "503", "could not connect", "connection closed before a response", ...
    recovered: bool  # a later attempt got an answer that is not a transient failure
    reproduced: bool = False  # not recovered: the last max_retries + 1 attempts failed the same way


class _Transient(Exception):
    """An attempt failed in a way worth another try; `label` says how, `error` is what to raise in the end."""

    def __init__(self, label: str, error: BaseException) -> None:
        super().__init__(label)
        self.label = label
        self.error = error


@dataclass
class RequestGuard:
    """Admits requests under a `RequestPolicy`; shared by every adapter of one run (thread-safe)."""

    policy: RequestPolicy
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    observer: Observer | None = None
    on_retry: Callable[[Retried], None] | None = None
    sent: int = 0
    retries: int = 0
    _next_slot: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def admit(self, method: str, url: str) -> None:
        """Raise unless this request may be sent now; wait for the pace first."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self.policy.origin:
            raise GuardViolationError(f"refusing to send a request to {parts.scheme}://{parts.netloc}: not the target")
        if self.policy.read_only and method.upper() not in ("GET", "HEAD"):
            raise GuardViolationError(f"refusing {method.upper()} {parts.path}: this run is read-only")
        with self._lock:
            if self.policy.max_requests is not None and self.sent >= self.policy.max_requests:
                raise BudgetExhaustedError(f"the request budget of {self.policy.max_requests} is used up")
            self.sent += 1
            wait = 0.0
            if self.policy.rate_limit:
                now = self.clock()
                slot = max(now, self._next_slot)
                self._next_slot = slot + 1.0 / self.policy.rate_limit
                wait = slot - now
        if wait > 0:
            self.sleep(wait)

    def send(self, method: str, url: str, headers: Mapping[str, str | bytes], attempt: Callable[[], A]) -> A:
        """`attempt()` (which raises `_Transient` for a failure worth another try) under the budget, the pace and
        the retry policy; the last answer, shown to the observer, or the last transient error raised as itself.
        Both adapters send through here, so that the two HTTP libraries retry and report alike."""

        def reproduce() -> str:
            return curl_line(method, url, headers.items())

        answer = self._retrying(method, url, attempt, reproduce)
        if self.observer is not None:
            self.observer(method, url, answer.status_code, answer.headers, answer.content, reproduce())
        return answer

    def _retrying(self, method: str, url: str, attempt: Callable[[], A], reproduce: Callable[[], str]) -> A:
        failures: list[str] = []
        while True:
            self.admit(method, url)
            try:
                answer = attempt()
            except _Transient as transient:
                failures.append(transient.label)
                if self._give_up(failures):
                    self._report(method, url, reproduce, failures, recovered=False)
                    raise transient.error from None
                self._wait(len(failures) - 1, None)
                continue
            if not should_retry(answer.status_code, answer.headers):
                if failures:
                    self._report(method, url, reproduce, failures, recovered=True)
                return answer
            failures.append(str(answer.status_code))
            if self._give_up(failures):
                self._report(method, url, reproduce, failures, recovered=False)
                return answer
            answer.close()
            self._wait(len(failures) - 1, answer.headers)

    def _reproduces(self, failures: list[str]) -> bool:
        """Systematic: the last `max_retries + 1` attempts failed the same way."""
        streak = self.policy.max_retries + 1
        return len(failures) >= streak and len(set(failures[-streak:])) == 1

    def _give_up(self, failures: list[str]) -> bool:
        return self._reproduces(failures) or len(failures) >= (self.policy.max_retries + 1) * RETRY_CAP_FACTOR

    def _wait(self, retries_taken: int, headers: Mapping[str, str] | None) -> None:
        with self._lock:
            self.retries += 1
        self.sleep(retry_delay(retries_taken, headers))

    def _report(
        self, method: str, url: str, reproduce: Callable[[], str], failures: list[str], *, recovered: bool
    ) -> None:
        if self.on_retry is not None:
            reproduced = not recovered and self._reproduces(failures)
            self.on_retry(Retried(method.upper(), url, reproduce(), tuple(failures), recovered, reproduced))


class GuardedRequestsAdapter(HTTPAdapter):
    """`requests` side: what schemathesis sends goes through here. The body is read here, so that a body cut
    short is retried like any other transient failure (schemathesis never streams)."""

    def __init__(self, guard: RequestGuard) -> None:
        super().__init__()
        self.guard = guard

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        method, url = request.method or "GET", request.url or ""

        def attempt() -> requests.Response:
            try:
                response = super(GuardedRequestsAdapter, self).send(request, *args, **kwargs)
            except requests.Timeout as error:
                raise _Transient(TIMED_OUT, error) from None
            except requests.ConnectionError as error:
                reason = getattr(error.args[0] if error.args else None, "reason", None)
                refused = isinstance(reason, urllib3.exceptions.NewConnectionError)
                raise _Transient(REFUSED if refused else DROPPED, error) from None
            try:
                _ = response.content
            except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as error:
                raise _Transient(CUT_SHORT, error) from None
            return response

        return self.guard.send(method, url, request.headers, attempt)


def guarded_requests_session(guard: RequestGuard) -> requests.Session:
    session = requests.Session()
    adapter = GuardedRequestsAdapter(guard)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class GuardedHTTPXTransport(httpx.BaseTransport):
    """`httpx` side: what the overlay client and our own checks send goes through here."""

    def __init__(self, guard: RequestGuard, inner: httpx.BaseTransport | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        method, url = request.method, str(request.url)

        def attempt() -> httpx.Response:
            try:
                response = self.inner.handle_request(request)
            except httpx.TimeoutException as error:
                raise _Transient(TIMED_OUT, error) from None
            except httpx.ConnectError as error:
                raise _Transient(REFUSED, error) from None
            except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
                raise _Transient(DROPPED, error) from None
            try:
                response.read()
            except httpx.TimeoutException as error:
                response.close()
                raise _Transient(TIMED_OUT, error) from None
            except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
                response.close()
                raise _Transient(CUT_SHORT, error) from None
            return response

        return self.guard.send(method, url, request.headers, attempt)

    def close(self) -> None:
        self.inner.close()
