"""The pytest plugin of a conformance run: it is how the run reaches the suite, and how the suite's outcomes reach
the Markdown summary (pytest itself writes the JUnit file).

It holds the run's context (`RunContext`) and gives it to the suite the ways pytest offers, so that no module of
the suite keeps any state of its own and two runs in one process never see each other's target or snapshot:

* fixtures, for what tests use when they run: `conformance` (the context) and `openapi_schema` (the run's
  schemathesis schema);
* the config (`run_context(config)`), for the modules' `pytest_generate_tests`, which parametrize from the
  snapshot's spec;
* at collection, a test marked `cases_from_spec` is parametrized with schemathesis' cases of its endpoint's
  operation, from the run's schema (schemathesis makes its tests when it collects them, and its lazy loader,
  `schemathesis.pytest.from_fixture`, cannot stand in: with pytest 9.2 it fails on a node attribute pytest
  removed, it reports each operation as a subtest of its own, and it has no state machine);
* Hypothesis settings profiles, one per part (`parts.py`), registered from `--examples` and loaded while the
  part's checks run, for the checks that build their Hypothesis tests as they run.

Every test must say which endpoint it checks, `@pytest.mark.endpoint(LABEL)`: the summary groups checks by it,
and a test of an operation the snapshot lacks is deselected (neither run nor counted, as a skip would be).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

from ..guard import BudgetExhaustedError
from ..spec.document import Operation
from . import parts
from .context import ENDPOINTS, RunContext
from .result import Result

if TYPE_CHECKING:
    from schemathesis.schemas import BaseSchema

ENDPOINT = "endpoint"
CASES_FROM_SPEC = "cases_from_spec"
PLUGIN: pytest.StashKey[ConformancePlugin] = pytest.StashKey()
PROFILE = "llamacloud-conformance"

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


def run_context(config: pytest.Config) -> RunContext:
    """The run the suite is collected for (what a module's `pytest_generate_tests` reads)."""
    return config.stash[PLUGIN].context


def endpoint_of(node: pytest.Item) -> str | None:
    """The endpoint a test (or a test function being parametrized) says it checks, or None."""
    marker = node.get_closest_marker(ENDPOINT)
    return str(marker.args[0]) if marker is not None and marker.args else None


def operation_of(run: RunContext, endpoint: str | None) -> Operation | None:
    """The snapshot's operation of that endpoint, None when the snapshot lacks it."""
    return next((op for op in run.spec if op.label == endpoint), None)


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


def _marks(obj: object) -> list[pytest.Mark]:
    """The marks decorators put on a test function, before pytest collects it."""
    return list(getattr(obj, "pytestmark", []))


class ConformancePlugin:
    def __init__(self, context: RunContext) -> None:
        self.context = context
        self.results: list[Result] = []
        self._endpoints: dict[str, str] = {}
        self._for_budget: set[str] = set()  # node ids skipped or cut short for lack of budget
        self._sent_before = 0  # the guard's count when the current check began
        self._schema: BaseSchema | None = None
        self._outer_profile: str | None = None

    # ---- the run, handed to the suite ---------------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", f"{ENDPOINT}(label): the operation a check is about (required)")
        config.addinivalue_line(
            "markers", f"{CASES_FROM_SPEC}: parametrized with schemathesis' cases of its endpoint's operation"
        )
        config.stash[PLUGIN] = self
        self._outer_profile = settings.get_current_profile_name()
        examples = self.context.settings.fuzz_examples
        base = settings(  # over the profile in force (a `ci` profile's derandomize, say), as before
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),  # a check of an API is not failed for slow data generation
        )
        settings.register_profile(PROFILE, base)
        for part in parts.PARTS:
            settings.register_profile(self._profile(part.name), base, max_examples=part.max_examples(examples))
        settings.load_profile(PROFILE)  # what schemathesis builds its tests with, at collection

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._outer_profile is not None:
            settings.load_profile(self._outer_profile)

    @staticmethod
    def _profile(part: str) -> str:
        return f"{PROFILE}-{part}"

    # Class methods that find the run in the config: pytest deprecates a fixture method bound to an instance
    # beyond the function scope.
    @pytest.fixture(scope="session")
    @classmethod
    def conformance(cls, request: pytest.FixtureRequest) -> RunContext:
        return run_context(request.config)

    @pytest.fixture(scope="session")
    @classmethod
    def openapi_schema(cls, request: pytest.FixtureRequest) -> BaseSchema:
        return request.config.stash[PLUGIN]._openapi_schema()

    def _openapi_schema(self) -> BaseSchema:
        if self._schema is None:
            from .schemathesis_schema import build  # only the server part needs schemathesis

            self._schema = build(self.context)
        return self._schema

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makeitem(self, collector: pytest.Module | pytest.Class, name: str, obj: object) -> Any:
        """A test marked `cases_from_spec` becomes schemathesis' test of its endpoint's operation, made from the
        run's schema; the collection goes on with it as schemathesis' own `parametrize()` leaves it."""
        marks = _marks(obj)
        if not any(m.name == CASES_FROM_SPEC for m in marks) or not collector.istestfunction(obj, name):
            return None
        operation = operation_of(self.context, next((str(m.args[0]) for m in marks if m.name == ENDPOINT), None))
        if operation is None:
            return None  # collected as it is, then deselected with the other checks of a missing operation
        cases = self._openapi_schema().include(path=operation.path, method=operation.method).parametrize()(obj)
        cases.pytestmark = [m for m in marks if m.name != CASES_FROM_SPEC]
        return collector.ihook.pytest_pycollect_makeitem(collector=collector, name=name, obj=cases)

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """Refuse a test that does not say which endpoint it checks, or names none of the API's; leave out the
        tests of operations the snapshot lacks."""
        kept: list[pytest.Item] = []
        missing: list[pytest.Item] = []
        for item in items:
            endpoint = endpoint_of(item)
            if endpoint not in ENDPOINTS:
                said = "says no endpoint" if endpoint is None else f"names {endpoint!r}, not an endpoint"
                raise pytest.UsageError(
                    f"{item.nodeid} {said}: mark it @pytest.mark.endpoint(...) with one of {', '.join(ENDPOINTS)}"
                )
            self._endpoints[item.nodeid] = endpoint
            (kept if operation_of(self.context, endpoint) is not None else missing).append(item)
        if missing:
            config.hook.pytest_deselected(items=missing)
            items[:] = kept

    # ---- each check -----------------------------------------------------------------------------------------

    def _budget_used_up(self) -> str:
        return f"the request budget of {self.context.settings.max_requests} is used up"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, object, object]:
        """Count the requests each check sends (its setup, call and teardown): the summary estimates a budget
        from them, and the JUnit file gives each test case a `requests` property. The check's part's Hypothesis
        profile is loaded meanwhile."""
        self._sent_before, first = self.context.guard.sent, len(self.results)
        self.context.flaky.current = (parts.title_of(item.nodeid), item.nodeid.split("::", 1)[-1])
        part = parts.part_of(item.nodeid)
        settings.load_profile(self._profile(part.name) if part is not None else PROFILE)
        try:
            return (yield)
        finally:
            settings.load_profile(PROFILE)
            spent = self.context.guard.sent - self._sent_before
            self.results[first:] = [replace(r, requests=spent) for r in self.results[first:]]

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Once the budget is used up, a check that needs requests is not started (it would only be cut short,
        and hypothesis would spend a while shrinking the error); one that needs none still runs."""
        budget = self.context.settings.max_requests
        if budget is None or self.context.guard.sent < budget:
            return
        from . import costs  # the table is read only when the budget has run out

        part, name = parts.title_of(item.nodeid), item.nodeid.split("::", 1)[-1]
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
                part=parts.title_of(report.nodeid),
                endpoint=self._endpoints.get(report.nodeid, "both"),
                name=report.nodeid.split("::", 1)[-1],
                outcome=outcome,
                message=text,
                reproduce=reproductions(text),
                for_budget=report.skipped and report.nodeid in self._for_budget,
            )
        )
