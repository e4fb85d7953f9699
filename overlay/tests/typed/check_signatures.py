"""What type checkers make of the listings' signatures (`**arguments: Unpack[...]` with overloads on `raw`): read
by mypy in `nox -s typecheck`, never run. Each `type: ignore` marks a call that must stay an error: mypy --strict
reports an ignore that no longer silences anything, so a signature that stops catching it fails the session."""

from __future__ import annotations

import datetime
from typing import Any, assert_type

from llamacloud_extract import (
    AsyncExtractClient,
    AsyncPager,
    ExtractClient,
    ExtractJobStatus,
    ExtractRun,
    ExtractV2Job,
    SyncPager,
)
from llamacloud_extract.jobs import JobFilters, JobListArguments
from llamacloud_extract.runs import RunFilters


def listings(client: ExtractClient, flag: bool) -> None:
    assert_type(client.jobs.list(), SyncPager[ExtractV2Job])
    assert_type(client.jobs.list(raw=True), SyncPager[dict[str, Any]])
    assert_type(client.jobs.list(raw=flag), SyncPager[ExtractV2Job] | SyncPager[dict[str, Any]])
    since = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    assert_type(
        client.jobs.list(status="FAILED", created_at_on_or_after=since, file_input="dfl-1", limit=3, parallel=2),
        SyncPager[ExtractV2Job],
    )
    client.jobs.list(status=ExtractJobStatus.COMPLETED, job_ids=("ext-1",), expand=["usage"], read_ahead=False)
    filters: JobFilters = {"status": "COMPLETED", "job_ids": ["ext-1"]}
    client.jobs.list(**filters, page_size=50)
    arguments: JobListArguments = {"project_id": "prj-1", "page_size": 50, "read_ahead": False}
    client.jobs.list(**arguments, raw=True)
    assert_type(client.runs.list(raw=True), list[dict[str, Any]])
    run_filters: RunFilters = {"run_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
    assert_type(client.runs.list(**run_filters), list[ExtractRun])


def refused(client: ExtractClient) -> None:
    client.jobs.list(status="DONE")  # type: ignore[call-overload]
    client.jobs.list(colour="red")  # type: ignore[call-overload]
    client.jobs.list(created_at_on_or_after="2026-03-01")  # type: ignore[call-overload]
    client.jobs.list(job_ids=[1])  # type: ignore[list-item]
    client.runs.list(colour="red")  # type: ignore[call-overload]


async def asynchronously(client: AsyncExtractClient, flag: bool) -> None:
    assert_type(client.jobs.list(raw=True), AsyncPager[dict[str, Any]])
    assert_type(client.jobs.list(status="PENDING"), AsyncPager[ExtractV2Job])
    assert_type(await client.runs.list(raw=True), list[dict[str, Any]])
    assert_type(await client.runs.list(raw=flag), list[ExtractRun] | list[dict[str, Any]])
    client.jobs.list(status="DONE")  # type: ignore[call-overload]
