"""The pytest plugin of a conformance run: it hands the run's context to the tests and keeps each test's
outcome for the Markdown summary (pytest itself writes the JUnit file)."""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, replace

import pytest

from ..guard import BudgetExhaustedError
from .context import ENDPOINTS, JOBS, RUNS, RunContext

# A curl line in a failure: schemathesis prints its reproduction inside an exception group's frame
# (`  |     curl -X GET ...`), the suite's own checks in their assertion message (pytest's `E     curl ...`, or
# after the problem: `E   AssertionError: 500: curl ...`). It runs to the end of its line.
_CURL = re.compile(r"(?:^(?:E\s|[\s|+])*|: )(curl -.*)$", re.MULTILINE)
# schemathesis filters the key's header; the reader's shell has the key in its environment, as ours do.
_FILTERED_KEY = re.compile(r"""-H '(?:Proxy-)?Authorization: \[Filtered\]'""", re.IGNORECASE)


def reproductions(text: str) -> tuple[str, ...]:
    """The curl lines of a failure's report, once each, runnable as printed."""
    lines = (
        _FILTERED_KEY.sub('-H "Authorization: Bearer $LLAMA_CLOUD_API_KEY"', m.strip()) for m in _CURL.findall(text)
    )
    return tuple(dict.fromkeys(lines))


@dataclass(frozen=True)
class Result:
    part: str  # the module: server, semantics, client-spec, client-server
    endpoint: str  # "GET /api/v2/extract", "GET /api/v1/extractionv2/runs", or "both"
    name: str
    outcome: str  # passed, failed, skipped
    message: str  # the failure (or the reason for a skip), secrets redacted later
    reproduce: tuple[str, ...]  # curl lines found in the failure
    for_budget: bool = False  # skipped, or cut short, because the request budget was used up
    requests: int = 0  # requests the check sent (its setup, call and teardown), through the run's guard


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether `kind` is anywhere in `error`: its causes, its context, or an exception group's members."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return True
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return False


def _endpoint_of(item: pytest.Item) -> str:
    marker = item.get_closest_marker("endpoint")
    if marker is not None:
        return str(marker.args[0])
    found = [e for e in ENDPOINTS if e.split()[1] in item.name]
    if found:
        return found[0]
    if "runs" in item.name:
        return RUNS
    if "jobs" in item.name:
        return JOBS
    return "both"


PART_LABELS = {
    "test_server_vs_spec": "server vs spec (schemathesis)",
    "test_server_semantics": "server semantics",
    "test_client_vs_spec": "client vs spec",
    "test_client_vs_server": "client vs server",
}


def _part_of(nodeid: str) -> str:
    module = nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
    return PART_LABELS.get(module, module)


class ConformancePlugin:
    def __init__(self, context: RunContext) -> None:
        self.context = context
        self.results: list[Result] = []
        self._endpoints: dict[str, str] = {}
        self._for_budget: set[str] = set()  # node ids skipped or cut short for lack of budget
        self._sent_before = 0  # the guard's count when the current check began

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "endpoint(label): the operation a check is about")
        config.addinivalue_line("markers", "embedded_only: needs the embedded mock (controlled data, faults)")

    @pytest.fixture
    def conformance(self) -> RunContext:
        return self.context

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self._endpoints[item.nodeid] = _endpoint_of(item)
            if item.get_closest_marker("embedded_only") and not self.context.settings.embedded:
                item.add_marker(pytest.mark.skip(reason="needs the embedded mock server (controlled data)"))

    def _budget_used_up(self) -> str:
        return f"the request budget of {self.context.settings.max_requests} is used up"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, object, object]:
        """Count the requests each check sends (its setup, call and teardown): the summary estimates a budget
        from them, and the JUnit file gives each test case a `requests` property."""
        self._sent_before, first = self.context.guard.sent, len(self.results)
        self.context.flaky.current = (_part_of(item.nodeid), item.nodeid.split("::", 1)[-1])
        try:
            return (yield)
        finally:
            spent = self.context.guard.sent - self._sent_before
            self.results[first:] = [replace(r, requests=spent) for r in self.results[first:]]

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Once the budget is used up, a check that needs requests is not started (it would only be cut short,
        and hypothesis would spend a while shrinking the error); one that needs none still runs."""
        budget = self.context.settings.max_requests
        if budget is None or self.context.guard.sent < budget:
            return
        from . import costs  # the table is read only when the budget has run out

        part, name = _part_of(item.nodeid), item.nodeid.split("::", 1)[-1]
        if costs.needs_requests(part, name, embedded=self.context.settings.embedded):
            self._for_budget.add(item.nodeid)
            pytest.skip(self._budget_used_up())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """A check cut short by the budget, in its fixtures or its body, did not find anything wrong: it is
        reported as not run, and the run as inconclusive."""
        report: pytest.TestReport = yield
        if call.when == "teardown":  # the JUnit writer reads the properties of the teardown report
            spent = self.context.guard.sent - self._sent_before
            report.user_properties = [*report.user_properties, ("requests", spent)]
        if call.excinfo is not None and report.failed and _caused_by(call.excinfo.value, BudgetExhaustedError):
            self._for_budget.add(item.nodeid)
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {self._budget_used_up()}")
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and not (report.failed or report.skipped):
            return
        if report.when == "teardown" and report.skipped:
            return
        text = ""
        if report.failed:
            text = report.longreprtext
        elif report.skipped and isinstance(report.longrepr, tuple):
            text = str(report.longrepr[2]).removeprefix("Skipped: ")
        outcome = "failed" if report.failed else "skipped" if report.skipped else "passed"
        self.results.append(
            Result(
                part=_part_of(report.nodeid),
                endpoint=self._endpoints.get(report.nodeid, "both"),
                name=report.nodeid.split("::", 1)[-1],
                outcome=outcome,
                message=text,
                reproduce=reproductions(text),
                for_budget=report.skipped and report.nodeid in self._for_budget,
            )
        )
