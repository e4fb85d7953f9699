"""`client.runs`: List Extract Runs, `GET /api/v1/extractionv2/runs` (one bare JSON array, no pages)."""

from __future__ import annotations

from typing import Any, Literal, overload
from uuid import UUID

import httpx

from llamacloud_extract_api.api.llama_extract import list_extract_runs_api_v1_extractionv2_runs_get as _operation
from llamacloud_extract_api.models import ExtractRun
from llamacloud_extract_api.types import UNSET

from . import _parsing
from ._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncRuns", "Runs"]

RawRun = dict[str, Any]


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


def _runs(response: httpx.Response, raw: bool) -> list[Any]:
    items = _parsing.array_items(response, _parsing.json_body(response))
    if raw:
        return _parsing.raw_items(response, items, "runs")
    return _parsing.models(response, ExtractRun, items, "runs")


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
        """
        response = self._transport.send(_request(extraction_agent_id, run_id, job_id))
        return _runs(response, raw)


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
        response = await self._transport.send(_request(extraction_agent_id, run_id, job_id))
        return _runs(response, raw)
