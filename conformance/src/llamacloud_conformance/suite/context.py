"""What one conformance run is aimed at, and the HTTP plumbing every part of the suite shares.

The runner builds a `RunContext` and hands it to pytest inside the run's plugin (`plugin.py`), which gives it to
the suite's tests as the `conformance` fixture and to their collection hooks: no module of the suite holds it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import requests

from .. import curl
from ..guard import GuardedHTTPXTransport, RequestGuard, RequestPolicy, guarded_requests_session
from ..spec.document import Operation, Spec
from .drift_log import DriftLog
from .flaky_log import FlakyLog

__all__ = ["RunContext", "RunSettings", "curl_line", "redact"]

JOBS = "GET /api/v2/extract"
RUNS = "GET /api/v1/extractionv2/runs"
ENDPOINTS = (RUNS, JOBS)


@dataclass(frozen=True)
class RunSettings:
    base_url: str
    api_key: str = field(repr=False)
    embedded: bool
    max_requests: int | None = None
    rate_limit: float | None = None
    seed: int = 1
    fuzz_examples: int = 25
    snapshot: str | None = None
    """The snapshot (or spec file) the target is checked against; None: the default snapshot."""
    admin_token: str | None = field(default=None, repr=False)
    """The embedded mock's admin token (its API under /_mock); None against a deployment."""

    @property
    def read_only(self) -> bool:
        """Anything but our own mock is treated as production: GET only."""
        return not self.embedded


@dataclass
class RunContext:
    settings: RunSettings
    examples: Counter[str] = field(default_factory=Counter)  # requests sent by schemathesis, per endpoint
    schemathesis_checks: list[str] = field(default_factory=list)  # the checks the server part enabled
    spec: Spec = field(init=False, repr=False)
    drift: DriftLog = field(init=False, repr=False)
    flaky: FlakyLog = field(init=False, repr=False)
    guard: RequestGuard = field(init=False)
    session: requests.Session = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.spec = Spec.load(s.snapshot)
        self.drift = DriftLog(self.spec, s.base_url)
        self.flaky = FlakyLog(s.base_url)
        policy = RequestPolicy(s.base_url, s.read_only, s.max_requests, s.rate_limit)
        self.guard = RequestGuard(policy, observer=self._observe, on_retry=self.flaky.record)
        self.session = guarded_requests_session(self.guard)

    def _observe(
        self, method: str, url: str, status: int, headers: Mapping[str, str], content: bytes, reproduce: str
    ) -> None:
        """Every final answer of the run: held against the snapshot, and counted per endpoint."""
        self.flaky.answered(method, url)
        self.drift.observe(method, url, status, headers, content, reproduce)

    def http_client(self, *, authenticated: bool = True) -> httpx.Client:
        """An httpx client for the target that goes through the run's guard."""
        headers = {"Authorization": f"Bearer {self.settings.api_key}"} if authenticated else {}
        return httpx.Client(
            base_url=self.settings.base_url,
            headers=headers,
            transport=GuardedHTTPXTransport(self.guard),
            timeout=httpx.Timeout(60.0, connect=5.0),
        )

    def admin_client(self) -> httpx.Client:
        """An httpx client for the embedded mock's admin API (its own token, not the API key), through the guard
        like every other request."""
        if self.settings.admin_token is None:
            raise RuntimeError("only the embedded mock has an admin API")
        return httpx.Client(
            base_url=self.settings.base_url,
            headers={"Authorization": f"Bearer {self.settings.admin_token}"},
            transport=GuardedHTTPXTransport(self.guard),
            timeout=httpx.Timeout(60.0, connect=5.0),
        )

    def operation(self, path: str) -> Operation:
        """The snapshot's operation at `path`. A check of one the snapshot lacks is deselected before it runs
        (`plugin.py`), so asking for it here is a mistake in the suite."""
        found = self.spec.operation(path)
        if found is None:
            raise LookupError(
                f"the {self.spec.name} snapshot has no GET {path}: its checks should have been deselected"
            )
        return found

    def close(self) -> None:
        self.session.close()


REDACTED = "[REDACTED]"
_WORD = "A-Za-z0-9_"


def redact(text: str, secret: str) -> str:
    """`text` with `secret` replaced by `[REDACTED]` wherever it stands as a value of its own: as written (a
    header, a body, a message), as a URL encodes it, and as a JSON string or a Python repr escapes it.

    A value of its own, not a piece of a longer word: a key `K` leaves `$LLAMA_CLOUD_API_KEY` alone, whereas
    `Bearer K`, `'K'`, `?key=K&`, `user:K@` and `b'K\\n'` are redacted. A key that is a whole word of the report
    (`GET`) hides that word too: an odd report is better than a leaked key."""
    if not secret:
        return text
    forms = {secret, quote(secret, safe=""), json.dumps(secret)[1:-1], repr(secret)[1:-1]}
    alternatives = []
    for form in sorted(forms, key=len, reverse=True):  # the longest first, so none is cut by a shorter one
        before = rf"(?<![{_WORD}])" if re.match(rf"[{_WORD}]", form[0]) else ""
        after = rf"(?![{_WORD}])" if re.match(rf"[{_WORD}]", form[-1]) else ""
        alternatives.append(before + re.escape(form) + after)
    return re.sub("|".join(alternatives), REDACTED, text)


def curl_line(request: httpx.Request) -> str:
    """A command that sends `request` again, with the key left to the caller's environment."""
    return curl.curl_line(request.method, str(request.url), request.headers.items())


def describe(response: httpx.Response) -> dict[str, Any]:
    """Enough of a response to judge a failure by, without the request's headers."""
    return {"status": response.status_code, "body": response.text[:500], "reproduce": curl_line(response.request)}
