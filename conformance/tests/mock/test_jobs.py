"""GET /api/v2/extract against a real server: filters, order, pagination, tokens, expand, scoping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from llamacloud_conformance.mock import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, Dataset, MockServer, served_job
from llamacloud_conformance.mock.dataset import sort_key
from llamacloud_conformance.spec.document import JOBS_PATH
from llamacloud_conformance.spec.timestamps import parse_ns

Walker = Callable[..., list[dict[str, Any]]]
PATH = "/api/v2/extract"


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def test_first_page_is_newest_first_with_default_size_and_exact_total(client: httpx.Client, dataset: Dataset) -> None:
    page = client.get(PATH).json()
    expected = dataset.select_jobs()
    assert ids(page["items"]) == ids(expected[:PAGE_SIZE_DEFAULT])
    assert page["total_size"] == len(expected) == 400
    assert page["next_page_token"]


def test_items_are_the_records_with_expandable_fields_null(client: httpx.Client, dataset: Dataset) -> None:
    page = client.get(PATH, params={"page_size": 20}).json()
    assert page["items"] == [served_job(job) for job in dataset.select_jobs()[:20]]
    assert all(item["configuration"] is None and item["extract_metadata"] is None for item in page["items"])


def test_ties_on_created_at_are_broken_by_id_descending(client: httpx.Client, walk: Walker, dataset: Dataset) -> None:
    items = walk(client, {"page_size": 37})
    jobs_operation = dataset.spec.operation(JOBS_PATH)
    assert jobs_operation is not None
    keys = [sort_key(jobs_operation)(item) for item in items]
    assert keys == sorted(keys, reverse=True)
    assert len(set(keys)) == len(keys)
    stamps = [parse_ns(item["created_at"]) for item in items]
    assert len(set(stamps)) < len(stamps), "the dataset should contain ties for this test to mean anything"


@pytest.mark.parametrize("page_size", [1, 2, 7, 50, 99, 100])
def test_pages_join_to_the_whole_listing(client: httpx.Client, walk: Walker, dataset: Dataset, page_size: int) -> None:
    filters = {"status": "COMPLETED"} if page_size < 7 else {}
    assert ids(walk(client, {"page_size": page_size, **filters})) == ids(dataset.select_jobs(**filters))


@pytest.mark.parametrize(
    ("sent", "served"),
    [(0, PAGE_SIZE_DEFAULT), (-5, PAGE_SIZE_DEFAULT), (1000, PAGE_SIZE_MAX), (10**40, PAGE_SIZE_MAX), (-(10**40), 50)],
)
def test_page_size_out_of_range_is_clamped(client: httpx.Client, sent: int, served: int) -> None:
    assert len(client.get(PATH, params={"page_size": sent}).json()["items"]) == served


def test_last_page_has_null_token(client: httpx.Client, dataset: Dataset) -> None:
    everything = len(dataset.select_jobs())
    page = client.get(PATH, params={"page_size": 100, "created_at_on_or_after": "2000-01-01T00:00:00Z"}).json()
    assert page["next_page_token"]
    one_page = client.get(PATH, params={"status": "THROTTLED", "page_size": 100}).json()
    assert one_page["next_page_token"] is None
    assert len(one_page["items"]) == one_page["total_size"] < everything


def _repeated_input(dataset: Dataset) -> str:
    jobs = dataset.select_jobs()
    return str(
        next(
            j["document_input_value"]
            for j in jobs
            if len(dataset.select_jobs(document_input_value=j["document_input_value"])) > 1
        )
    )


def _stamp(dataset: Dataset, fraction: float) -> str:
    jobs = dataset.select_jobs()
    return str(jobs[int(len(jobs) * fraction)]["created_at"])


def _job_id(dataset: Dataset, index: int) -> str:
    return str(dataset.select_jobs()[index]["id"])


def _saved_config(dataset: Dataset) -> str:
    return str(next(j["configuration_id"] for j in dataset.select_jobs() if j["configuration_id"]))


FILTER_CASES: dict[str, Callable[[Dataset], dict[str, Any]]] = {
    "configuration_id": lambda ds: {"configuration_id": _saved_config(ds)},
    "configuration_id-unknown": lambda ds: {"configuration_id": "cfg-00000000-0000-0000-0000-000000000000"},
    "input_type-file": lambda ds: {"document_input_type": "file_id"},
    "input_type-parse-job": lambda ds: {"document_input_type": "parse_job_id"},
    "input_type-unknown": lambda ds: {"document_input_type": "url"},
    "input_value": lambda ds: {"document_input_value": _repeated_input(ds)},
    "status-pending": lambda ds: {"status": "PENDING"},
    "status-throttled": lambda ds: {"status": "THROTTLED"},
    "status-running": lambda ds: {"status": "RUNNING"},
    "status-failed": lambda ds: {"status": "FAILED"},
    "status-completed": lambda ds: {"status": "COMPLETED"},
    "status-cancelled": lambda ds: {"status": "CANCELLED"},
    "on-or-after": lambda ds: {"created_at_on_or_after": _stamp(ds, 0.3)},
    "on-or-before": lambda ds: {"created_at_on_or_before": _stamp(ds, 0.3)},
    "date-range": lambda ds: {"created_at_on_or_after": _stamp(ds, 0.6), "created_at_on_or_before": _stamp(ds, 0.3)},
    "job_ids": lambda ds: {"job_ids": [_job_id(ds, 5), _job_id(ds, 1), _job_id(ds, 300), "ext-unknown"]},
    "job_ids-and-status": lambda ds: {"job_ids": [_job_id(ds, 5)], "status": ds.select_jobs()[5]["status"]},
    "three-filters": lambda ds: {
        "status": "COMPLETED",
        "document_input_type": "file_id",
        "configuration_id": _saved_config(ds),
    },
    "status-and-dates": lambda ds: {"status": "FAILED", "created_at_on_or_before": _stamp(ds, 0.2)},
    "project_id-own": lambda ds: {"project_id": ds.default_project.key},
    "project_id-other": lambda ds: {"project_id": ds.projects[1].key},
    "organization_id-own": lambda ds: {"organization_id": ds.default_project.organization_id},
    "organization_id-other": lambda ds: {"organization_id": ds.projects[2].organization_id},
}


@pytest.mark.parametrize("case", FILTER_CASES)
def test_every_filter_filters(client: httpx.Client, walk: Walker, dataset: Dataset, case: str) -> None:
    filters = FILTER_CASES[case](dataset)
    expected = dataset.select_jobs(**filters)
    empty_by_design = case.endswith(("-unknown", "-other"))
    assert bool(expected) != empty_by_design, "each case should select some jobs, or none on purpose"
    got = walk(client, {"page_size": 40, **filters})
    assert ids(got) == ids(expected)
    assert client.get(PATH, params={"page_size": 40, **filters}).json()["total_size"] == len(expected)


def test_filters_really_narrow_and_match_what_they_name(client: httpx.Client, walk: Walker, dataset: Dataset) -> None:
    completed = walk(client, {"status": "COMPLETED", "page_size": 100})
    assert completed
    assert all(j["status"] == "COMPLETED" for j in completed)
    files = walk(client, {"document_input_type": "file_id", "page_size": 100})
    assert files
    assert all(dataset.input_type(j["document_input_value"]) == "file_id" for j in files)
    assert len(files) < len(dataset.select_jobs())


def test_date_bounds_are_inclusive_and_timezone_aware(client: httpx.Client, dataset: Dataset) -> None:
    job = dataset.select_jobs()[10]
    moment = dt.datetime.fromisoformat(job["created_at"].replace("Z", "+00:00"))
    same_instant_in_paris = moment.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()
    exact = {"created_at_on_or_after": same_instant_in_paris, "created_at_on_or_before": job["created_at"]}
    got = ids(client.get(PATH, params=exact).json()["items"])
    assert job["id"] in got
    assert got == ids(dataset.select_jobs(**exact))
    a_bit_later = (moment + dt.timedelta(microseconds=1)).isoformat()
    assert job["id"] not in ids(client.get(PATH, params={"created_at_on_or_after": a_bit_later}).json()["items"])
    nanosecond_later = job["created_at"].replace("Z", "001Z")
    assert job["id"] not in ids(
        client.get(PATH, params={"created_at_on_or_after": nanosecond_later, "page_size": 100}).json()["items"]
    )


def test_expand_fills_only_what_it_names(client: httpx.Client, dataset: Dataset) -> None:
    full = dataset.select_jobs()[:30]
    for expand in ([], ["configuration"], ["extract_metadata"], ["configuration", "extract_metadata"]):
        page = client.get(PATH, params={"page_size": 30, "expand": [*expand, "usage", "no-such-field"]}).json()
        assert page["items"] == [served_job(job, expand) for job in full]
    both = client.get(PATH, params={"page_size": 30, "expand": ["configuration", "extract_metadata"]}).json()
    assert any(item["configuration"] for item in both["items"])
    assert any(item["extract_metadata"] for item in both["items"])


def test_page_size_and_expand_may_change_between_pages(client: httpx.Client, dataset: Dataset) -> None:
    first = client.get(PATH, params={"page_size": 3}).json()
    second = client.get(
        PATH, params={"page_size": 5, "expand": "configuration", "page_token": first["next_page_token"]}
    )
    assert second.status_code == 200
    assert ids(second.json()["items"]) == ids(dataset.select_jobs()[3:8])


def _token_error(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "page_token"]
    assert error["type"] == "value_error"
    return str(error["msg"])


def test_a_token_is_bound_to_its_filters_and_key(client: httpx.Client, server: MockServer) -> None:
    token = client.get(PATH, params={"status": "COMPLETED", "page_size": 2}).json()["next_page_token"]
    assert client.get(PATH, params={"status": "COMPLETED", "page_token": token}).status_code == 200
    assert "different listing" in _token_error(client.get(PATH, params={"status": "FAILED", "page_token": token}))
    assert "different listing" in _token_error(client.get(PATH, params={"page_token": token}))
    other = httpx.get(
        server.base_url + PATH,
        params={"status": "COMPLETED", "page_token": token},
        headers={"Authorization": "Bearer other-key"},
    )
    assert "different listing" in _token_error(other)


@pytest.mark.parametrize("forged", ["garbage", "AAAA", "x" * 500, "ü", "=", "a b", "AQ"])
def test_forged_tokens_get_422(client: httpx.Client, forged: str) -> None:
    assert "not" in _token_error(client.get(PATH, params={"page_token": forged}))


def test_edited_token_gets_422(client: httpx.Client) -> None:
    token = client.get(PATH, params={"page_size": 2}).json()["next_page_token"]
    for position in (0, len(token) // 2, len(token) - 1):
        edited = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        _token_error(client.get(PATH, params={"page_token": edited}))
    _token_error(client.get(PATH, params={"page_token": token + "A"}))


def test_token_from_another_server_run_is_stale(client: httpx.Client, dataset: Dataset) -> None:
    from llamacloud_conformance.mock import running_mock

    with running_mock(dataset=dataset, api_key="test-key") as earlier:
        token = httpx.get(
            earlier.base_url + PATH, params={"page_size": 2}, headers={"Authorization": "Bearer test-key"}
        ).json()["next_page_token"]
    assert "earlier run" in _token_error(client.get(PATH, params={"page_token": token}))


def test_a_given_token_secret_makes_tokens_survive_a_restart(dataset: Dataset) -> None:
    from llamacloud_conformance.mock import running_mock

    headers = {"Authorization": "Bearer k"}
    with running_mock(dataset=dataset, api_key="k", token_secret=b"s") as first:
        token = httpx.get(first.base_url + PATH, params={"page_size": 2}, headers=headers).json()["next_page_token"]
    with running_mock(dataset=dataset, api_key="k", token_secret=b"s") as second:
        page = httpx.get(second.base_url + PATH, params={"page_size": 2, "page_token": token}, headers=headers)
    assert ids(page.json()["items"]) == ids(dataset.select_jobs()[2:4])


def test_empty_token_means_first_page(client: httpx.Client, dataset: Dataset) -> None:
    page = client.get(PATH, params={"page_token": "", "page_size": 4}).json()
    assert ids(page["items"]) == ids(dataset.select_jobs()[:4])


def test_keys_see_only_their_own_project(server: MockServer, dataset: Dataset, walk: Walker) -> None:
    from llamacloud_conformance.mock.checks import spec_checked_client

    for key, project in (("test-key", dataset.projects[0]), ("other-key", dataset.projects[1])):
        with spec_checked_client(server.base_url, key) as keyed:
            got = walk(keyed, {"page_size": 100})
            assert ids(got) == ids(dataset.select_jobs(project.id))
            assert {j["project_id"] for j in got} == {project.id}
            own = keyed.get(PATH, params={"project_id": project.key}).json()
            assert own["total_size"] == len(got)
            foreign = keyed.get(PATH, params={"project_id": dataset.projects[2].key}).json()
            assert foreign == {"items": [], "next_page_token": None, "total_size": 0}


def test_project_id_is_a_uuid_so_the_prj_form_is_rejected(client: httpx.Client, dataset: Dataset) -> None:
    response = client.get(PATH, params={"project_id": dataset.default_project_id})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "project_id"]
    upper = client.get(PATH, params={"project_id": dataset.default_project.key.upper()}).json()
    assert upper["total_size"] == 400


def test_inserted_jobs_do_not_shift_pages(dataset: Dataset, walk: Walker) -> None:
    from llamacloud_conformance.mock import running_mock
    from llamacloud_conformance.mock.checks import spec_checked_client

    with running_mock(dataset=dataset, api_key="k") as server, spec_checked_client(server.base_url, "k") as keyed:
        before = dataset.select_jobs()
        first = keyed.get(PATH, params={"page_size": 10}).json()
        newest, oldest = before[0], before[-1]
        newer = {**newest, "id": "ext-inserted-newer", "created_at": "2030-01-01T00:00:00Z"}
        tie = {**oldest, "id": "ext-inserted-tie"}  # sorts right after `oldest` among equal timestamps
        server.add_records(jobs=[newer, tie])
        rest = walk(keyed, {"page_size": 10, "page_token": first["next_page_token"]})
        seen = ids(first["items"]) + ids(rest)
        assert "ext-inserted-newer" not in seen
        assert [i for i in seen if i != "ext-inserted-tie"] == ids(before)
        assert keyed.get(PATH).json()["items"][0]["id"] == "ext-inserted-newer"
