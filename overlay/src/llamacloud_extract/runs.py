"""`client.runs`: List Extract Runs, `GET /api/v1/extractionv2/runs` (one bare JSON array, no pages).

Upstream deprecated this endpoint on 2025-03-12 and had removed it from LlamaCloud's API spec by 2025-05-01 (the
spec of those dates as vendored by run-llama/LlamaIndexTS). Against a server without it the 404 says so, and
what replaces it.
"""

from __future__ import annotations

from typing import Any, Literal, overload
from uuid import UUID

import httpx

from llamacloud_extract_api.api.llama_extract import list_extract_runs_api_v1_extractionv2_runs_get as _operation
from llamacloud_extract_api.models import ExtractRun
from llamacloud_extract_api.types import UNSET

from . import _parsing
from ._drift import Found, Tally
from ._errors import NotFoundError, public_url
from ._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncRuns", "Runs"]

RawRun = dict[str, Any]

_PATH: str = _operation._get_kwargs()["url"]
REMOVED = (
    f"the server has no GET {_PATH}: upstream deprecated this endpoint on 2025-03-12 and removed it in 2025 (it "
    "is gone from LlamaCloud's API spec by 2025-05-01). Its upstream replacement, GET /api/v1/extraction/runs, "
    "is not covered by this client; extraction jobs are listed by client.jobs.list() (GET /api/v2/extract)"
)
"""Why a 404 from this endpoint is to be expected today, and where to go instead."""


def _request(extraction_agent_id: object, run_id: object, job_id: object) -> dict[str, Any]:
    """The generated operation's request, after checking that each id is a UUID, as the spec declares."""
    return _operation._get_kwargs(
        extraction_agent_id=_uuid("extraction_agent_id", extraction_agent_id),
        run_id=_uuid("run_id", run_id),
        job_id=_uuid("job_id", job_id),
    )


def _uuid(name: str, value: object) -> Any:
    if value is None:
        return UNSET
    if isinstance(value, UUID):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a UUID or a str, got {type(value).__name__}")
    try:
        return UUID(value)
    except ValueError:
        raise ValueError(f"{name} must be a UUID (the v1 API rejects anything else), got {value!r}") from None


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

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @overload
    def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = ...,
        run_id: str | UUID | None = ...,
        job_id: str | UUID | None = ...,
        raw: Literal[False] = ...,
    ) -> list[ExtractRun]: ...

    @overload
    def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = ...,
        run_id: str | UUID | None = ...,
        job_id: str | UUID | None = ...,
        raw: Literal[True],
    ) -> list[RawRun]: ...

    @overload
    def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = ...,
        run_id: str | UUID | None = ...,
        job_id: str | UUID | None = ...,
        raw: bool = ...,
    ) -> list[ExtractRun] | list[RawRun]: ...

    def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = None,
        run_id: str | UUID | None = None,
        job_id: str | UUID | None = None,
        raw: bool = False,
    ) -> list[ExtractRun] | list[RawRun]:
        """The extraction runs matching the filters (all optional UUIDs), in the server's order.

        The v1 endpoint answers with the whole list at once. `raw=True` returns the JSON objects as dicts.
        Runs lacking a field the spec requires are kept, with one `SpecDriftWarning` per such field (strict
        mode raises instead). Upstream removed this endpoint in 2025: a server without it answers 404, raised
        as a `NotFoundError` that says so and names what replaces it.
        """
        try:
            response = self._transport.send(_request(extraction_agent_id, run_id, job_id))
        except NotFoundError as error:
            raise _gone(error) from error
        return _runs(response, raw, self._transport.config.strict)


class AsyncRuns:
    """`client.runs` on `AsyncExtractClient`."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @overload
    async def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = ...,
        run_id: str | UUID | None = ...,
        job_id: str | UUID | None = ...,
        raw: Literal[False] = ...,
    ) -> list[ExtractRun]: ...

    @overload
    async def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = ...,
        run_id: str | UUID | None = ...,
        job_id: str | UUID | None = ...,
        raw: Literal[True],
    ) -> list[RawRun]: ...

    async def list(
        self,
        *,
        extraction_agent_id: str | UUID | None = None,
        run_id: str | UUID | None = None,
        job_id: str | UUID | None = None,
        raw: bool = False,
    ) -> list[ExtractRun] | list[RawRun]:
        """The extraction runs matching the filters; see `Runs.list`."""
        try:
            response = await self._transport.send(_request(extraction_agent_id, run_id, job_id))
        except NotFoundError as error:
            raise _gone(error) from error
        return _runs(response, raw, self._transport.config.strict)
