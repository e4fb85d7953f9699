"""`ExtractClient` and `AsyncExtractClient`: configuration, one connection pool, and the two resources."""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Self

import httpx

from . import _config
from ._sender import AsyncSender, SyncSender, default_async_sleep
from .jobs import AsyncJobs, Jobs
from .retries import DEFAULT_MAX_RETRIES
from .runs import AsyncRuns, Runs


class ExtractClient:
    """The LlamaCloud extraction API, synchronously.

    Arguments (all keyword-only and optional), named as in the official `llama-cloud` SDK:
    `api_key` (else `LLAMA_CLOUD_API_KEY`, else `LLAMA_PARSE_API_KEY`; none at all raises `ConfigurationError`
    here, not a 401 later), `base_url` (else `LLAMA_CLOUD_BASE_URL`, else the US host) or `region="eu"`,
    `timeout` (seconds or an `httpx.Timeout`; default 60 s with 5 s to connect, or the timeout you set on your
    `http_client`), `max_retries` (default 5, `DEFAULT_MAX_RETRIES`; which failures are retried and how long
    each wait is: `llamacloud_extract.retries`), `default_headers` (added to every request, after those of
    `LLAMA_CLOUD_CUSTOM_HEADERS`), `http_client` (your own `httpx.Client`, which the client then never closes),
    `strict` (default False: an item lacking a field the spec requires is read anyway and reported with a
    `SpecDriftWarning`, so that a server newer than the spec keeps working; True raises
    `ResponseValidationError` for it, naming the item and the field).

    Use it as a context manager, or call `close()`, to release the connection pool.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        strict: bool = False,
    ) -> None:
        config = _config.resolve(
            api_key=api_key,
            base_url=base_url,
            region=region,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client_timeout=http_client.timeout if http_client is not None else None,
            strict=strict,
        )
        self._sender = SyncSender(config, http_client, time.sleep)
        self.jobs = Jobs(self._sender)
        self.runs = Runs(self._sender)

    @property
    def base_url(self) -> str:
        return self._sender.config.base_url

    @property
    def max_retries(self) -> int:
        return self._sender.config.max_retries

    def close(self) -> None:
        """Close the connection pool (unless it belongs to the `http_client` you passed)."""
        self._sender.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    @property
    def strict(self) -> bool:
        return self._sender.config.strict

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"


class AsyncExtractClient:
    """The LlamaCloud extraction API on asyncio; the arguments are `ExtractClient`'s (`http_client` is an
    `httpx.AsyncClient`). Use it with `async with`, or `await client.close()`."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        strict: bool = False,
    ) -> None:
        config = _config.resolve(
            api_key=api_key,
            base_url=base_url,
            region=region,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client_timeout=http_client.timeout if http_client is not None else None,
            strict=strict,
        )
        self._sender = AsyncSender(config, http_client, default_async_sleep)
        self.jobs = AsyncJobs(self._sender)
        self.runs = AsyncRuns(self._sender)

    @property
    def base_url(self) -> str:
        return self._sender.config.base_url

    @property
    def max_retries(self) -> int:
        return self._sender.config.max_retries

    async def close(self) -> None:
        """Close the connection pool (unless it belongs to the `http_client` you passed)."""
        await self._sender.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def strict(self) -> bool:
        return self._sender.config.strict

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"
