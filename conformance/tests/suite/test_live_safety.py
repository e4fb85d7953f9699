"""A run against a deployment (here: a mock standing in for production) is read-only, within its budget,
and keeps the key out of everything it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from llamacloud_conformance.cli import main
from llamacloud_conformance.mock import Dataset, running_mock
from llamacloud_conformance.run import RunOptions, run

from live_runs import run_against

KEY = "live-safety-key-7f3a"
pytestmark = pytest.mark.usefixtures("quick_retries")  # a server that fails is retried: shortly, here


def test_a_live_run_only_reads_and_stays_within_budget(tmp_path: Path) -> None:
    with running_mock(dataset=Dataset.generate(seed=5, jobs=60, runs=5), api_key=KEY) as server:
        run_against(server.base_url, KEY, tmp_path, fuzz_examples=5, max_requests=60)
        log = server.request_log
    assert log, "the run sent nothing"
    assert {entry.method for entry in log} == {"GET"}
    assert len(log) <= 60
    summary = (tmp_path / "conformance-summary.md").read_text()
    assert "of a budget of 60" in summary
    for written in tmp_path.iterdir():
        assert KEY not in written.read_text(), f"the key leaked into {written.name}"


def test_a_live_run_without_a_key_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLAMA_CLOUD_API_KEY", raising=False)
    assert main(["run", "--base-url", "http://127.0.0.1:9", "--report-dir", str(tmp_path)]) == 2


def test_an_unreachable_target_or_a_refused_key_is_exit_3(tmp_path: Path) -> None:
    with running_mock(dataset=Dataset.generate(seed=5, jobs=5, runs=1), api_key=KEY) as server:
        refused = RunOptions(base_url=server.base_url, api_key="not-the-key", report_dir=tmp_path)
        assert run(refused) == 3
        url = server.base_url
    assert run(RunOptions(base_url=url, api_key=KEY, report_dir=tmp_path)) == 3  # the server is gone now
