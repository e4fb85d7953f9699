"""Server semantics: what the spec says in prose, which no schema can check.

Newest first, every filter filters (it keeps what matches, and only that), `expand` only adds fields, pages
join without gaps or repeats, `page_size` is honoured. A live deployment holds data we know nothing about, so
every check takes its values from what the server itself lists, freezes the listing with
`created_at_on_or_before` where new jobs could shift it, and says "skipped" when there is nothing to check.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from .context import JOBS, RUNS, curl_line, current

JOBS_PATH = "/api/v2/extract"
RUNS_PATH = "/api/v1/extractionv2/runs"
EXPANDABLE = ("configuration", "extract_metadata")
_RFC3339 = re.compile(r"^(?P<base>[^.+Zz]+?)(?:\.(?P<frac>\d+))?(?P<tz>[Zz]|[+-]\d\d:\d\d)$")

Job = dict[str, Any]


def instant(text: str) -> tuple[int, int]:
    """An RFC 3339 time as (whole seconds since the epoch, nanoseconds), exact at any fraction length."""
    import datetime as dt

    match = _RFC3339.match(text)
    assert match, f"not an RFC 3339 date-time with an offset: {text!r}"
    whole = dt.datetime.fromisoformat(match["base"] + ("+00:00" if match["tz"] in "Zz" else match["tz"]))
    frac = (match["frac"] or "0")[:9].ljust(9, "0")
    return int(whole.timestamp()), int(frac)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with current().http_client() as c:
        yield c


def get(client: httpx.Client, path: str, **params: Any) -> Any:
    response = client.get(path, params={k: v for k, v in params.items() if v is not None})
    assert response.status_code == 200, (
        f"expected 200, got {response.status_code}: {response.text[:300]}\nreproduce:\n  {curl_line(response.request)}"
    )
    return response.json()


def walk(client: httpx.Client, page_size: int, max_items: int, **filters: Any) -> tuple[list[Job], list[str]]:
    """Items of a listing, page by page, up to `max_items`; and the curl lines of the pages asked for."""
    items: list[Job] = []
    asked: list[str] = []
    token: str | None = None
    for _ in range(max_items):  # a page holds at least one item, so this bounds the walk
        response = client.get(JOBS_PATH, params={**filters, "page_size": page_size, "page_token": token})
        asked.append(curl_line(response.request))
        assert response.status_code == 200, f"page {len(asked)}: {response.status_code} {response.text[:300]}"
        body = response.json()
        items += body["items"]
        token = body.get("next_page_token")
        if not token or not body["items"] or len(items) >= max_items:
            break
    return items[:max_items], asked


@pytest.fixture(scope="module")
def sample(client: httpx.Client) -> list[Job]:
    """The newest jobs the key can see: where every check takes its values from."""
    items, _ = walk(client, 100, 100)
    if not items:
        pytest.skip("the target lists no jobs for this key: nothing to check the semantics against")
    return items


def ids(items: list[Job]) -> list[str]:
    return [i["id"] for i in items]


def newest_first(items: list[Job]) -> bool:
    times = [instant(i["created_at"]) for i in items]
    return all(a >= b for a, b in itertools.pairwise(times))


@pytest.mark.endpoint(JOBS)
def test_jobs_newest_first(client: httpx.Client, sample: list[Job]) -> None:
    items, asked = walk(client, 25, 75)
    assert newest_first(items), "jobs are not listed newest first across these pages:\n  " + "\n  ".join(asked)


@pytest.mark.endpoint(JOBS)
@pytest.mark.parametrize("small_page", [1, 7])
def test_jobs_pages_join_without_gaps_or_repeats(client: httpx.Client, sample: list[Job], small_page: int) -> None:
    frozen = {"created_at_on_or_before": sample[0]["created_at"]}  # jobs created meanwhile stay out
    wanted = min(len(sample), 30 if small_page == 1 else 60)
    reference, _ = walk(client, 100, wanted, **frozen)
    paged, asked = walk(client, small_page, wanted, **frozen)
    assert len(set(ids(paged))) == len(paged), "an item appears twice across pages:\n  " + "\n  ".join(asked)
    assert ids(paged) == ids(reference), (
        f"pages of {small_page} do not join into the listing that pages of 100 give "
        f"(missing: {sorted(set(ids(reference)) - set(ids(paged)))[:5]}, "
        f"extra: {sorted(set(ids(paged)) - set(ids(reference)))[:5]}):\n  " + "\n  ".join(asked[:5])
    )


@pytest.mark.endpoint(JOBS)
@pytest.mark.parametrize("page_size", [1, 2, 5, 13])
def test_jobs_page_size_is_honoured(client: httpx.Client, sample: list[Job], page_size: int) -> None:
    response = client.get(JOBS_PATH, params={"page_size": page_size})
    body = response.json()
    reproduce = curl_line(response.request)
    assert response.status_code == 200, f"{response.status_code}: {reproduce}"
    assert len(body["items"]) <= page_size, f"{len(body['items'])} items for page_size={page_size}: {reproduce}"
    if body.get("next_page_token"):
        assert body["items"], f"an empty page that claims a next page: {reproduce}"
    if len(sample) > page_size:
        assert body.get("next_page_token"), f"more jobs exist, but no next_page_token: {reproduce}"
        if current().settings.embedded:  # our own mock fills every page but the last; a live server need not
            assert len(body["items"]) == page_size, reproduce


def _prefix_type(job: Job) -> str | None:
    value = str(job["document_input_value"])
    return "file_id" if value.startswith("dfl-") else "parse_job_id" if value.startswith("pjb-") else None


def _project_uuid(job: Job) -> str | None:
    match = re.search(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$", str(job["project_id"]))
    return match.group(0).lower() if match else None


class Filter:
    """One filter: how to pick a value from a job, which jobs match it, and a value that matches nothing."""

    def __init__(
        self,
        name: str,
        value_of: Callable[[Job], Any],
        matches: Callable[[Job, Any], bool],
        nothing: Callable[[list[Job]], Any],
    ) -> None:
        self.name, self.value_of, self.matches, self.nothing = name, value_of, matches, nothing

    def __repr__(self) -> str:
        return self.name


def _unique(prefix: str) -> Callable[[list[Job]], str]:
    return lambda _: f"{prefix}conformance-{uuid.uuid4()}"


FILTERS = [
    Filter("configuration_id", lambda j: j.get("configuration_id"), lambda j, v: j.get("configuration_id") == v,
           _unique("cfg-")),
    Filter("document_input_value", lambda j: j["document_input_value"],
           lambda j, v: j["document_input_value"] == v, _unique("dfl-")),
    Filter("document_input_type", _prefix_type, lambda j, v: _prefix_type(j) == v, lambda _: "no_such_input_type"),
    Filter("status", lambda j: j["status"], lambda j, v: j["status"] == v, lambda _: None),
    Filter("created_at_on_or_after", lambda j: j["created_at"],
           lambda j, v: instant(j["created_at"]) >= instant(v), lambda _: "2999-01-01T00:00:00Z"),
    Filter("created_at_on_or_before", lambda j: j["created_at"],
           lambda j, v: instant(j["created_at"]) <= instant(v), lambda _: "1970-01-01T00:00:00Z"),
    Filter("project_id", _project_uuid, lambda j, v: _project_uuid(j) == v, lambda _: str(uuid.uuid4())),
    Filter("organization_id", lambda j: None, lambda j, v: True, lambda _: str(uuid.uuid4())),
]  # fmt: skip
STATUSES = ("PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")


@pytest.mark.endpoint(JOBS)
@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_jobs_filter_keeps_exactly_what_matches(client: httpx.Client, sample: list[Job], flt: Filter) -> None:
    anchors = [j for j in sample[len(sample) // 3 :] + sample if flt.value_of(j) is not None]
    if anchors:
        anchor = anchors[0]
        value = flt.value_of(anchor)
        items, asked = walk(client, 100, 200, **{flt.name: value})
        wrong = [i["id"] for i in items if not flt.matches(i, value)]
        assert not wrong, f"{flt.name}={value!r} lists jobs that do not match it: {wrong[:5]}\n  " + asked[0]
        body = get(client, JOBS_PATH, **{flt.name: value, "job_ids": [anchor["id"]]})
        assert ids(body["items"]) == [anchor["id"]], (
            f"{flt.name}={value!r} leaves out job {anchor['id']}, which matches"
        )
    nothing = flt.nothing(sample)
    if flt.name == "status":  # every value is valid; one the anchor does not have must leave the anchor out
        anchor = sample[0]
        nothing = next(s for s in STATUSES if s != anchor["status"])
        body = get(client, JOBS_PATH, status=nothing, job_ids=[anchor["id"]])
        assert not body["items"], f"status={nothing} lists job {anchor['id']}, whose status is {anchor['status']}"
        return
    response = client.get(JOBS_PATH, params={flt.name: nothing})
    if response.status_code == 422 and flt.name == "document_input_type":
        return  # refusing an unknown input type shows the filter is read, as matching nothing would
    assert response.status_code == 200, f"{response.status_code}: {curl_line(response.request)}"
    assert not response.json()["items"], (
        f"{flt.name}={nothing!r} matches no job, yet jobs are listed (is the filter ignored?)\n  "
        + curl_line(response.request)
    )


@pytest.mark.endpoint(JOBS)
def test_jobs_filter_by_job_ids(client: httpx.Client, sample: list[Job]) -> None:
    chosen = sample[:: max(len(sample) // 3, 1)][:3]
    body = get(client, JOBS_PATH, job_ids=[j["id"] for j in reversed(chosen)])
    assert ids(body["items"]) == ids(chosen), "job_ids must give exactly those jobs, newest first"
    assert not get(client, JOBS_PATH, job_ids=[f"ext-conformance-{uuid.uuid4()}"])["items"]


@pytest.mark.endpoint(JOBS)
def test_jobs_expand_only_adds_fields(client: httpx.Client, sample: list[Job]) -> None:
    frozen = {"created_at_on_or_before": sample[0]["created_at"], "page_size": 20}
    plain = get(client, JOBS_PATH, **frozen)["items"]
    expanded = get(client, JOBS_PATH, **frozen, expand=list(EXPANDABLE))["items"]
    assert ids(plain) == ids(expanded), "expand changed which jobs are listed, or their order"
    # Every job was run with some configuration, so among a handful at least one must come back with it.
    assert len(expanded) < 5 or any(job.get("configuration") is not None for job in expanded), (
        f"expand=configuration filled the configuration of none of {len(expanded)} jobs (is expand ignored?)"
    )
    for before, after in zip(plain, expanded, strict=True):
        for name in EXPANDABLE:
            assert before.get(name) is None, f"job {before['id']}: {name} is filled without expand={name}"
        rest = {k: v for k, v in after.items() if k not in EXPANDABLE}
        assert rest == {k: v for k, v in before.items() if k not in EXPANDABLE}, (
            f"job {before['id']}: expand changed fields other than {EXPANDABLE}"
        )


@pytest.fixture(scope="module")
def runs(client: httpx.Client) -> list[Job]:
    listed = get(client, RUNS_PATH)
    assert isinstance(listed, list)
    if not listed:
        pytest.skip("the target lists no extraction runs for this key")
    return listed


@pytest.mark.endpoint(RUNS)
@pytest.mark.parametrize("name", ["extraction_agent_id", "run_id", "job_id"])
def test_runs_filter_keeps_exactly_what_matches(client: httpx.Client, runs: list[Job], name: str) -> None:
    field = "id" if name == "run_id" else name
    anchor = next((r for r in runs if r.get(field)), None)
    if anchor is not None:
        value = anchor[field]
        got = get(client, RUNS_PATH, **{name: value})
        assert anchor["id"] in ids(got), f"{name}={value} leaves out run {anchor['id']}, which matches"
        wrong = [r["id"] for r in got if str(r.get(field)).lower() != str(value).lower()]
        assert not wrong, f"{name}={value} lists runs that do not match it: {wrong[:5]}"
    assert get(client, RUNS_PATH, **{name: str(uuid.uuid4())}) == [], f"a {name} that matches nothing lists runs"


@pytest.mark.parametrize(("path", "endpoint"), [(JOBS_PATH, JOBS), (RUNS_PATH, RUNS)], ids=["jobs", "runs"])
@pytest.mark.parametrize("credentials", ["none", "invalid"])
def test_auth_is_enforced(path: str, endpoint: str, credentials: str) -> None:
    headers = {} if credentials == "none" else {"Authorization": f"Bearer conformance-invalid-{uuid.uuid4()}"}
    with current().http_client(authenticated=False) as anonymous:
        response = anonymous.get(path, headers=headers)
    reproduce = curl_line(response.request)
    assert response.status_code == 401, f"{credentials} credentials got {response.status_code}, not 401: {reproduce}"
    detail = response.json().get("detail")
    assert isinstance(detail, str), f"a 401 body is {{'detail': string}}, got {response.text[:200]}: {reproduce}"
