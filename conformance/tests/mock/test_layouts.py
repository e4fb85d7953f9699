"""The two layouts of a dataset's items give the same answers: dicts (what tests write and read) and packed (what
a big generated dataset is, so that a million jobs fit in memory). For random data, random filters drawn by
their declared meaning, random page sizes and `expand`, at every shipped snapshot, a server of each layout
answers with the same bytes, page after page: items, totals and page tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock import Dataset, MockServer, running_mock
from llamacloud_conformance.mock.table import PackedItems, encode
from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import JOBS_PATH, Operation, Spec

from meaning_queries import STAMPS, queries

SECRET = b"the same secret, so the same tokens"
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def _jobs(spec: Spec) -> Operation:
    operation = spec.operation(JOBS_PATH)
    assert operation is not None
    return operation


HOME = "prj-aaaaaaaa-0000-4000-8000-000000000001"
"""The default project of every dataset here, so that one key sees each example's data."""


@pytest.fixture(scope="module", params=snapshots.names())
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[MockServer, MockServer]]:
    """Two servers of one snapshot with one token secret: the first serves dicts, the second packed items."""
    blank = Dataset.from_records(default_project_id=HOME, snapshot=request.param)
    with (
        running_mock(blank, api_key="k", token_secret=SECRET) as plain,
        running_mock(blank, api_key="k", token_secret=SECRET) as packed,
    ):
        yield plain, packed


@st.composite
def data(draw: st.DrawFn, snapshot: str) -> Dataset:
    """Generated jobs moved to HOME (the other projects' stay where they are), sometimes crowded onto a few
    instants (many ties for the keyset order to break)."""
    generated = Dataset.generate(
        seed=draw(st.integers(0, 2**32)), jobs=draw(st.integers(0, 120)), runs=0, snapshot=snapshot, packed=False
    )
    project_by = _jobs(generated.spec).listing.project_by
    assert len(project_by) == 1, "a job names its project at its top level"
    instants = draw(st.none() | st.lists(st.sampled_from(STAMPS), min_size=1, max_size=3))
    jobs = []
    for job in generated.jobs:
        moved = {**job, project_by[0]: HOME} if job[project_by[0]] == generated.default_project_id else dict(job)
        if instants is not None:
            moved["created_at"] = draw(st.sampled_from(instants))
        jobs.append(moved)
    return Dataset.from_records(jobs, default_project_id=HOME, snapshot=snapshot)


def _walk(server: MockServer, params: dict[str, Any], token_name: str, limit: int) -> list[bytes]:
    """The bodies of every page of a listing, as they came."""
    bodies = []
    with httpx.Client(base_url=server.base_url, headers={"Authorization": "Bearer k"}) as client:
        for _ in range(limit):
            response = client.get(JOBS_PATH, params=params)
            assert response.status_code == 200, response.text
            bodies.append(response.content)
            token = response.json()["next_page_token"]
            if not token:
                break
            params = {**params, token_name: token}
    return bodies


def test_both_layouts_serve_the_same_bytes(pair: tuple[MockServer, MockServer]) -> None:
    plain_server, packed_server = pair
    snapshot = plain_server.snapshot
    operation = _jobs(Spec.load(snapshot))
    size, token, expand = (
        operation.page_parameter("size"),
        operation.page_parameter("token"),
        operation.expand_parameter(),
    )
    assert size is not None
    assert token is not None
    assert expand is not None

    @SETTINGS
    @given(st.data())
    def listing(draws: st.DataObject) -> None:
        plain = draws.draw(data(snapshot))
        packed = plain.packed()
        assert isinstance(packed.jobs, PackedItems)
        plain_server.use_dataset(plain)
        packed_server.use_dataset(packed)
        query = draws.draw(queries(operation, plain))
        params = {
            **query,
            size.name: draws.draw(st.integers(1, 30) | st.sampled_from([0, 100])),
            expand.name: draws.draw(st.lists(st.sampled_from([*operation.expandable, "junk"]), max_size=3)),
        }
        expected = plain.select_jobs(**query)
        assert packed.select_jobs(**query) == expected
        limit = len(expected) + 2
        bodies = _walk(plain_server, params, token.name, limit)
        assert _walk(packed_server, params, token.name, limit) == bodies, f"{snapshot} {params}"
        listed = [item["id"] for body in bodies for item in json.loads(body)["items"]]
        assert listed == [job["id"] for job in expected]

    listing()


@pytest.mark.parametrize("snapshot", snapshots.names())
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32), jobs=st.integers(0, 200))
def test_generating_packed_makes_the_same_records(snapshot: str, seed: int, jobs: int) -> None:
    plain = Dataset.generate(seed=seed, jobs=jobs, runs=5, snapshot=snapshot, packed=False)
    packed = Dataset.generate(seed=seed, jobs=jobs, runs=5, snapshot=snapshot, packed=True)
    assert isinstance(packed.jobs, PackedItems)
    assert sorted(packed.jobs, key=lambda job: job["id"]) == sorted(plain.jobs, key=lambda job: job["id"])
    assert packed.runs == plain.runs
    assert packed.projects == plain.projects
    for project in plain.projects:
        assert packed.select_jobs(project.id) == plain.select_jobs(project.id)
        assert (
            packed.count(JOBS_PATH, project.id)
            == plain.count(JOBS_PATH, project.id)
            == len(plain.select_jobs(project.id))
        )


def test_a_packed_record_reads_back_as_it_was() -> None:
    """Expandable fields the record leaves out stay out, null ones stay null, and a slice reads like a tuple."""
    jobs = [
        {
            "id": f"ext-{n}",
            "project_id": "prj-aaaaaaaa-0000-4000-8000-000000000001",
            "document_input_value": "dfl-1",
            "status": "COMPLETED",
            "created_at": f"2026-03-0{n}T00:00:00Z",
            "updated_at": "2026-03-09T00:00:00Z",
            "extract_result": {"total": 2**70, "vendor": "Ünïcode\u2028"},
            **(
                {"configuration": None}
                if n == 1
                else {"configuration": {"data_schema": {"type": "object"}}}
                if n == 2
                else {}
            ),
        }
        for n in (1, 2, 3)
    ]
    packed = Dataset.from_records(jobs=jobs).packed()
    newest_first = jobs[::-1]
    assert list(packed.jobs) == newest_first
    assert packed.jobs == tuple(newest_first)
    assert packed.jobs[-1] == jobs[0]
    assert packed.jobs[1:] == newest_first[1:]
    with pytest.raises(IndexError):
        packed.jobs[3]


def test_encode_writes_what_json_writes() -> None:
    values = [{"a": [1, 2.5, None, True, "é\u2028\x00"], "big": 2**70, "small": -(2**63)}, 0.1 + 0.2, 1e16, "😀"]
    for value in values:
        assert encode(value) == json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    assert json.loads(encode(1e-05)) == 1e-05  # spelled 0.00001: the same number


def test_records_added_to_a_packed_dataset_keep_it_packed() -> None:
    plain = Dataset.generate(seed=5, jobs=30, runs=0, packed=False)
    newest = plain.select_jobs()[0]
    extra = [{**newest, "id": "ext-added", "created_at": "2030-01-01T00:00:00Z"}]
    grown = plain.packed().with_records(jobs=extra)
    assert isinstance(grown.jobs, PackedItems)
    assert grown.select_jobs() == plain.with_records(jobs=extra).select_jobs()
    assert grown.select_jobs()[0]["id"] == "ext-added"
