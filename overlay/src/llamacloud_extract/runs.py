"""`client.runs`: List Extract Runs, `GET /api/v1/extractionv2/runs` (one bare JSON array, no pages).

Upstream deprecated this endpoint on 2025-03-12 and had removed it from LlamaCloud's API spec by 2025-05-01 (the
spec of those dates as vendored by run-llama/LlamaIndexTS). Against a server without it the 404 says so, and
what replaces it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, Literal, Unpack, overload

import httpx

from llamacloud_extract_api.api.llama_extract import list_extract_runs_api_v1_extractionv2_runs_get as _operation
from llamacloud_extract_api.models import ExtractRun

from . import _parsing
from ._drift import Found, Tally
from ._errors import NotFoundError, public_url
from ._filters import RUN_KEYWORDS, RUNS_PATH, RunFilters, shows, signature
from ._parameters import query
from ._sender import AsyncSender, SyncSender

__all__ = ["AsyncRuns", "RunFilters", "Runs"]

RawRun = dict[str, Any]

REMOVED = (
    f"the server has no GET {RUNS_PATH}: upstream deprecated this endpoint on 2025-03-12 and removed it in 2025 (it "
    "is gone from LlamaCloud's API spec by 2025-05-01). Its upstream replacement, GET /api/v1/extraction/runs, "
    "is not covered by this client; extraction jobs are listed by client.jobs.list() (GET /api/v2/extract)"
)
"""Why a 404 from this endpoint is to be expected today, and where to go instead."""

_SIGNATURE = signature(
    RunFilters,
    RUN_KEYWORDS.values(),
    last=[inspect.Parameter("raw", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=bool)],
)


def _request(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The generated operation's request, after checking each filter (UUIDs, as the spec declares)."""
    return _operation._get_kwargs(**query(RUN_KEYWORDS, filters, method="list"))


def _runs(response: httpx.Response, raw: bool, strict: bool) -> list[Any]:
    """The runs of a 200 response; a drift warning (see `_drift`) right away, pointing at the caller's call."""
    items = _parsing.array_items(response, _parsing.json_body(response))
    if raw:
        return _parsing.raw_items(response, items, "runs")
    found: Found | None = None if strict else []
    runs = _parsing.models(response, ExtractRun, items, "runs", found)
    if found:
        tally = Tally(response.request.method, public_url(response.request.url.copy_with(query=None)), "runs")
        tally.add(len(runs), found)
        tally.report(3)  # _runs, list, the caller
    return runs


def _gone(error: NotFoundError) -> NotFoundError:
    """The 404 of a server without the endpoint, saying why and what replaces it."""
    return NotFoundError(
        f"{error.message}; {REMOVED}",
        method=error.method,
        url=error.url,
        status_code=error.status_code,
        headers=error.headers,
        body=error.body,
    )


class Runs:
    """`client.runs`."""

    def __init__(self, sender: SyncSender) -> None:
        self._sender = sender

    @overload
    def list(self, *, raw: Literal[False] = ..., **filters: Unpack[RunFilters]) -> list[ExtractRun]: ...

    @overload
    def list(self, *, raw: Literal[True], **filters: Unpack[RunFilters]) -> list[RawRun]: ...

    @overload
    def list(self, *, raw: bool = ..., **filters: Unpack[RunFilters]) -> list[ExtractRun] | list[RawRun]: ...

    @shows(_SIGNATURE)
    def list(self, *, raw: bool = False, **filters: Unpack[RunFilters]) -> list[ExtractRun] | list[RawRun]:
        """The extraction runs matching the filters (all optional UUIDs), in the server's order.

        The v1 endpoint answers with the whole list at once. `raw=True` returns the JSON objects as dicts.
        Runs lacking a field the spec requires are kept, with one `SpecDriftWarning` per such field (strict
        mode raises instead). Upstream removed this endpoint in 2025: a server without it answers 404, raised
        as a `NotFoundError` that says so and names what replaces it.
        """
        try:
            response = self._sender.send(_request(filters))
        except NotFoundError as error:
            raise _gone(error) from error
        return _runs(response, raw, self._sender.config.strict)


class AsyncRuns:
    """`client.runs` on `AsyncExtractClient`."""

    def __init__(self, sender: AsyncSender) -> None:
        self._sender = sender

    @overload
    async def list(self, *, raw: Literal[False] = ..., **filters: Unpack[RunFilters]) -> list[ExtractRun]: ...

    @overload
    async def list(self, *, raw: Literal[True], **filters: Unpack[RunFilters]) -> list[RawRun]: ...

    @overload
    async def list(self, *, raw: bool = ..., **filters: Unpack[RunFilters]) -> list[ExtractRun] | list[RawRun]: ...

    @shows(_SIGNATURE)
    async def list(self, *, raw: bool = False, **filters: Unpack[RunFilters]) -> list[ExtractRun] | list[RawRun]:
        """The extraction runs matching the filters; see `Runs.list`."""
        try:
            response = await self._sender.send(_request(filters))
        except NotFoundError as error:
            raise _gone(error) from error
        return _runs(response, raw, self._sender.config.strict)
