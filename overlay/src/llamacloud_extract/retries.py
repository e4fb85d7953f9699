"""The retry rules: which failures are worth another try, how many tries, and how long to wait before each.

They are the official SDK's, `llama-cloud` 2.19.0 (`_base_client.py`: `_should_retry`,
`_parse_retry_after_header`, `_calculate_retry_timeout`; `_constants.py`), so that both clients treat a failing
server alike. Public, so that whatever else sends requests to the API (the conformance kit's request guard, a
caller's own tooling) can follow the same rules instead of restating them:

* a connection that fails or closes before a response, a timeout (`RETRYABLE_ERRORS`), and the statuses 408,
  409, 429 and every 5xx (`should_retry`) are retried, up to `DEFAULT_MAX_RETRIES` times unless told otherwise;
* the server's `x-should-retry: true|false` overrides the status;
* the wait (`retry_delay`) is the server's `retry-after-ms`, else `Retry-After` (seconds or an HTTP date), when
  it asks for more than 0 and at most `MAX_RETRY_AFTER` seconds; otherwise `INITIAL_RETRY_DELAY` doubling with
  each retry up to `MAX_RETRY_DELAY`, shortened by up to a quarter of random jitter, so that many clients that
  failed together do not all come back at once.

Headers may be any mapping (`httpx.Headers`, `requests`' headers, a plain dict): names are matched in any case.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Mapping

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RETRYABLE_ERRORS",
    "RETRYABLE_STATUSES",
    "backoff",
    "retry_after",
    "retry_delay",
    "should_retry",
]

DEFAULT_MAX_RETRIES = 5
"""Retries after the first attempt: the official SDK's `_constants.py` (its README says 2; its code does 5)."""
RETRYABLE_STATUSES = frozenset({408, 409, 429})
"""Statuses worth another try, besides every 5xx."""
RETRYABLE_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
"""httpx errors worth another try. Not retried: a malformed URL, an unsupported scheme, a proxy refusing us, a bug
on our side of the protocol; they fail the same way every time."""
INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry when the server does not say; read when a delay is computed."""
MAX_RETRY_DELAY = 8.0
"""The longest wait the backoff reaches."""
MAX_RETRY_AFTER = 60.0
"""The longest wait a server may ask for; a longer (or no positive) one is ignored for the backoff."""


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header `name` (lower case), whatever the case of the mapping's keys."""
    value = headers.get(name)
    if value is not None:
        return value
    return next((v for k, v in headers.items() if k.lower() == name), None)


def should_retry(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an answer with this status deserves another try. The server's `x-should-retry` header wins."""
    asked = _header(headers, "x-should-retry")
    if asked == "true":
        return True
    if asked == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asks to wait: `retry-after-ms`, else `Retry-After` as seconds or an HTTP date (one
    without a zone is read as UTC); None when it says nothing readable (`nan` and `inf` included). Not bounded:
    see `retry_delay`."""
    if not headers:
        return None
    for name, per_second in (("retry-after-ms", 1000), ("retry-after", 1)):
        value = _header(headers, name)
        if value is None:
            continue
        try:
            seconds = float(value) / per_second
        except ValueError:
            if per_second == 1:  # `Retry-After` may be an HTTP date instead
                parsed = email.utils.parsedate_tz(value)
                return None if parsed is None else email.utils.mktime_tz(parsed) - time.time()
            continue
        return seconds if math.isfinite(seconds) else None
    return None


def backoff(retries_taken: int) -> float:
    """The wait before retry number `retries_taken + 1` when the server does not choose: exponential, capped,
    less up to a quarter of jitter."""
    step = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_taken, 64), MAX_RETRY_DELAY)
    return step * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not cryptography


def retry_delay(retries_taken: int, headers: Mapping[str, str] | None) -> float:
    """How long to wait before retry number `retries_taken + 1`: what the server asks when it is in (0,
    `MAX_RETRY_AFTER`] seconds, else the `backoff`. `headers`: the failed answer's, None after a transport error."""
    asked = retry_after(headers)
    if asked is not None and 0 < asked <= MAX_RETRY_AFTER:
        return asked
    return backoff(retries_taken)
