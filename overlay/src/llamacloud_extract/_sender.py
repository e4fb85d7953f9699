"""Sending one request: the generated module builds it, this module sends it, retries it by the rules of
`retries`, and turns failures into the package's exceptions.

The generated `sync_detailed` functions are not used, for three reasons (openapi-python-client 0.29.1's endpoint
and client templates; `overlay/tests/test_generated_weak_spots.py` shows each on the generated code): they give
`httpx` per-request cookies (a DeprecationWarning on every call), they call `HTTPStatus(code)` (a ValueError on a
499 or a 520) and they neither retry nor time out. Only their `_get_kwargs` is used, so the query string stays
derived from the spec.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from . import _limits
from ._config import Config
from ._errors import APIConnectionError, APITimeoutError, LlamaCloudError, public_url, status_error, transport_failure
from .retries import RETRYABLE_ERRORS, retry_delay, should_retry

log = logging.getLogger("llamacloud_extract")


class _Attempts:
    """The bookkeeping one logical request shares between the sync and async send loops."""

    def __init__(self, config: Config, method: str, url: str) -> None:
        self.config = config
        self.method = method
        self.url = url
        self.taken = 0

    def left(self) -> bool:
        return self.taken < self.config.max_retries

    def next_delay(self, headers: Mapping[str, str] | None, why: str) -> float:
        delay = retry_delay(self.taken, headers)
        self.taken += 1
        log.info(
            "%s %s: %s; retry %d of %d in %.2f s",
            self.method,
            self.url,
            why,
            self.taken,
            self.config.max_retries,
            delay,
        )
        return delay

    def give_up(self, exc: httpx.TransportError) -> APIConnectionError:
        """The error to raise. It is raised `from None` when the original may quote the request's headers (see
        `transport_failure`), so that no traceback shows it either."""
        tries = f" after {self.taken + 1} attempts" if self.taken else ""
        kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        if kind is APITimeoutError:
            what = "timed out"
        elif isinstance(exc, httpx.LocalProtocolError):
            what = "could not be sent"
        else:
            what = "could not connect"
        message = f"{self.method} {self.url} {what}{tries} ({transport_failure(exc)})"
        return kind(message, method=self.method, url=self.url)


def _request(client: httpx.Client | httpx.AsyncClient, config: Config, kwargs: Mapping[str, Any]) -> httpx.Request:
    """The httpx request for a generated module's `_get_kwargs(...)` result.

    The `cookies` entry is dropped: the only cookie the spec declares is the dashboard's `session`, which an
    API-key client never sends, and passing it per request is what httpx deprecates.
    """
    timeout: Any = config.timeout if config.timeout is not None else httpx.USE_CLIENT_DEFAULT
    try:
        return client.build_request(
            kwargs["method"],
            config.base_url + kwargs["url"],
            params=kwargs.get("params"),
            headers=config.headers,
            timeout=timeout,
        )
    except httpx.InvalidURL as exc:  # the listings check their own values first; this is what gets past them
        where = f"{kwargs['method'].upper()} {kwargs['url']}"
        _limits.check_query(kwargs, where)
        raise LlamaCloudError(f"{where}: the request cannot be sent (InvalidURL: {exc})") from None


class SyncSender:
    """Sends requests with a `httpx.Client`: its own, or the caller's (which it then never closes)."""

    def __init__(self, config: Config, http_client: httpx.Client | None, sleep: Callable[[float], None]) -> None:
        self.config = config
        self.owns_client = http_client is None
        self.client = http_client if http_client is not None else httpx.Client(timeout=config.timeout)
        self.sleep = sleep

    def send(self, kwargs: Mapping[str, Any]) -> httpx.Response:
        """The 2xx response to the request; anything else raises after the retries the policy allows."""
        request = _request(self.client, self.config, kwargs)
        attempts = _Attempts(self.config, request.method, public_url(request.url))
        while True:
            try:
                response = self.client.send(request)
            except RETRYABLE_ERRORS as exc:
                if not attempts.left():
                    raise attempts.give_up(exc) from exc
                self.sleep(attempts.next_delay(None, type(exc).__name__))
                continue
            except httpx.LocalProtocolError as exc:
                raise attempts.give_up(exc) from None
            except httpx.TransportError as exc:
                raise attempts.give_up(exc) from exc
            log.debug("%s %s -> %d", attempts.method, attempts.url, response.status_code)
            if response.is_success:
                return response
            if attempts.left() and should_retry(response.status_code, response.headers):
                response.close()
                self.sleep(attempts.next_delay(response.headers, f"status {response.status_code}"))
                continue
            raise status_error(response)

    def close(self) -> None:
        if self.owns_client:
            self.client.close()


class AsyncSender:
    """The asyncio twin of `SyncSender`, line for line."""

    def __init__(
        self, config: Config, http_client: httpx.AsyncClient | None, sleep: Callable[[float], Awaitable[None]]
    ) -> None:
        self.config = config
        self.owns_client = http_client is None
        self.client = http_client if http_client is not None else httpx.AsyncClient(timeout=config.timeout)
        self.sleep = sleep

    async def send(self, kwargs: Mapping[str, Any]) -> httpx.Response:
        """The 2xx response to the request; anything else raises after the retries the policy allows."""
        request = _request(self.client, self.config, kwargs)
        attempts = _Attempts(self.config, request.method, public_url(request.url))
        while True:
            try:
                response = await self.client.send(request)
            except RETRYABLE_ERRORS as exc:
                if not attempts.left():
                    raise attempts.give_up(exc) from exc
                await self.sleep(attempts.next_delay(None, type(exc).__name__))
                continue
            except httpx.LocalProtocolError as exc:
                raise attempts.give_up(exc) from None
            except httpx.TransportError as exc:
                raise attempts.give_up(exc) from exc
            log.debug("%s %s -> %d", attempts.method, attempts.url, response.status_code)
            if response.is_success:
                return response
            if attempts.left() and should_retry(response.status_code, response.headers):
                await response.aclose()
                await self.sleep(attempts.next_delay(response.headers, f"status {response.status_code}"))
                continue
            raise status_error(response)

    async def close(self) -> None:
        if self.owns_client:
            await self.client.aclose()


def default_async_sleep(seconds: float) -> Awaitable[None]:
    return asyncio.sleep(seconds)
