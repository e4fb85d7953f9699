"""The mock at every shipped snapshot serves what that snapshot's upstream spec describes: every body it sends
validates against the upstream fragment (with the snapshot's documented differences applied), every filter the
snapshot declares filters as its meaning says, and an operation the snapshot lacks is a 404, as upstream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock import Dataset, MockServer, running_mock, served
from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import JOBS_PATH, RUNS_PATH, Operation, field_value
from llamacloud_conformance.spec.meaning import Filter, Page

from fidelity import load
from meaning_queries import queries
from spec_documents import SNAPSHOTS, response_schema, validator

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(
    scope="module",
    params=[(name, packed) for name in snapshots.names() for packed in (False, True)],
    ids=lambda param: f"{param[0]}-{'packed' if param[1] else 'dicts'}",
)
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A server per snapshot, of a dataset in each layout: dicts, and packed as a big generated dataset is."""
    snapshot, packed = request.param
    dataset = Dataset.generate(seed=11, jobs=150, runs=30, snapshot=snapshot, packed=packed)
    with running_mock(dataset, api_key="k", keys={"other": dataset.projects[1].id}) as running:
        yield running


def _jobs(server: MockServer) -> Operation:
    operation = server.dataset.spec.operation(JOBS_PATH)
    assert operation is not None
    return operation


def _upstream_check(server: MockServer, path: str) -> Any:
    """A validator of the upstream fragment's 200 body for `path`, as this snapshot is proved to follow it."""
    reference = load(SNAPSHOTS / server.snapshot).reference(path)
    return validator(response_schema(reference, path, "200"), reference)


def test_every_snapshot_has_its_own_mock(server: MockServer) -> None:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": "Bearer k"}) as client:
        health = client.get("/_mock/health").json()
        assert health["snapshot"] == server.snapshot
        for path in (JOBS_PATH, RUNS_PATH):
            answer = client.get(path)
            declared = server.dataset.spec.operation(path) is not None
            assert answer.status_code == (200 if declared else 404), f"{server.snapshot} {path}"


def test_pages_join_to_the_selection_and_validate_against_upstream(server: MockServer) -> None:
    operation = _jobs(server)
    check = _upstream_check(server, JOBS_PATH)
    size = operation.page_parameter("size")
    token = operation.page_parameter("token")
    expand = operation.expand_parameter()
    assert size is not None
    assert token is not None
    assert expand is not None

    @SETTINGS
    @given(
        query=queries(operation, server.dataset),
        page_size=st.integers(1, 40),
        expanded=st.lists(st.sampled_from([*operation.expandable, "junk"])),
    )
    def listing(query: dict[str, Any], page_size: int, expanded: list[str]) -> None:
        expected = [served(operation, job, expanded) for job in server.dataset.select_jobs(**query)]
        got: list[dict[str, Any]] = []
        params: dict[str, Any] = {**query, size.name: page_size, expand.name: expanded}
        with httpx.Client(base_url=server.base_url, headers={"Authorization": "Bearer k"}) as client:
            for _ in range(len(expected) + 2):
                response = client.get(JOBS_PATH, params=params)
                assert response.status_code == 200, response.text
                body = response.json()
                errors = [e.message for e in check.iter_errors(body)]
                assert not errors, f"{server.snapshot}: a body upstream's spec refuses: {errors[:3]}"
                got += body["items"]
                if not body["next_page_token"]:
                    break
                params[token.name] = body["next_page_token"]
        assert got == expected, f"{server.snapshot} {query}"

    listing()


def test_every_declared_filter_narrows_by_its_meaning(server: MockServer) -> None:
    """For each equality filter, a value of one job lists exactly the jobs with that value (a second parameter
    meaning the same filter, as 2026-08-20's deprecated alias, lists the same)."""
    operation = _jobs(server)
    mine = server.dataset.select_jobs()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": "Bearer k"}) as client:
        for parameter in operation.filters():
            meaning = parameter.meaning
            if not isinstance(meaning, Filter) or meaning.kind != "equals":
                continue
            value = next(field_value(j, meaning.field) for j in mine if field_value(j, meaning.field) is not None)
            body = client.get(JOBS_PATH, params={parameter.name: value, "page_size": 100}).json()
            expected = [j["id"] for j in mine if field_value(j, meaning.field) == value][:100]
            assert [i["id"] for i in body["items"]] == expected, f"{server.snapshot}: {parameter.name}={value!r}"
            assert expected, "the value was taken from a job, so it matches at least that one"


def test_the_other_projects_key_sees_only_its_own(server: MockServer) -> None:
    operation = _jobs(server)
    other = server.dataset.projects[1]
    with httpx.Client(base_url=server.base_url, headers={"Authorization": "Bearer other"}) as client:
        body = client.get(JOBS_PATH, params={"page_size": 100}).json()
    assert body["items"], "every project holds at least one job"
    assert {field_value(i, operation.listing.project_by) for i in body["items"]} == {other.id}
    assert {p.name for p in operation.having(Page)} <= {p.name for p in operation.parameters}
