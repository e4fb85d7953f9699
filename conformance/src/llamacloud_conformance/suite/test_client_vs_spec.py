"""Client against spec, with no server: every response the snapshot's spec allows, the client reads; every
request the client builds, the spec allows; every parameter the spec declares, the client can send.

Responses are drawn from the spec's own schemas (every field, every nullable, every union branch, and keys the
spec does not declare) and handed to `llamacloud_extract` through `httpx.MockTransport`. The client must parse
each one and keep every value: what its models write back is the body it read, but for the documented
normalisation of date-times and UUIDs (`jsoncompare.same_json`) and the old names the client fills in for the
fields the API has renamed since the snapshot the client is made from. Against any other snapshot the client may
say so (a `SpecDriftWarning`), but only for a declared rename: a field the client needs that the snapshot does
not promise is a finding. Requests go the other way: random valid arguments, drawn from the snapshot's own
parameters, and the query the client sends must pass the spec's parameter validation.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import given, settings

from llamacloud_extract import ExtractClient, SpecDriftWarning
from llamacloud_extract.jobs import Jobs
from llamacloud_extract.renames import RENAMES
from llamacloud_extract.runs import Runs

from ..jsoncompare import same_json
from ..spec.document import JOBS_PATH, RUNS_PATH, Operation
from ..spec.meaning import Filter
from ..spec.query import compile_operation, validate_query
from ..strategies import from_schema
from .arguments import arguments, keywords, sendable
from .context import JOBS, RUNS, RunContext

# Each check builds its Hypothesis test as it runs, from the run's snapshot, under the check's own name (which
# Hypothesis' report of a failing case shows). Its settings are the part's profile, which the plugin loads
# meanwhile (`parts.py`: more examples than a part that sends requests can afford).


def _bodies(operation: Operation) -> Any:
    """Strategy: every 200 body the snapshot allows for the operation."""
    document = dict(operation.spec.document)
    schema = document["paths"][operation.path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return from_schema(schema, root=document)


def _client(answer: Callable[[httpx.Request], httpx.Response]) -> ExtractClient:
    transport = httpx.MockTransport(answer)
    return ExtractClient(
        api_key="spec-check", base_url="http://spec.invalid", http_client=httpx.Client(transport=transport)
    )


def _json(body: Any) -> Callable[[httpx.Request], httpx.Response]:
    raw = json.dumps(body).encode()
    return lambda request: httpx.Response(200, content=raw, headers={"content-type": "application/json"})


def _written_back(item: dict[str, Any], schema_name: str) -> dict[str, Any]:
    """What a model built from `item` writes back: the item, plus the old name of each field the API renamed
    since the client's snapshot, filled from its newer name."""
    expected = dict(item)
    for (model, old), new in RENAMES.items():
        if model == schema_name and old not in item and new in item:
            expected[old] = item[new]
    return expected


def _only_renames(operation: Operation, caught: list[warnings.WarningMessage]) -> None:
    for warning in caught:
        if isinstance(warning.message, SpecDriftWarning):
            assert warning.message.read_from is not None, (
                f"the client needs {warning.message.model}.{warning.message.field}, which the "
                f"{operation.spec.name} snapshot does not promise: {warning.message}"
            )


@pytest.mark.endpoint(JOBS)
def test_client_reads_every_jobs_page_the_spec_allows(conformance: RunContext) -> None:
    jobs = conformance.operation(JOBS_PATH)

    @settings(database=None)  # no saved example of another run (another snapshot) replayed
    @given(body=_bodies(jobs))
    def test_client_reads_every_jobs_page_the_spec_allows(body: dict[str, Any]) -> None:
        with warnings.catch_warnings(record=True) as caught, _client(_json(body)) as client:
            warnings.simplefilter("always")
            page = next(iter(client.jobs.list(read_ahead=False).pages()))
            raw_page = next(iter(client.jobs.list(read_ahead=False, raw=True).pages()))
        _only_renames(jobs, caught)
        same_json([_written_back(i, jobs.item_schema_name) for i in body["items"]], [j.to_dict() for j in page.items])
        assert raw_page.items == body["items"], "raw mode must give the items exactly as the server sent them"
        assert page.next_page_token == body.get("next_page_token"), (
            "the page must carry the token as the server sent it"
        )
        assert page.total_size == body.get("total_size")

    test_client_reads_every_jobs_page_the_spec_allows()


@pytest.mark.endpoint(RUNS)
def test_client_reads_every_runs_list_the_spec_allows(conformance: RunContext) -> None:
    runs = conformance.operation(RUNS_PATH)

    @settings(database=None)  # no saved example of another run (another snapshot) replayed
    @given(body=_bodies(runs))
    def test_client_reads_every_runs_list_the_spec_allows(body: list[dict[str, Any]]) -> None:
        with warnings.catch_warnings(record=True) as caught, _client(_json(body)) as client:
            warnings.simplefilter("always")
            listed = client.runs.list()
            raw = client.runs.list(raw=True)
        _only_renames(runs, caught)
        same_json([_written_back(i, runs.item_schema_name) for i in body], [run.to_dict() for run in listed])
        assert raw == body

    test_client_reads_every_runs_list_the_spec_allows()


def _captured(call: Callable[[ExtractClient], Any], answer: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _json(answer)(request)

    with _client(record) as client:
        call(client)
    assert len(seen) == 1, f"expected one request, the client sent {len(seen)}"
    return seen[0]


def _assert_valid_query(operation: Operation, request: httpx.Request) -> dict[str, Any]:
    spec = operation.spec
    values, errors = validate_query(compile_operation(spec, operation), request.url.params.multi_items())
    assert not errors, f"the client sent a query the {spec.name} spec forbids: {request.url}\n{errors}"
    return values


def _same_value(operation: Operation, name: str, given: Any, sent: Any) -> None:
    meaning = operation.parameter(name).meaning
    if isinstance(meaning, Filter) and meaning.kind == "one-of":  # a set of values: order and repeats mean nothing
        assert set(sent or ()) == {str(v) for v in given}, f"{name}: sent {sent!r}, given {given!r}"
    elif isinstance(given, dt.datetime):
        assert sent is not None, f"{name} was not sent"  # the exact spelling is checked by validation
    elif isinstance(given, UUID) or (isinstance(given, str) and isinstance(sent, str) and given.lower() == sent):
        assert str(sent).lower() == str(given).lower(), f"{name}: sent {sent!r}, given {given!r}"
    else:
        expected = [str(v) for v in given] if isinstance(given, list) else given
        assert sent == expected, f"{name}: sent {sent!r}, given {given!r}"


def _check_sendable(operation: Operation, method: Callable[..., Any]) -> None:
    unsendable = [p.name for p in sendable(operation) if p.name not in keywords(method)]
    assert not unsendable, (
        f"the client has no way to send {unsendable}, which the {operation.spec.name} snapshot declares "
        f"for {operation.label}: its users cannot filter by them"
    )


@pytest.mark.endpoint(JOBS)
def test_client_can_send_every_jobs_parameter(conformance: RunContext) -> None:
    _check_sendable(conformance.operation(JOBS_PATH), Jobs.list)


@pytest.mark.endpoint(RUNS)
def test_client_can_send_every_runs_parameter(conformance: RunContext) -> None:
    _check_sendable(conformance.operation(RUNS_PATH), Runs.list)


@pytest.mark.endpoint(JOBS)
def test_client_builds_jobs_queries_the_spec_allows(conformance: RunContext) -> None:
    jobs = conformance.operation(JOBS_PATH)
    listing = jobs.listing
    empty: dict[str, Any] = {
        listing.items or "items": [],
        **({listing.next_page_token: None} if listing.next_page_token else {}),
    }

    @settings(database=None)  # no saved example of another run (another snapshot) replayed
    @given(given=arguments(jobs, keywords(Jobs.list)))
    def test_client_builds_jobs_queries_the_spec_allows(given: dict[str, Any]) -> None:
        request = _captured(lambda c: list(c.jobs.list(read_ahead=False, **given)), empty)
        sent = _assert_valid_query(jobs, request)
        for name, value in given.items():
            _same_value(jobs, name, value, sent.get(name))

    test_client_builds_jobs_queries_the_spec_allows()


@pytest.mark.endpoint(RUNS)
def test_client_builds_runs_queries_the_spec_allows(conformance: RunContext) -> None:
    runs = conformance.operation(RUNS_PATH)

    @settings(database=None)  # no saved example of another run (another snapshot) replayed
    @given(given=arguments(runs, keywords(Runs.list)))
    def test_client_builds_runs_queries_the_spec_allows(given: dict[str, Any]) -> None:
        request = _captured(lambda c: c.runs.list(**given), [])
        sent = _assert_valid_query(runs, request)
        for name, value in given.items():
            _same_value(runs, name, value, sent.get(name))

    test_client_builds_runs_queries_the_spec_allows()
