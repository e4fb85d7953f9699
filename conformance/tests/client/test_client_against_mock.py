"""The overlay client against the stateful mock server, over real sockets on 127.0.0.1.

These tests live here, not in overlay/tests, because they import llamacloud_conformance; they skip until the
mock (`llamacloud_conformance.mock`) is installed beside the overlay.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from llamacloud_conformance import mock
from llamacloud_extract import (
    APIConnectionError,
    AsyncExtractClient,
    AuthenticationError,
    ExtractClient,
    ExtractV2Job,
    UnprocessableEntityError,
)

API_KEY = "client-test-key"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with mock.running_mock(dataset=mock.Dataset.generate(seed=1, jobs=500, runs=50), api_key=API_KEY) as running:
        yield running


@pytest.fixture
def client(server: Any) -> Iterator[ExtractClient]:
    server.clear_faults()
    server.clear_request_log()
    with ExtractClient(api_key=API_KEY, base_url=server.base_url) as made:
        made._sender.sleep = lambda seconds: None  # retries without waiting
        yield made


def ids(jobs: list[dict[str, Any]]) -> list[str]:
    return [job["id"] for job in jobs]


def test_every_job_newest_first_across_pages(client: ExtractClient, server: Any) -> None:
    listed = list(client.jobs.list(page_size=37))
    assert all(isinstance(job, ExtractV2Job) for job in listed)
    assert [job.id for job in listed] == ids(server.dataset.select_jobs())
    pages = [entry for entry in server.request_log if entry.path == "/api/v2/extract"]
    assert all(entry.params.get("page_size") == ["37"] for entry in pages)


def test_filters_and_raw_mode(client: ExtractClient, server: Any) -> None:
    since = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    listed = list(client.jobs.list(status="COMPLETED", created_at_on_or_after=since, page_size=50, raw=True))
    assert ids(listed) == ids(server.dataset.select_jobs(status="COMPLETED", created_at_on_or_after=since))
    assert all(isinstance(job, dict) for job in listed)


def test_expand_fills_the_configuration(client: ExtractClient, server: Any) -> None:
    first = next(iter(client.jobs.list(expand=["configuration"], limit=1)))
    expected = server.dataset.select_jobs()[0]
    assert first.id == expected["id"]
    if expected.get("configuration") is not None:
        assert first.configuration is not None


def test_parallel_equals_serial_on_the_mock(client: ExtractClient, server: Any) -> None:
    jobs = server.dataset.select_jobs()
    oldest = datetime.datetime.fromisoformat(jobs[-1]["created_at"])
    serial = [job.id for job in client.jobs.list(created_at_on_or_after=oldest, page_size=20)]
    parallel = [job.id for job in client.jobs.list(created_at_on_or_after=oldest, page_size=20, parallel=5)]
    assert serial == parallel == ids(server.dataset.select_jobs(created_at_on_or_after=oldest))


def test_a_listing_survives_injected_failures(client: ExtractClient, server: Any) -> None:
    server.set_faults(
        [
            mock.FaultRule.status(503, count=2),
            mock.FaultRule.status(429, retry_after=0, count=1),
            mock.FaultRule.drop(count=1),
        ]
    )
    assert [job.id for job in client.jobs.list(page_size=100)] == ids(server.dataset.select_jobs())


def test_resume_from_a_saved_token(client: ExtractClient, server: Any) -> None:
    pages = client.jobs.list(page_size=60).pages()
    first = next(pages)
    pages.close()  # type: ignore[attr-defined]
    rest = [job.id for job in client.jobs.list(page_size=60, page_token=first.next_page_token)]
    assert [job.id for job in first.items] + rest == ids(server.dataset.select_jobs())


def test_runs(client: ExtractClient, server: Any) -> None:
    runs = client.runs.list()
    assert [str(run.id) for run in runs] == [run["id"] for run in server.dataset.select_runs()]


def test_a_wrong_key_is_an_authentication_error(server: Any) -> None:
    with ExtractClient(api_key="wrong", base_url=server.base_url) as client, pytest.raises(AuthenticationError):
        client.runs.list()


def test_a_rejected_parameter_is_a_422_with_details(client: ExtractClient) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        list(client.jobs.list(project_id="not-a-project-and-not-a-uuid"))
    assert caught.value.body is not None


def test_a_dropped_connection_every_time_is_a_connection_error(client: ExtractClient, server: Any) -> None:
    server.set_faults([mock.FaultRule.drop()])
    with pytest.raises(APIConnectionError):
        client.runs.list()


def test_the_async_client_lists_the_same(server: Any) -> None:
    async def listing() -> list[str]:
        async with AsyncExtractClient(api_key=API_KEY, base_url=server.base_url) as client:
            return [job.id async for job in client.jobs.list(page_size=45)]

    server.clear_faults()
    assert asyncio.run(listing()) == ids(server.dataset.select_jobs())
