"""A server with transient faults is told from one that fails systematically: failed requests are retried as the
client retries them, a fault that goes away on retry is a flaky endpoint (its own finding, counted), not a
failed check, and a failure that comes back every time still fails the run, said to be reproduced."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from llamacloud_conformance.mock import Dataset, FaultRule, running_mock

from live_runs import run_against

KEY = "flaky-test-key"
# About 30 % of requests meet a fault: 5xx, 429, a dropped connection, a body cut short.
FLAKY = [
    FaultRule.status(503, rate=0.12, seed=1),
    FaultRule.status(500, rate=0.06, seed=2),
    FaultRule.status(429, rate=0.06, seed=3, retry_after="0.001"),
    FaultRule.drop(rate=0.06, seed=4),
    FaultRule.truncate(rate=0.06, seed=5),
]
pytestmark = pytest.mark.usefixtures("quick_retries")


def _run(faults: list[FaultRule], report_dir: Path, budget: int = 5_000) -> tuple[int, str, str]:
    with running_mock(dataset=Dataset.generate(seed=6, jobs=120, runs=12), api_key=KEY, faults=faults) as server:
        outcome = run_against(server.base_url, KEY, report_dir, fuzz_examples=5, max_requests=budget)
        log = server.request_log
    assert log
    return outcome


def test_transient_faults_are_ridden_out_and_reported_as_flaky_endpoints(tmp_path: Path) -> None:
    code, summary, junit = _run(FLAKY, tmp_path)
    assert code == 0, summary
    assert "- verdict: **PASS**" in summary
    flaky = summary.split("## Flaky endpoints", 1)[1].split("\n## ", 1)[0]
    assert "| GET /api/v2/extract |" in flaky
    for kind in ("503", "500", "429", "connection closed before a response", "body cut short"):
        assert kind in flaky, flaky
    root = ET.fromstring(junit)  # noqa: S314 - our own file
    cases = [c for c in root.iter("testcase") if c.get("classname") == "flaky"]
    assert {c.get("name", "").split(":")[0] for c in cases} >= {"GET /api/v2/extract"}
    assert all(c.find("failure") is None for c in cases)


def test_a_failure_that_comes_back_on_every_retry_fails_the_run_as_reproduced(tmp_path: Path) -> None:
    always = [FaultRule.status(502, path="/api/v1/extractionv2/runs")]  # one endpoint broken, the other fine
    code, summary, _ = _run(always, tmp_path)
    assert code == 1, summary
    assert "- verdict: **FAIL**" in summary
    assert "reproduced" in summary
    assert "502 on every one of 6 attempts" in summary


def test_retries_count_against_the_budget(tmp_path: Path) -> None:
    always = [FaultRule.status(503)]
    code, summary, _ = _run(always, tmp_path, budget=40)
    assert "requests sent: 40 of a budget of 40" in summary
    assert code == 1  # every check that ran met a 503 on each attempt: the server answers nothing else
