"""The suite judges a server it did not make: an independent FastAPI implementation of the 2026-08-20 shape
passes when the run is told that snapshot, and fails the default one with a Drift section that names how it
moved on (`file_input` for `document_input_value`, v1 gone) and says which snapshot it matches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from llamacloud_conformance.mock.server import bind, in_thread

from independent_server import API_KEY, create_app
from live_runs import run_against


@pytest.fixture(scope="module")
def independent() -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", lifespan="off"))
    with in_thread(server, bind("127.0.0.1", 0), name="independent", what="the independent server") as base_url:
        yield base_url


def _run(base_url: str, snapshot: str, report_dir: Path) -> tuple[int, str, str]:
    return run_against(base_url, API_KEY, report_dir, fuzz_examples=8, snapshot=snapshot)


def test_an_independent_server_passes_the_snapshot_it_implements(independent: str, tmp_path: Path) -> None:
    code, summary, _ = _run(independent, "2026-08-20", tmp_path)
    assert code == 0, summary
    assert "No departure from the 2026-08-20 snapshot" in summary


def test_the_same_server_fails_the_seed_snapshot_with_the_drift_named(independent: str, tmp_path: Path) -> None:
    code, summary, junit = _run(independent, "2026-03-28", tmp_path)
    assert code == 1
    drift = summary.split("## Drift", 1)[1].split("\n## ", 1)[0]
    for named in (
        "missing required field | `ExtractV2Job.document_input_value`",
        "undeclared field (informational) | `ExtractV2Job.file_input`",
        "missing operation | `GET /api/v1/extractionv2/runs`",
        "enum value outside the spec | `ExtractConfiguration.tier`",
    ):
        assert named in drift, f"{named!r} not in the Drift section:\n{drift}"
    assert "Best match among the shipped snapshots, by the same responses: **2026-08-20**" in drift
    assert summary.index("## Drift") < summary.index("## GET"), "the Drift section opens the summary"
    first_case = junit.split("<testcase", 2)[1]
    assert 'classname="drift.2026-03-28"' in first_case, "the JUnit file opens with the drift findings"
