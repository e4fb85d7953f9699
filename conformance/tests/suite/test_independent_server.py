"""The suite judges a server it did not make: an independent FastAPI implementation of the 2026-08-20 shape
passes when the run is told that snapshot, and fails the default one with a Drift section that names how it
moved on (`file_input` for `document_input_value`, v1 gone) and says which snapshot it matches."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from llamacloud_conformance.mock.server import base_url_of, bind
from llamacloud_conformance.run import RunOptions, run

from independent_server import API_KEY, create_app


@pytest.fixture(scope="module")
def independent() -> Iterator[str]:
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield base_url_of(sock)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _run(base_url: str, snapshot: str, report_dir: Path) -> tuple[int, str, str]:
    options = RunOptions(
        base_url=base_url,
        api_key=API_KEY,
        snapshot=snapshot,
        max_requests=5000,
        rate_limit=10_000.0,
        fuzz_examples=8,
        report_dir=report_dir,
        parts=("server", "semantics"),
    )
    code = run(options)
    summary = (report_dir / "conformance-summary.md").read_text()
    junit = (report_dir / "conformance-junit.xml").read_text()
    return code, summary, junit


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
