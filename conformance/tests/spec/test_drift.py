"""The drift walker names each way a body departs from a spec by the schema it is in, and finds nothing in what
the spec allows."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock import Dataset, served_job
from llamacloud_conformance.spec import drift, snapshots
from llamacloud_conformance.spec.document import JOBS_PATH, RUNS_PATH, Spec

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _page(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "next_page_token": None, "total_size": len(items)}


def _found(spec: Spec, body: Any, path: str = JOBS_PATH, status: int = 200) -> set[str]:
    return {d.headline() for d in drift.body(spec, spec.operation(path), path, status, body)}


@pytest.mark.parametrize("name", snapshots.names())
@SETTINGS
@given(seed=st.integers(0, 10_000))
def test_generated_data_has_no_drift_from_its_own_snapshot(name: str, seed: int) -> None:
    data = Dataset.generate(seed=seed, jobs=20, runs=5, snapshot=name)
    spec = data.spec
    expanded = [served_job(job, spec.operation(JOBS_PATH).expandable, snapshot=name) for job in data.jobs]  # type: ignore[union-attr]
    assert _found(spec, _page(expanded)) == set()
    if spec.operation(RUNS_PATH) is not None:
        assert _found(spec, list(data.runs), RUNS_PATH) == set()


def test_each_departure_is_named_by_its_schema() -> None:
    spec = Spec.load("2026-03-28")
    job = copy.deepcopy(Dataset.generate(seed=1, jobs=1, runs=0, snapshot="2026-03-28").jobs[0])
    job["file_input"] = job.pop("document_input_value")
    job["configuration"] = {"data_schema": {}, "tier": "agentic_plus", "version": "latest", "max_pages": 0}
    job["created_at"] = "yesterday"
    job["status"] = 3
    assert _found(spec, _page([job, job])) == {
        "missing required field: ExtractV2Job.document_input_value",
        "undeclared field: ExtractV2Job.file_input",
        "enum value outside the spec: ExtractConfiguration.tier ('agentic_plus')",
        "undeclared field: ExtractConfiguration.version",
        "invalid value: ExtractConfiguration.max_pages (0 is below the minimum 1)",
        "invalid value: ExtractV2Job.created_at ('yesterday' is not an RFC 3339 date-time)",
        "wrong type: ExtractV2Job.status (string expected, got integer)",
    }
    failing = {d.kind for d in drift.body(spec, spec.operation(JOBS_PATH), JOBS_PATH, 200, _page([job])) if d.failing}
    assert "undeclared field" not in failing


def test_error_bodies_are_checked_but_their_extra_fields_are_not_drift() -> None:
    spec = Spec.load()
    body = {"detail": [{"loc": ["query", "status"], "msg": "bad", "type": "enum", "input": "x", "ctx": {}}]}
    assert _found(spec, body, status=422) == set()
    assert _found(spec, {"detail": [{"loc": ["query"], "msg": "bad"}]}, status=422) == {
        "missing required field: ValidationError.type"
    }
    assert _found(spec, {"detail": "x"}, status=418) == {"undocumented status: 418"}
