"""A run whose request budget runs out is INCONCLUSIVE (exit 4), never a pass: the summary names the checks that
did not run and a budget that covers them, and that budget does."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from llamacloud_conformance.mock import Dataset, running_mock
from llamacloud_conformance.suite import costs
from llamacloud_conformance.suite.context import RunContext, RunSettings
from llamacloud_conformance.suite.plugin import ConformancePlugin
from llamacloud_conformance.suite.result import Result
from llamacloud_conformance.suite.verdict import Verdict, verdict

from live_runs import run_against

KEY = "budget-test-key"


def _run(server_url: str, report_dir: Path, budget: int) -> tuple[int, str]:
    code, summary, _ = run_against(server_url, KEY, report_dir, fuzz_examples=5, max_requests=budget)
    return code, summary


def test_a_budget_that_runs_out_is_inconclusive_and_the_estimate_covers_the_run(tmp_path: Path) -> None:
    with running_mock(dataset=Dataset.generate(seed=4, jobs=120, runs=12), api_key=KEY) as server:
        code, summary = _run(server.base_url, tmp_path / "short", 30)
        assert code == 4, summary
        assert "- verdict: **INCONCLUSIVE**" in summary
        assert "for lack of budget" in summary
        budget = summary.split("## Budget", 1)[1].split("\n## ", 1)[0]
        for check in ("test_jobs_conform_to_spec", "TestStatefulPagination::runTest", "test_jobs_newest_first"):
            assert f"| `{check}` |" in budget, budget
        suggested = int(re.search(r"`--max-requests (\d+)`", budget)[1])  # type: ignore[index]
        cases = ET.parse(tmp_path / "short" / "conformance-junit.xml").getroot().iter("testcase")  # noqa: S314
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert skipped
        assert all("request budget of 30" in (c.find("skipped").get("message") or "") for c in skipped)  # type: ignore[union-attr]

        code, summary = _run(server.base_url, tmp_path / "enough", suggested)
    assert code == 0, f"--max-requests {suggested} did not cover the run:\n{summary}"
    assert "- verdict: **PASS**" in summary
    assert "## Budget" not in summary


def _result(name: str, part: str = "server semantics", *, requests: int = 0, for_budget: bool = True) -> Result:
    outcome = "skipped" if for_budget else "passed"
    return Result(part, "both", name, outcome, "", (), for_budget=for_budget, requests=requests)


COSTS: costs.Costs = {
    "live": {
        "server semantics": {"test_a[1]": (3, 0), "test_a[2]": (8, 0), "test_b": (2, 0)},
        "server vs spec (schemathesis)": {"test_s": (40, 1.0)},
    }
}


def test_a_check_is_priced_by_its_measure_else_its_name_else_its_part() -> None:
    price = lambda r, e=10: costs.estimate(r, embedded=False, examples=e, costs=COSTS)  # noqa: E731
    assert price(_result("test_a[1]")) == 3
    assert price(_result("test_a[9]")) == 8  # a parameter the table lacks: the dearest of its name
    assert price(_result("test_new")) == 8  # a check the table lacks: the dearest of its part
    assert price(_result("test_s", "server vs spec (schemathesis)"), 25) == 65  # grows with --examples
    assert price(_result("test_b", requests=5)) == 5  # cut short after sending more than measured
    assert price(_result("test_x", "client vs server")) is None
    assert costs.estimate(_result("test_b"), embedded=True, examples=10, costs=COSTS) is None


def test_the_needed_budget_replaces_what_unfinished_checks_sent_by_their_estimates() -> None:
    results = [
        _result("test_b", requests=2, for_budget=False),
        _result("test_a[1]", requests=1),
        _result("test_new"),
        _result("test_x", "client vs server", requests=4),
    ]
    short = costs.shortfall(results, 10, embedded=False, examples=5, costs=COSTS)
    assert [(r.name, guess) for r, guess in short.unfinished] == [("test_a[1]", 3), ("test_new", 8), ("test_x", None)]
    assert short.needed == 10 - 1 + 3 + 8
    assert short.unknown == 1
    assert short.suggested == 30


def test_the_shipped_table_reads_and_prices_every_part() -> None:
    table = costs.load()
    assert set(table) == {"live", "embedded"}
    assert set(table["embedded"]) >= set(table["live"]) >= {"server vs spec (schemathesis)", "server semantics"}


CHECKS = """
import pytest
from llamacloud_conformance.guard import BudgetExhaustedError

pytestmark = pytest.mark.endpoint("GET /api/v2/extract")

@pytest.fixture(scope="module")
def listing():
    raise BudgetExhaustedError("used up while a fixture fetched its data")

def test_in_a_fixture(listing):
    pass

def test_in_a_group():
    raise ExceptionGroup("hypothesis", [ValueError("x"), BudgetExhaustedError("used up")])

def test_fine():
    pass
"""


@pytest.mark.parametrize("broken", [False, True])
def test_a_budget_used_up_anywhere_in_a_check_is_not_a_failure(tmp_path: Path, run_checks: Any, broken: bool) -> None:
    (tmp_path / f"test_checks_{broken}.py").write_text(
        CHECKS + ("\ndef test_broken():\n    assert 1 == 2\n" if broken else "")
    )
    settings = RunSettings(base_url="http://127.0.0.1:9", api_key="k", embedded=False, max_requests=5)
    ctx = RunContext(settings)
    plugin = ConformancePlugin(ctx)
    run_checks(tmp_path, plugin)
    outcomes = {r.name: (r.outcome, r.for_budget) for r in plugin.results}
    assert outcomes["test_in_a_fixture"] == ("skipped", True)
    assert outcomes["test_in_a_group"] == ("skipped", True)
    assert outcomes["test_fine"] == ("passed", False)
    assert verdict(plugin.results, ctx) is (Verdict.FAIL if broken else Verdict.INCONCLUSIVE)


def test_once_the_budget_is_used_up_only_checks_that_send_nothing_still_start() -> None:
    offline = "client vs spec", "test_client_reads_every_jobs_page_the_spec_allows"
    assert not costs.needs_requests(*offline, embedded=True)
    assert costs.needs_requests("server semantics", "test_jobs_newest_first", embedded=False)
    assert costs.needs_requests("a part the table lacks", "test_new", embedded=False)
