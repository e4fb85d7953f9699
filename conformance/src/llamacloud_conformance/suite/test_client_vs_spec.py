"""Client against spec, with no server: every response the spec allows, the client reads; every request the
client builds, the spec allows.

Responses are drawn from the spec's own schemas (every field, every nullable, every union branch, and keys the
spec does not declare) and handed to `llamacloud_extract` through `httpx.MockTransport`. The client must parse
each one and keep every value: what its models write back is the body it read, but for the documented
normalisation of date-times and UUIDs (`jsoncompare.same_json`). Requests go the other way: random valid
arguments, and the query the client sends must pass the spec's parameter validation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract import ExtractClient

from ..jsoncompare import same_json
from ..spec.document import JOBS_PATH, RUNS_PATH, Spec
from ..spec.query import compile_operation, validate_query
from ..strategies import from_schema
from .context import JOBS, RUNS, current

SPEC = Spec.load().document
EXAMPLES = max(current().settings.fuzz_examples * 4, 20)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
STATUSES = SPEC["components"]["schemas"]["ExtractJobStatus"]["enum"]


def _body_schema(path: str) -> dict[str, Any]:
    schema: dict[str, Any] = SPEC["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return schema


def _client(answer: Callable[[httpx.Request], httpx.Response]) -> ExtractClient:
    transport = httpx.MockTransport(answer)
    return ExtractClient(
        api_key="spec-check", base_url="http://spec.invalid", http_client=httpx.Client(transport=transport)
    )


def _json(body: Any) -> Callable[[httpx.Request], httpx.Response]:
    raw = json.dumps(body).encode()
    return lambda request: httpx.Response(200, content=raw, headers={"content-type": "application/json"})


@pytest.mark.endpoint(JOBS)
@SETTINGS
@given(body=from_schema(_body_schema(JOBS_PATH), root=SPEC))
def test_client_reads_every_jobs_page_the_spec_allows(body: dict[str, Any]) -> None:
    with _client(_json(body)) as client:
        page = next(iter(client.jobs.list(read_ahead=False).pages()))
        raw_page = next(iter(client.jobs.list(read_ahead=False, raw=True).pages()))
    same_json(body["items"], [job.to_dict() for job in page.items])
    assert raw_page.items == body["items"], "raw mode must give the items exactly as the server sent them"
    assert page.next_page_token == body.get("next_page_token"), "the page must carry the token as the server sent it"
    assert page.total_size == body.get("total_size")


@pytest.mark.endpoint(RUNS)
@SETTINGS
@given(body=from_schema(_body_schema(RUNS_PATH), root=SPEC))
def test_client_reads_every_runs_list_the_spec_allows(body: list[dict[str, Any]]) -> None:
    with _client(_json(body)) as client:
        runs = client.runs.list()
        raw = client.runs.list(raw=True)
    same_json(body, [run.to_dict() for run in runs])
    assert raw == body


def _aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
    return st.datetimes(min_value=dt.datetime(1971, 1, 2), max_value=dt.datetime(2999, 1, 1), timezones=offsets)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
JOB_ARGUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(STATUSES),
        "page_size": st.integers(1, 10_000),
        "page_token": _TEXT,
        "created_at_on_or_after": _aware_datetimes(),
        "created_at_on_or_before": _aware_datetimes(),
        "job_ids": st.lists(_TEXT, min_size=1, max_size=4),
        "expand": st.lists(st.sampled_from(["configuration", "extract_metadata"]) | _TEXT, min_size=1, max_size=3),
        "configuration_id": _TEXT,
        "document_input_type": st.sampled_from(["file_id", "parse_job_id"]) | _TEXT,
        "document_input_value": _TEXT,
        "project_id": st.uuids().map(str),
        "organization_id": st.uuids(),
    },
)


def _captured(call: Callable[[ExtractClient], Any], answer: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _json(answer)(request)

    with _client(record) as client:
        call(client)
    assert len(seen) == 1, f"expected one request, the client sent {len(seen)}"
    return seen[0]


def _assert_valid_query(path: str, request: httpx.Request) -> dict[str, Any]:
    spec = Spec.load()
    operation = spec.operation(path)
    assert operation is not None
    values, errors = validate_query(compile_operation(spec, operation), request.url.params.multi_items())
    assert not errors, f"the client sent a query the spec forbids: {request.url}\n{errors}"
    return values


@pytest.mark.endpoint(JOBS)
@SETTINGS
@given(arguments=JOB_ARGUMENTS)
def test_client_builds_jobs_queries_the_spec_allows(arguments: dict[str, Any]) -> None:
    empty: dict[str, Any] = {"items": [], "next_page_token": None, "total_size": 0}
    request = _captured(lambda c: list(c.jobs.list(read_ahead=False, **arguments)), empty)
    sent = _assert_valid_query(JOBS_PATH, request)
    for name, value in arguments.items():
        expected = [str(v) for v in value] if isinstance(value, list) else value
        if isinstance(value, dt.datetime):
            assert sent[name] is not None, f"{name} was not sent"
            continue  # the mock's converter gives its own instant type; the exact spelling is checked by validation
        if name in ("project_id", "organization_id"):
            assert str(sent[name]).lower() == str(value).lower(), f"{name}: sent {sent[name]!r}, given {value!r}"
            continue
        assert sent.get(name) == expected, f"{name}: sent {sent.get(name)!r}, given {value!r}"


@pytest.mark.endpoint(RUNS)
@SETTINGS
@given(
    arguments=st.fixed_dictionaries(
        {}, optional={"extraction_agent_id": st.uuids(), "run_id": st.uuids().map(str), "job_id": st.uuids()}
    )
)
def test_client_builds_runs_queries_the_spec_allows(arguments: dict[str, Any]) -> None:
    request = _captured(lambda c: c.runs.list(**arguments), [])
    sent = _assert_valid_query(RUNS_PATH, request)
    assert {k: str(v).lower() for k, v in sent.items()} == {k: str(v).lower() for k, v in arguments.items()}
