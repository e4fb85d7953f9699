"""The data: deterministic, realistic, valid against the spec, and loadable record by record."""

from __future__ import annotations

import collections
from typing import Any

import pytest

from llamacloud_conformance.mock import Dataset
from llamacloud_conformance.mock.dataset import project_key
from llamacloud_conformance.spec.timestamps import parse_ns

GENERATED = Dataset.generate(seed=3, jobs=600, runs=120)


def test_same_seed_same_data_other_seed_other_data() -> None:
    again = Dataset.generate(seed=3, jobs=600, runs=120)
    assert again.jobs == GENERATED.jobs
    assert again.runs == GENERATED.runs
    assert again.projects == GENERATED.projects
    assert Dataset.generate(seed=4, jobs=600, runs=120).jobs != GENERATED.jobs


def test_counts_are_what_the_default_project_holds() -> None:
    assert len(GENERATED.select_jobs()) == 600
    assert len(GENERATED.select_runs()) == 120
    assert len(GENERATED.projects) == 3
    for project in GENERATED.projects[1:]:
        assert GENERATED.select_jobs(project.id)
        assert GENERATED.select_runs(project.id)
    assert GENERATED.projects[0].organization_id == GENERATED.projects[1].organization_id
    assert GENERATED.projects[2].organization_id != GENERATED.projects[0].organization_id


def test_every_record_is_valid_for_the_spec() -> None:
    jobs, runs = GENERATED.spec.component_validator("ExtractV2Job"), GENERATED.spec.component_validator("ExtractRun")
    for job in GENERATED.jobs:
        jobs.validate(job)
    for run in GENERATED.runs:
        runs.validate(run)


def test_ids_carry_the_real_prefixes() -> None:
    for job in GENERATED.jobs:
        assert job["id"].startswith("ext-")
        assert job["project_id"].startswith("prj-")
        assert job["document_input_value"][:4] in ("dfl-", "pjb-")
        assert job["configuration_id"] is None or job["configuration_id"].startswith("cfg-")
    assert {GENERATED.input_type(j["document_input_value"]) for j in GENERATED.jobs} == {"file_id", "parse_job_id"}


def test_the_data_covers_what_clients_must_handle() -> None:
    jobs = GENERATED.jobs
    assert {j["status"] for j in jobs} == {"PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"}
    assert {r["status"] for r in GENERATED.runs} == {"CREATED", "PENDING", "SUCCESS", "ERROR"}
    results = collections.Counter(type(j["extract_result"]).__name__ for j in jobs)
    assert results.keys() == {"dict", "list", "NoneType"}
    targets = {j["configuration"]["extraction_target"] for j in jobs if isinstance(j["extract_result"], list)}
    assert targets == {"per_page", "per_table_row"}
    assert all(j["error_message"] for j in jobs if j["status"] == "FAILED")
    assert any(j["configuration_id"] is None for j in jobs)
    assert any(j["configuration_id"] for j in jobs)
    assert any(j["metadata"] and set(j["metadata"]) - {"usage"} for j in jobs), "extra metadata keys"
    assert any(j["extract_metadata"] is None for j in jobs)
    assert any(j["extract_metadata"] for j in jobs)
    stamps = collections.Counter(parse_ns(j["created_at"]) for j in jobs)
    assert max(stamps.values()) > 1, "ties on created_at"
    assert any(r["created_at"] is None for r in GENERATED.runs)


def _job(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "ext-1",
        "project_id": "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "document_input_value": "dfl-1",
        "status": "COMPLETED",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    return {**base, **fields}


def test_from_records_keeps_exactly_the_records() -> None:
    jobs = [_job(id="ext-1"), _job(id="ext-2", created_at="2026-01-02T00:00:00+05:00")]
    dataset = Dataset.from_records(jobs=jobs)
    assert list(dataset.jobs) == jobs
    assert dataset.default_project_id == "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    assert [j["id"] for j in dataset.select_jobs()] == ["ext-2", "ext-1"]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (_job(status=None), r"jobs\[0\] \(id 'ext-1'\) is not a valid ExtractV2Job: status"),
        (_job(created_at="yesterday"), "created_at"),
        ({"id": "ext-1"}, "required"),
        ("ext-1", "not a dict"),
    ],
)
def test_from_records_names_the_bad_record(record: Any, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Dataset.from_records(jobs=[record])


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        Dataset.from_records(jobs=[_job(), _job()])
    with pytest.raises(ValueError, match="already in the dataset"):
        Dataset.from_records(jobs=[_job()]).with_records(jobs=[_job()])


def test_projects_come_from_the_records_and_organizations_can_be_given() -> None:
    run = GENERATED.select_runs()[0]
    org = "11111111-2222-4333-8444-555555555555"
    dataset = Dataset.from_records(
        jobs=[_job()], runs=[run], organizations={"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee": org}
    )
    assert [p.key for p in dataset.projects] == ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", run["file"]["project_id"]]
    assert dataset.projects[0].organization_id == org
    assert dataset.select_runs(run["file"]["project_id"]) == [run]
    assert Dataset.from_records().default_project_id.startswith("prj-")


def test_project_spellings_meet() -> None:
    key = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    assert project_key(f"prj-{key}") == project_key(key.upper()) == key
    assert project_key("my-project") == "my-project"
