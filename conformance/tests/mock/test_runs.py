"""GET /api/v1/extractionv2/runs: the bare array, its three filters, project scoping."""

from __future__ import annotations

import httpx
import pytest

from llamacloud_conformance.mock import Dataset, MockServer
from llamacloud_conformance.mock.checks import spec_checked_client

PATH = "/api/v1/extractionv2/runs"


def test_lists_every_run_of_the_project_newest_first(client: httpx.Client, dataset: Dataset) -> None:
    got = client.get(PATH).json()
    expected = dataset.select_runs()
    assert got == expected
    assert len(got) == 60
    dated = [run["created_at"] for run in got if run["created_at"] is not None]
    assert dated == sorted(dated, reverse=True)
    assert any(run["created_at"] is None for run in got), "undated runs exist, and come last"
    assert got[-1]["created_at"] is None
    assert {run["status"] for run in got} == {"CREATED", "PENDING", "SUCCESS", "ERROR"}


@pytest.mark.parametrize("name", ["extraction_agent_id", "run_id", "job_id"])
def test_each_filter_filters_case_insensitively(client: httpx.Client, dataset: Dataset, name: str) -> None:
    source = {"extraction_agent_id": "extraction_agent_id", "run_id": "id", "job_id": "job_id"}[name]
    value = next(run[source] for run in dataset.select_runs() if run[source])
    expected = dataset.select_runs(**{name: value})
    assert expected
    assert client.get(PATH, params={name: value}).json() == expected
    assert client.get(PATH, params={name: value.upper()}).json() == expected
    if name != "run_id":
        assert len(expected) > 1 or name == "job_id"


def test_filters_combine(client: httpx.Client, dataset: Dataset) -> None:
    run = next(r for r in dataset.select_runs() if r["job_id"])
    params = {"extraction_agent_id": run["extraction_agent_id"], "job_id": run["job_id"], "run_id": run["id"]}
    assert client.get(PATH, params=params).json() == [run]
    params["run_id"] = "00000000-0000-4000-8000-000000000000"
    assert client.get(PATH, params=params).json() == []


@pytest.mark.parametrize("name", ["extraction_agent_id", "run_id", "job_id"])
@pytest.mark.parametrize(
    "bad", ["", "not-a-uuid", "ext-3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f6457174562b3fc2c963f66afa6"]
)
def test_non_uuid_filters_get_422(client: httpx.Client, name: str, bad: str) -> None:
    response = client.get(PATH, params={name: bad})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", name]
    assert error["type"] == "uuid_parsing"


def test_a_key_never_sees_another_projects_runs(server: MockServer, dataset: Dataset) -> None:
    foreign = dataset.select_runs(dataset.projects[1].id)
    assert foreign
    with spec_checked_client(server.base_url, "test-key") as mine:
        assert not {r["id"] for r in mine.get(PATH).json()} & {r["id"] for r in foreign}
        assert mine.get(PATH, params={"run_id": foreign[0]["id"]}).json() == []
    with spec_checked_client(server.base_url, "other-key") as theirs:
        assert theirs.get(PATH).json() == foreign
