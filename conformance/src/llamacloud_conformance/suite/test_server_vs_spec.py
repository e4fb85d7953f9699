"""Server against spec: schemathesis generates requests from the spec, sends them, and checks the answers.

Every phase that has something to say about two GET list operations runs: the spec's examples, coverage
(boundary values, every enum value, missing and malformed parameters, and, against our own mock, the
methods the spec does not declare), fuzzing, and the stateful phase, which follows `next_page_token` into
`page_token` and so checks that the tokens the server issues are tokens it accepts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.generation.meta import negated_parameters

from ..spec.document import JOBS_PATH, RUNS_PATH, Spec
from .context import JOBS, RUNS, current

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "ignored_auth",
    "missing_required_header",
    "unsupported_method",
]


def _config() -> schemathesis.Config:
    run = current().settings
    config: dict[str, Any] = {
        "base-url": run.base_url,
        "seed": run.seed,
        "auth": {"openapi": {"HTTPBearer": {"bearer": run.api_key}}},
        "generation": {"max-examples": run.fuzz_examples},
        "checks": {name: {"enabled": name != "ignored_auth" or not run.read_only} for name in CHECKS},
        # Only the key is filtered from schemathesis' reports (the run redacts it too): its defaults would also
        # filter `page_token` and the generated `session` cookie, and its curl lines would not reproduce.
        "output": {
            "sanitization": {
                "enabled": True,
                "keys-to-sanitize": ["authorization", "proxy-authorization"],
                "sensitive-markers": ["authorization"],
            }
        },
    }
    # ignored_auth sends its probes outside the session it is given, so past the run's budget and pace: against a
    # deployment, `test_server_semantics.test_auth_is_enforced` checks the same within them.
    current().schemathesis_checks[:] = [n for n, c in config["checks"].items() if c["enabled"]]
    if run.read_only:  # coverage would otherwise send POST, PUT, DELETE, ... to a production deployment
        config["phases"] = {"coverage": {"unexpected-methods": []}}
    return schemathesis.Config.from_dict(config)


def _with_pagination_link(spec: Spec) -> dict[str, Any]:
    """The spec, plus the link its declarations imply: the next page token is the next request's page token,
    sent with the same filters (tokens belong to their listing). It is added here, for the stateful phase, and
    not in the spec itself, which stays as faithful to upstream as its fidelity tests prove it."""
    document = copy.deepcopy(dict(spec.document))
    for op in spec:
        token, size = op.page_parameter("token"), op.page_parameter("size")
        if token is None or op.listing.next_page_token is None:
            continue
        paging = {token.name, size.name if size else ""}
        same_filters = {
            p.name: f"$request.query.{p.name}" for p in op.parameters if p.location == "query" and p.name not in paging
        }
        operation = document["paths"][op.path]["get"]
        operation["responses"]["200"]["links"] = {
            "NextPage": {
                "operationId": op.operation_id,
                "parameters": {**same_filters, token.name: f"$response.body#/{op.listing.next_page_token}"},
            }
        }
    return document


def _wire_unfalsifiable(spec: Mapping[str, Any]) -> set[str]:
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

    return {
        p["name"]
        for item in spec["paths"].values()
        for op in item.values()
        for p in op.get("parameters", [])
        if p.get("in") == "query" and any_string(p["schema"])
    }


SPEC = current().spec
UNFALSIFIABLE = _wire_unfalsifiable(dict(SPEC.document))
schema = schemathesis.openapi.from_dict(_with_pagination_link(SPEC), config=_config())


def _token_refused(case: Case[Any], response: Any) -> bool:
    """An opaque page token the server never issued is rightly refused, though any string is schema-valid."""
    operation = SPEC.operation(case.path)
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


def _excused(case: Case[Any], response: Any) -> list[Any]:
    """The checks whose verdict on this case would be about schemathesis, not about the server."""
    excused = []
    mode = case.meta.generation.mode if case.meta is not None else None
    if mode is GenerationMode.POSITIVE and _token_refused(case, response):
        excused.append(positive_data_acceptance)
    negated = {name for name, _ in negated_parameters(case.meta)}
    if mode is GenerationMode.NEGATIVE and negated and negated <= UNFALSIFIABLE:
        excused.append(negative_data_rejection)
    return excused


def _call_and_check(case: Case[Any]) -> None:
    ctx = current()
    ctx.examples[f"{case.method.upper()} {case.path}"] += 1
    response = case.call(session=ctx.session)
    case.validate_response(
        response, excluded_checks=_excused(case, response), transport_kwargs={"session": ctx.session}
    )


# One test function per operation (not one parametrized over both): schemathesis leaves the operation out of
# its items' node ids, so two operations under one function would share a name in the JUnit report. An
# operation the snapshot does not declare gets no test here (its absence is the drift log's business).
if SPEC.operation(RUNS_PATH) is not None:

    @pytest.mark.endpoint(RUNS)
    @schema.include(path=RUNS_PATH).parametrize()
    @settings(deadline=None, suppress_health_check=list(HealthCheck))
    def test_runs_conform_to_spec(case: Case[Any]) -> None:
        _call_and_check(case)


if SPEC.operation(JOBS_PATH) is not None:

    @pytest.mark.endpoint(JOBS)
    @schema.include(path=JOBS_PATH).parametrize()
    @settings(deadline=None, suppress_health_check=list(HealthCheck))
    def test_jobs_conform_to_spec(case: Case[Any]) -> None:
        _call_and_check(case)


class _Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Pagination as a workflow: list, then follow `next_page_token` (see `_with_pagination_link`)."""

    def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
        current().examples[f"{case.method.upper()} {case.path}"] += 1
        return {"session": current().session}

    def validate_response(self, response: Any, case: Case[Any], additional_checks: Any = None, **kwargs: Any) -> None:
        case.validate_response(
            response,
            additional_checks=additional_checks,
            excluded_checks=_excused(case, response),
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


TestStatefulPagination = pytest.mark.endpoint(JOBS)(_Workflow.TestCase)
TestStatefulPagination.settings = settings(
    max_examples=max(current().settings.fuzz_examples // 5, 2),
    stateful_step_count=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
