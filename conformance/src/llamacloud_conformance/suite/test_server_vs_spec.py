"""Server against spec: schemathesis generates requests from the spec, sends them, and checks the answers.

Every phase that has something to say about two GET list operations runs: the spec's examples, coverage
(boundary values, every enum value, missing and malformed parameters, and, against our own mock, the
methods the spec does not declare), fuzzing, and the stateful phase, which follows `next_page_token` into
`page_token` and so checks that the tokens the server issues are tokens it accepts.

The schema is the run's (`schemathesis_schema.py`): the plugin parametrizes each test marked `cases_from_spec`
with the cases of its endpoint's operation when it collects it, and hands the schema to the stateful test as the
`openapi_schema` fixture. One test function per operation (not one parametrized over both): schemathesis leaves
the operation out of its items' node ids, so two operations under one function would share a name in the JUnit
report. An operation the snapshot does not declare has its test deselected (its absence is the drift log's
business).
"""

from __future__ import annotations

import unittest
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.failures import FailureGroup, as_reported_failure
from schemathesis.generation.meta import negated_parameters
from schemathesis.generation.stateful.state_machine import APIStateMachine
from schemathesis.schemas import BaseSchema

from ..spec.document import Spec
from .context import JOBS, RUNS, RunContext


def _wire_unfalsifiable(spec: Mapping[str, Any]) -> frozenset[str]:
    """Query parameters for which no request can be schema-violating once it is on the wire: every string is
    a valid value (or every list of strings, sent as repeated keys). A "negative" value schemathesis makes for
    one (`expand=x` where an array is declared) reaches the server as a valid one, so accepting it is right
    (schemathesis/schemathesis PR #3129 tracks the false positive)."""

    def any_string(schema: Mapping[str, Any]) -> bool:
        branches = schema.get("anyOf", [schema])
        kinds = [b.get("type") for b in branches]
        flat = {t for k in kinds for t in (k if isinstance(k, list) else [k])}
        plain = all(not (set(b) & {"format", "enum", "minLength", "maxLength", "pattern"}) for b in branches)
        items_ok = all(any_string(b["items"]) for b in branches if b.get("type") == "array" and "items" in b)
        return plain and items_ok and bool(flat & {"string", "array"}) and flat <= {"string", "array", "null"}

    return frozenset(
        p["name"]
        for item in spec["paths"].values()
        for op in item.values()
        for p in op.get("parameters", [])
        if p.get("in") == "query" and any_string(p["schema"])
    )


@attrs.frozen
class Judge:
    """Sends a case through the run's guard, and checks the answer, less the checks whose verdict on it would be
    about schemathesis, not about the server."""

    run: RunContext
    unfalsifiable: frozenset[str]

    @classmethod
    def of(cls, run: RunContext) -> Judge:
        return cls(run, _wire_unfalsifiable(dict(run.spec.document)))

    @property
    def spec(self) -> Spec:
        return self.run.spec

    def count(self, case: Case[Any]) -> None:
        self.run.examples[f"{case.method.upper()} {case.path}"] += 1

    def call_and_check(self, case: Case[Any]) -> None:
        self.count(case)
        response = case.call(session=self.run.session)
        case.validate_response(
            response, excluded_checks=self.excused(case, response), transport_kwargs={"session": self.run.session}
        )

    def excused(self, case: Case[Any], response: Any) -> list[Any]:
        excused = []
        mode = case.meta.generation.mode if case.meta is not None else None
        if mode is GenerationMode.POSITIVE and self._token_refused(case, response):
            excused.append(positive_data_acceptance)
        negated = {name for name, _ in negated_parameters(case.meta)}
        if mode is GenerationMode.NEGATIVE and negated and negated <= self.unfalsifiable:
            excused.append(negative_data_rejection)
        return excused

    def _token_refused(self, case: Case[Any], response: Any) -> bool:
        """An opaque page token the server never issued is rightly refused, though any string is schema-valid."""
        operation = self.spec.operation(case.path)
        token = operation.page_parameter("token") if operation is not None else None
        if token is None or response.status_code != 422 or not (case.query or {}).get(token.name):
            return False
        try:
            detail = response.json()["detail"]
        except (ValueError, KeyError, TypeError):
            return False
        return isinstance(detail, list) and any(
            isinstance(d, dict) and list(d.get("loc", []))[-1:] == [token.name] for d in detail
        )


@pytest.fixture(scope="module")
def judge(conformance: RunContext) -> Judge:
    return Judge.of(conformance)


@pytest.mark.endpoint(RUNS)
@pytest.mark.cases_from_spec
def test_runs_conform_to_spec(case: Case[Any], judge: Judge) -> None:
    judge.call_and_check(case)


@pytest.mark.endpoint(JOBS)
@pytest.mark.cases_from_spec
def test_jobs_conform_to_spec(case: Case[Any], judge: Judge) -> None:
    judge.call_and_check(case)


def _workflow(schema: BaseSchema, judge: Judge) -> type[APIStateMachine]:
    """Pagination as a workflow: list, then follow `next_page_token` (see `schemathesis_schema.py`)."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            judge.count(case)
            return {"session": judge.run.session}

        def validate_response(
            self, response: Any, case: Case[Any], additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=judge.excused(case, response),
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    return Workflow


@pytest.mark.endpoint(JOBS)
class TestStatefulPagination(unittest.TestCase):
    """A unittest case, as schemathesis' own state machine test is, so that the check keeps its name."""

    schema: BaseSchema
    judge: Judge

    @pytest.fixture(autouse=True)
    def _run(self, openapi_schema: BaseSchema, judge: Judge) -> None:
        self.schema, self.judge = openapi_schema, judge

    def runTest(self) -> None:  # unittest's name for the one check of a case
        part = settings()  # the part's profile, which the plugin loaded for this check
        scenarios = settings(part, max_examples=max(part.max_examples // 5, 2), stateful_step_count=4)
        try:
            _workflow(self.schema, self.judge).run(settings=scenarios)
        except FailureGroup as failures:  # reported as schemathesis' own state machine test reports it
            raise as_reported_failure(failures) from None
