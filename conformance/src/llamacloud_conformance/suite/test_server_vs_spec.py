"""Server against spec: schemathesis generates requests from the spec, sends them, and checks the answers.

Every phase that has something to say about two GET list operations runs: the spec's examples, coverage
(boundary values, every enum value, missing and malformed parameters, and, against our own mock, the
methods the spec does not declare), fuzzing, and the stateful phase, which follows `next_page_token` into
`page_token` and so checks that the tokens the server issues are tokens it accepts.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from ..mock.spec import load_spec
from .context import current

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
        "checks": {name: {"enabled": True} for name in CHECKS},
        "output": {"sanitization": {"enabled": True}},
    }
    if run.read_only:  # coverage would otherwise send POST, PUT, DELETE, ... to a production deployment
        config["phases"] = {"coverage": {"unexpected-methods": []}}
    return schemathesis.Config.from_dict(config)


schema = schemathesis.openapi.from_dict(load_spec(), config=_config())


def _token_refused(case: schemathesis.Case, response: Any) -> bool:
    """An opaque page_token the server never issued is rightly refused, though any string is schema-valid."""
    if response.status_code != 422 or not (case.query or {}).get("page_token"):
        return False
    try:
        detail = response.json()["detail"]
    except (ValueError, KeyError, TypeError):
        return False
    return isinstance(detail, list) and any(
        isinstance(d, dict) and list(d.get("loc", []))[-1:] == ["page_token"] for d in detail
    )


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_server_conforms_to_spec(case: schemathesis.Case) -> None:
    ctx = current()
    ctx.examples[f"{case.method.upper()} {case.path}"] += 1
    response = case.call(session=ctx.session)
    excluded = []
    if case.meta is not None and case.meta.generation.mode is GenerationMode.POSITIVE and _token_refused(case, response):
        excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded, transport_kwargs={"session": ctx.session})


class _Workflow(schema.as_state_machine()):  # type: ignore[misc]
    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        current().examples[f"{case.method.upper()} {case.path}"] += 1
        return {"session": current().session}


TestStatefulPagination = _Workflow.TestCase
TestStatefulPagination.settings = settings(
    max_examples=max(current().settings.fuzz_examples // 5, 2),
    stateful_step_count=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
