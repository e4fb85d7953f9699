"""The schemathesis schema of one run: the snapshot's spec with its pagination links, aimed at the run's target
with the run's key, seed, examples and checks.

The plugin builds it once per run, when the server part is collected (schemathesis makes its tests from it at
collection), and hands it to that part's tests: the part's module holds no state of its own.
"""

from __future__ import annotations

import copy
from typing import Any

import schemathesis
from schemathesis.schemas import BaseSchema

from ..spec.document import Spec
from .context import RunContext, RunSettings

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


def build(ctx: RunContext) -> BaseSchema:
    """The run's schema; the checks it enables are recorded on the context, for the summary."""
    config = _config(ctx.settings)
    ctx.schemathesis_checks[:] = [name for name, check in config["checks"].items() if check["enabled"]]
    return schemathesis.openapi.from_dict(_with_pagination_link(ctx.spec), config=schemathesis.Config.from_dict(config))


def _config(run: RunSettings) -> dict[str, Any]:
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
    if run.read_only:  # coverage would otherwise send POST, PUT, DELETE, ... to a production deployment
        config["phases"] = {"coverage": {"unexpected-methods": []}}
    return config


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
