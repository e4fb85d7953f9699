"""One budget, one pace and one origin for every request a conformance run sends.

A run against a production deployment must be safe whoever sends the request: schemathesis (through
`requests`), the overlay client (through `httpx`) or our own checks. So the rules live here, once, and thin
adapters put them in front of both HTTP libraries:

* only the target's origin is ever contacted, so the API key cannot leak to another host;
* a read-only run sends nothing but GET (schemathesis' coverage phase would otherwise try POST, PUT, DELETE);
* at most `max_requests` requests, and at most `rate_limit` a second;
* a 429 is waited out (its Retry-After, capped) and retried, instead of failing the check that met it.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import requests
from requests.adapters import HTTPAdapter

from .curl import curl_line

__all__ = [
    "BudgetExhaustedError",
    "GuardViolationError",
    "GuardedHTTPXTransport",
    "GuardedRequestsAdapter",
    "RequestGuard",
    "RequestPolicy",
    "guarded_requests_session",
]

DEFAULT_MAX_429_RETRIES = 4
MAX_429_WAIT = 30.0


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
    max_429_retries: int = DEFAULT_MAX_429_RETRIES

    @property
    def origin(self) -> tuple[str, str]:
        parts = urlsplit(self.base_url)
        return parts.scheme, parts.netloc


class Observer(Protocol):
    """Sees every response that comes back through the guard (what the drift report is made of)."""

    def __call__(
        self, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes, reproduce: str
    ) -> None: ...


@dataclass
class RequestGuard:
    """Admits requests under a `RequestPolicy`; shared by every adapter of one run (thread-safe)."""

    policy: RequestPolicy
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    observer: Observer | None = None
    sent: int = 0
    waited_429: int = 0
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

    def observe(
        self, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes, reproduce: str
    ) -> None:
        """Hand a response to the observer, if there is one."""
        if self.observer is not None:
            self.observer(method, url, status, headers, content, reproduce)

    def wait_after_429(self, headers: Mapping[str, str], attempt: int) -> bool:
        """Wait as a 429 asks and return True, or return False when this request has waited often enough."""
        if attempt >= self.policy.max_429_retries:
            return False
        delay = retry_after_seconds(headers)
        if delay is None:
            delay = min(0.5 * 2**attempt, 8.0)
        with self._lock:
            self.waited_429 += 1
        self.sleep(min(delay, MAX_429_WAIT))
        return True


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`retry-after-ms`, else `Retry-After` as seconds or an HTTP date; None when absent or unreadable."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if (ms := lowered.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


class GuardedRequestsAdapter(HTTPAdapter):
    """`requests` side: what schemathesis sends goes through here."""

    def __init__(self, guard: RequestGuard) -> None:
        super().__init__()
        self.guard = guard

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        attempt = 0
        while True:
            self.guard.admit(request.method or "GET", request.url or "")
            response = super().send(request, *args, **kwargs)
            if response.status_code != 429 or not self.guard.wait_after_429(response.headers, attempt):
                if self.guard.observer is not None:
                    reproduce = curl_line(request.method or "GET", request.url or "", request.headers.items())
                    self.guard.observe(
                        request.method or "GET", request.url or "", response.status_code, response.headers,
                        response.content, reproduce,
                    )  # fmt: skip
                return response
            response.close()
            attempt += 1


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
        attempt = 0
        while True:
            self.guard.admit(request.method, str(request.url))
            response = self.inner.handle_request(request)
            if response.status_code != 429 or not self.guard.wait_after_429(response.headers, attempt):
                if self.guard.observer is not None:
                    content = response.read()
                    reproduce = curl_line(request.method, str(request.url), request.headers.items())
                    self.guard.observe(
                        request.method, str(request.url), response.status_code, response.headers, content, reproduce
                    )
                return response
            response.read()
            response.close()
            attempt += 1

    def close(self) -> None:
        self.inner.close()
