"""The property the issue asks for: for random data, random filters and random page sizes, the pages of a
listing joined together are exactly the filtered, newest-first set (no gap, no repeat), over real HTTP, with the
items held as dicts and packed (the layout of big generated datasets)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock import Dataset, MockServer, running_mock, served_job
from llamacloud_conformance.mock.checks import spec_checked_client

PROJECTS = ["prj-aaaaaaaa-0000-4000-8000-000000000001", "prj-aaaaaaaa-0000-4000-8000-000000000002"]
STAMPS = [f"2026-03-0{d}T0{h}:00:00{z}" for d in (1, 2) for h in (0, 5) for z in ("Z", "+01:00")]
STATUSES = ["PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]
CONFIGS = [None, "cfg-1", "cfg-2"]
INPUTS = ["dfl-1", "dfl-2", "pjb-1", "other-1"]


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    count = draw(st.integers(0, 40))
    jobs = [
        {
            "id": f"ext-{draw(st.uuids())}",
            "project_id": draw(st.sampled_from(PROJECTS)),
            "configuration_id": draw(st.sampled_from(CONFIGS)),
            "document_input_value": draw(st.sampled_from(INPUTS)),
            "status": draw(st.sampled_from(STATUSES)),
            "configuration": draw(st.none() | st.just({"data_schema": {"type": "object"}})),
            "extract_metadata": draw(st.none() | st.just({"parse_job_id": "pjb-9"})),
            "created_at": draw(st.sampled_from(STAMPS)),  # few distinct instants: many ties
            "updated_at": "2026-03-09T00:00:00Z",
        }
        for _ in range(count)
    ]
    return Dataset.from_records(jobs=jobs, default_project_id=PROJECTS[0])


@st.composite
def filters(draw: st.DrawFn) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    if draw(st.booleans()):
        chosen["status"] = draw(st.sampled_from(STATUSES))
    if draw(st.booleans()):
        chosen["configuration_id"] = draw(st.sampled_from(["cfg-1", "cfg-2"]))
    if draw(st.booleans()):
        chosen["document_input_type"] = draw(st.sampled_from(["file_id", "parse_job_id"]))
    if draw(st.booleans()):
        chosen["document_input_value"] = draw(st.sampled_from(INPUTS))
    if draw(st.booleans()):
        chosen["created_at_on_or_after"] = draw(st.sampled_from(STAMPS))
    if draw(st.booleans()):
        chosen["created_at_on_or_before"] = draw(st.sampled_from(STAMPS))
    return chosen


@pytest.fixture(scope="module")
def blank_server() -> Iterator[MockServer]:
    with running_mock(Dataset.from_records(default_project_id=PROJECTS[0]), api_key="k") as server:
        yield server


@pytest.mark.parametrize("layout", ["dicts", "packed"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dataset=datasets(),
    chosen=filters(),
    page_size=st.integers(1, 6) | st.sampled_from([0, -1, 100, 10**6]),
    expand=st.lists(st.sampled_from(["configuration", "extract_metadata", "other"]), max_size=2),
    job_id_picks=st.none() | st.lists(st.integers(0, 60), max_size=5),
)
def test_pages_join_to_the_filtered_newest_first_set(
    blank_server: MockServer,
    layout: str,
    dataset: Dataset,
    chosen: dict[str, Any],
    page_size: int,
    expand: list[str],
    job_id_picks: list[int] | None,
) -> None:
    if job_id_picks is not None:
        everything = [job["id"] for job in dataset.jobs] + ["ext-nowhere"]
        chosen = {**chosen, "job_ids": [everything[i % len(everything)] for i in job_id_picks] or ["ext-nowhere"]}
    blank_server.use_dataset(dataset.packed() if layout == "packed" else dataset)
    expected = [served_job(job, expand) for job in dataset.select_jobs(**chosen)]
    got: list[dict[str, Any]] = []
    with spec_checked_client(blank_server.base_url, "k") as client:
        params: dict[str, Any] = {**chosen, "page_size": page_size, "expand": expand}
        page = client.get("/api/v2/extract", params=params).json()
        for _ in range(len(expected) + 2):
            got += page["items"]
            assert page["total_size"] == len(expected)
            if not page["next_page_token"]:
                break
            page = client.get("/api/v2/extract", params={**params, "page_token": page["next_page_token"]}).json()
    assert got == expected
