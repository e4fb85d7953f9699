"""Arguments are checked before anything is sent; values the spec leaves open are sent exactly as given."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import httpx
import pytest

from llamacloud_extract import ExtractJobStatus


def never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing should have been sent, yet {request.url} was")


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"status": "completed"}, ValueError, "status"),  # case matters: the enum is upper-case
        ({"status": "DONE"}, ValueError, "status"),
        ({"status": ExtractJobStatus("QUEUED")}, ValueError, "status"),  # a value the spec does not know
        ({"status": 3}, ValueError, "status"),
        ({"created_at_on_or_after": datetime.datetime(2025, 1, 1)}, ValueError, "created_at_on_or_after"),
        ({"created_at_on_or_before": datetime.datetime(2025, 1, 1)}, ValueError, "created_at_on_or_before"),
        ({"created_at_on_or_after": "2025-01-01T00:00:00Z"}, TypeError, "created_at_on_or_after"),
        ({"created_at_on_or_before": datetime.date(2025, 1, 1)}, TypeError, "created_at_on_or_before"),
        ({"page_size": 0}, ValueError, "page_size"),
        ({"page_size": -5}, ValueError, "page_size"),
        ({"page_size": 2.5}, TypeError, "page_size"),
        ({"page_size": True}, TypeError, "page_size"),
        ({"limit": -1}, ValueError, "limit"),
        ({"job_ids": [1, 2]}, TypeError, "job_ids"),
        ({"expand": [None]}, TypeError, "expand"),
        ({"configuration_id": 7}, TypeError, "configuration_id"),
        ({"project_id": 7}, TypeError, "project_id"),
        ({"page_token": 7}, TypeError, "page_token"),
    ],
)
def test_bad_arguments_name_the_parameter_before_any_request(
    kit: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    client, _ = kit.client(never)
    with pytest.raises(error, match=names):
        client.jobs.list(**kwargs)
    async_client, _ = kit.async_client(never)
    with pytest.raises(error, match=names):
        async_client.jobs.list(**kwargs)


@pytest.mark.parametrize("status", [s.value for s in ExtractJobStatus] + list(ExtractJobStatus))
def test_every_status_of_the_spec_is_accepted(kit: Any, status: Any) -> None:
    store = kit.JobStore([])
    client, _ = kit.client(store)
    list(client.jobs.list(status=status))
    assert store.requests[0].url.params["status"] == str(status)


def test_aware_datetimes_are_sent_with_their_offset(kit: Any) -> None:
    store = kit.JobStore([])
    client, _ = kit.client(store)
    paris = datetime.timezone(datetime.timedelta(hours=2))
    list(
        client.jobs.list(
            created_at_on_or_after=datetime.datetime(2025, 5, 1, 8, 30, tzinfo=paris),
            created_at_on_or_before=datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC),
        )
    )
    params = store.requests[0].url.params
    assert params["created_at_on_or_after"] == "2025-05-01T08:30:00+02:00"
    assert params["created_at_on_or_before"] == "2025-05-02T00:00:00+00:00"
    assert "%2B02%3A00" in str(store.requests[0].url)  # the + survives the query string


def test_values_the_spec_leaves_open_are_sent_as_given(kit: Any) -> None:
    store = kit.JobStore([])
    client, _ = kit.client(store)
    list(
        client.jobs.list(
            expand=["configuration", "usage", "something-new"],
            job_ids=("ext-1", "not even an id"),
            configuration_id="cfg-whatever",
            document_input_type="parse_job_id",
            document_input_value="pjb-1",
            project_id="prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",  # the spec says uuid; real ids look like this
            organization_id=uuid.UUID(int=1),
            page_size=100000,
        )
    )
    params = store.requests[0].url.params
    assert params.get_list("expand") == ["configuration", "usage", "something-new"]
    assert params.get_list("job_ids") == ["ext-1", "not even an id"]
    assert params["configuration_id"] == "cfg-whatever"
    assert params["document_input_type"] == "parse_job_id"
    assert params["document_input_value"] == "pjb-1"
    assert params["project_id"] == "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    assert params["organization_id"] == "00000000-0000-0000-0000-000000000001"
    assert params["page_size"] == "100000"


def test_a_lone_string_is_one_value_not_its_letters(kit: Any) -> None:
    store = kit.JobStore([])
    client, _ = kit.client(store)
    list(client.jobs.list(expand="configuration", job_ids="ext-1"))
    assert store.requests[0].url.params.get_list("expand") == ["configuration"]
    assert store.requests[0].url.params.get_list("job_ids") == ["ext-1"]


def test_unset_filters_are_not_sent(kit: Any) -> None:
    store = kit.JobStore([])
    client, _ = kit.client(store)
    list(client.jobs.list())
    assert store.requests[0].url.query == b""
    assert "cookie" not in store.requests[0].headers


def test_run_filters_must_be_uuids(kit: Any) -> None:
    client, _ = kit.client(never)
    with pytest.raises(ValueError, match="extraction_agent_id"):
        client.runs.list(extraction_agent_id="agent-7")
    with pytest.raises(TypeError, match="job_id"):
        client.runs.list(job_id=7)  # type: ignore[arg-type]


def test_run_filters_are_sent_in_canonical_form(kit: Any) -> None:
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    client, _ = kit.client(respond)
    client.runs.list(extraction_agent_id="3FA85F64-5717-4562-B3FC-2C963F66AFA6", run_id=uuid.UUID(int=2))
    params = seen[0].url.params
    assert params["extraction_agent_id"] == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert params["run_id"] == "00000000-0000-0000-0000-000000000002"
    assert "job_id" not in params
