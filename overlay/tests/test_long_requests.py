"""Requests too long for a URL. A value no URL can carry is a `RequestTooLongError` (a `LlamaCloudError` and a
`ValueError`) naming it, raised before anything is sent; a server's page token too long to send back is a
`PaginationError`. More `job_ids` than fit in one request are split over several requests, each within
`SPLIT_URL_LENGTH`, and merged back into the order of the single listing, ties on one timestamp included."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
from collections.abc import Iterator
from typing import Any
from unittest import mock

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract import LlamaCloudError, PaginationError, RequestTooLongError, _limits

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HUGE = 100_000


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("document_input_value", "v" * HUGE),
        ("configuration_id", "c" * HUGE),
        ("document_input_type", "t" * HUGE),
        ("project_id", "p" * HUGE),
        ("page_token", "k" * HUGE),
        ("expand", ["e" * HUGE]),
        ("job_ids", ["j" * HUGE]),
    ],
)
def test_a_value_no_url_can_carry_is_refused_before_anything_is_sent(kit: Any, argument: str, value: Any) -> None:
    store = kit.JobStore([kit.job(1)])
    client, _ = kit.client(store)
    with pytest.raises(RequestTooLongError) as caught:
        client.jobs.list(**{argument: value})
    assert isinstance(caught.value, LlamaCloudError)
    assert isinstance(caught.value, ValueError)
    assert argument in str(caught.value)
    assert "100,0" in str(caught.value)  # its length, as the URL would carry it
    assert "65,536" in str(caught.value)
    assert len(str(caught.value)) < 500  # the value itself is not quoted
    assert store.requests == []
    async_client, _ = kit.async_client(store)
    with pytest.raises(RequestTooLongError):
        async_client.jobs.list(**{argument: value})


def test_a_long_value_that_a_url_can_carry_is_sent_as_given(kit: Any) -> None:
    """Between what servers must accept and what a URL can carry, the server decides (a 414, or an answer)."""
    store = kit.JobStore([kit.job(1)])
    client, _ = kit.client(store)
    list(client.jobs.list(document_input_value="v" * 20_000))
    assert len(store.requests[0].url.params["document_input_value"]) == 20_000


def test_a_servers_page_token_too_long_to_send_back_ends_the_listing_with_a_pagination_error(kit: Any) -> None:
    pages = [{"items": [kit.job(1)], "next_page_token": "t" * HUGE}]
    client, _ = kit.client(kit.ScriptedPages(pages))
    listing = client.jobs.list(raw=True)
    received: list[Any] = []
    with pytest.raises(PaginationError) as caught:
        received.extend(listing)
    assert [job["id"] for job in received] == [kit.job(1)["id"]]  # the page that carried it was delivered
    assert "next_page_token" in str(caught.value)
    assert "100,000" in str(caught.value)
    assert len(str(caught.value)) < 500


def test_the_async_pager_refuses_it_too(kit: Any) -> None:
    pages = [{"items": [kit.job(1)], "next_page_token": "t" * HUGE}]
    client, _ = kit.async_client(kit.ScriptedPages(pages))

    async def collect() -> None:
        async for _ in client.jobs.list():
            pass

    with pytest.raises(PaginationError):
        asyncio.run(collect())


def _uuid_like(index: int) -> str:
    return f"ext-{index:08d}-0000-4000-8000-{index:012d}"


def test_five_thousand_job_ids_are_listed_in_requests_that_fit(kit: Any) -> None:
    jobs = [kit.job(i, id=_uuid_like(i)) for i in range(6000)]
    store = kit.JobStore(jobs, default_page_size=100, max_url_length=_limits.SPLIT_URL_LENGTH)
    client, _ = kit.client(store, max_retries=0)
    wanted = [_uuid_like(i) for i in range(0, 10_000, 2)]  # 5,000 ids, 3,000 of them known
    listed = [job["id"] for job in client.jobs.list(job_ids=wanted, raw=True)]
    assert listed == [job["id"] for job in jobs if job["id"] in set(wanted)]
    assert len(store.requests) > 1
    assert max(len(str(request.url)) for request in store.requests) <= _limits.SPLIT_URL_LENGTH


def _stamp(base: datetime.datetime, micros: int, nanos: int) -> str:
    moment = base + datetime.timedelta(microseconds=micros)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond * 1000 + nanos:09d}Z"


@st.composite
def tied_stores(draw: st.DrawFn, kit: Any) -> Any:
    """Jobs crowded into a few microseconds, some a few nanoseconds apart (one instant for the client, two for
    a server that keeps nanoseconds), with a hidden tie-break the client cannot know."""
    count = draw(st.integers(0, 60))
    micros = draw(st.lists(st.integers(0, draw(st.sampled_from([0, 3, 10**6]))), min_size=count, max_size=count))
    nanos = draw(st.lists(st.sampled_from([0, 0, 0, 1, 999]), min_size=count, max_size=count))
    statuses = draw(st.lists(st.sampled_from(["COMPLETED", "FAILED"]), min_size=count, max_size=count))
    jobs = [
        {**kit.job(i, status=status), "created_at": _stamp(kit.T0, m, n)}
        for i, (m, n, status) in enumerate(zip(micros, nanos, statuses, strict=True))
    ]
    return kit.JobStore.with_ranks(jobs, seed=draw(st.integers(0, 2**16)), default_page_size=draw(st.integers(1, 7)))


@st.composite
def id_lists(draw: st.DrawFn, store: Any) -> list[str]:
    """Some of the store's ids, some it does not have, some repeated, in any order."""
    known = [job["id"] for job in store.jobs]
    chosen = draw(st.lists(st.sampled_from(known), max_size=len(known))) if known else []
    unknown = draw(st.lists(st.integers(10**6, 10**6 + 50).map(lambda i: f"ext-{i:08d}"), max_size=10))
    return draw(st.permutations(chosen + unknown))


@contextlib.contextmanager
def _split_at(target: int, room: int) -> Iterator[None]:
    with mock.patch.object(_limits, "SPLIT_URL_LENGTH", target), mock.patch.object(_limits, "PAGE_TOKEN_ROOM", room):
        yield


def _expected(store: Any, ids: list[str], **filters: str) -> list[str]:
    params = httpx.QueryParams({**filters, **({"job_ids": ids} if ids else {})})  # no ids: no filter at all
    return [job["id"] for job in store.matching(params)]


def _target(kit: Any, data: st.DataObject, **filters: str) -> int:
    """A URL length that one job id, or the instant of a tie, always fits into, with room for a page token, and
    that a few ids fill."""
    moment = (kit.T0 + datetime.timedelta(microseconds=999_999)).isoformat()
    instant = {"created_at_on_or_after": moment, "created_at_on_or_before": moment}
    one = httpx.URL(kit.BASE_URL + "/api/v2/extract", params={**filters, "page_size": 7, "job_ids": "ext-01000050"})
    tie = httpx.URL(kit.BASE_URL + "/api/v2/extract", params={**filters, "page_size": 7, **instant})
    return max(len(str(one)), len(str(tie))) + 40 + data.draw(st.integers(0, 400))


@SETTINGS
@given(data=st.data(), status=st.none() | st.just("FAILED"), limit=st.none() | st.integers(0, 40))
def test_split_job_ids_list_exactly_as_one_request_would(
    kit: Any, data: st.DataObject, status: str | None, limit: int | None
) -> None:
    store = data.draw(tied_stores(kit))
    ids = data.draw(id_lists(store))
    filters = {"status": status} if status else {}
    target = _target(kit, data, **filters)
    store.max_url_length = target
    client, _ = kit.client(store, max_retries=0)
    page_size = data.draw(st.none() | st.integers(1, 7))
    with _split_at(target, room=40):
        listed = [j["id"] for j in client.jobs.list(job_ids=ids, raw=True, page_size=page_size, limit=limit, **filters)]
    expected = _expected(store, ids, **filters)
    assert listed == (expected if limit is None else expected[:limit]), [str(r.url) for r in store.requests]
    for request in store.requests:
        assert len(str(request.url)) <= target


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_split_job_ids_list_exactly_as_one_request_would_asynchronously(kit: Any, data: st.DataObject) -> None:
    store = data.draw(tied_stores(kit))
    ids = data.draw(id_lists(store))
    target = _target(kit, data)
    store.max_url_length = target

    async def collect() -> list[str]:
        client, _ = kit.async_client(store, max_retries=0)
        async with client:
            return [job["id"] async for job in client.jobs.list(job_ids=ids, raw=True)]

    with _split_at(target, room=40):
        listed = asyncio.run(collect())
    assert listed == _expected(store, ids)


def test_split_listings_build_models_and_pages(kit: Any) -> None:
    jobs = [kit.job(i) for i in range(30)]
    store = kit.JobStore(jobs, default_page_size=4)
    client, _ = kit.client(store, max_retries=0)
    ids = [job["id"] for job in jobs][::-1]
    with _split_at(_target_for(kit, 3), room=40):
        pages = list(client.jobs.list(job_ids=ids, page_size=4).pages())
    assert [job.id for page in pages for job in page.items] == [job["id"] for job in jobs]
    assert all(len(page.items) <= 4 for page in pages)
    assert all(page.next_page_token is None for page in pages)  # a merged listing has no single token
    assert len(store.requests) == 10  # ten chunks of three ids, one page each: no more requests than that


def _target_for(kit: Any, ids: int) -> int:
    """A target that holds about `ids` ids of `kit.job`'s shape, plus the room for a token."""
    url = httpx.URL(kit.BASE_URL + "/api/v2/extract", params={"page_size": 4, "job_ids": ["ext-00000000"] * ids})
    return len(str(url)) + 40


def test_a_split_listing_takes_no_page_token_and_no_parallel(kit: Any) -> None:
    client, _ = kit.client(kit.JobStore([]))
    ids = [f"ext-{i:08d}" for i in range(50)]
    with _split_at(_target_for(kit, 3), room=40):
        assert client.jobs.list(job_ids=ids[:2], page_token="t") is not None  # fits: a plain listing
        with pytest.raises(ValueError, match="page_token"):
            client.jobs.list(job_ids=ids, page_token="t")
        with pytest.raises(ValueError, match="parallel"):
            client.jobs.list(job_ids=ids, parallel=4)
        assert not client.jobs.list(job_ids=ids).resumable
        assert client.jobs.list(job_ids=ids[:2]).resumable
        assert not client.jobs.list(parallel=2).resumable


def test_a_servers_token_that_overflows_the_url_with_the_filters_is_a_llamacloud_error(kit: Any) -> None:
    """Each fits alone; together they do not. Nothing but a `LlamaCloudError` comes out."""
    pages = [{"items": [kit.job(1)], "next_page_token": "t" * 45_000}]
    client, _ = kit.client(kit.ScriptedPages(pages))
    with pytest.raises(RequestTooLongError, match="page_token alone takes 45,0"):
        list(client.jobs.list(document_input_value="v" * 12_000))  # sent under both names: 24,000 characters


def test_job_ids_beside_a_value_that_fills_a_request_already_go_in_requests_as_large_as_a_url_allows(
    kit: Any,
) -> None:
    """No request could stay within `SPLIT_URL_LENGTH` with this filter: the server decides, as it does for the
    filter itself, and the ids are split only as far as a URL requires (not one request per id)."""
    jobs = [kit.job(i, id=_uuid_like(i)) for i in range(3000)]
    store = kit.JobStore(jobs, default_page_size=1000)
    client, _ = kit.client(store, max_retries=0)
    wanted = [_uuid_like(i) for i in range(3000)]
    listed = [job["id"] for job in client.jobs.list(job_ids=wanted, configuration_id="c" * 10_000, raw=True)]
    assert listed == wanted
    chunks = [request for request in store.requests if "page_token" not in request.url.params]
    assert len(chunks) == 3  # 150,000 characters of ids, in as few URLs as can carry them
    assert all(len(request.url.query) <= _limits.MAX_QUERY_LENGTH for request in store.requests)
