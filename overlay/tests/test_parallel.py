"""The parallel listing: disjoint `created_at` windows, fetched at once, merged back into the exact order of a
single listing, ties on identical timestamps included, against a server whose tie-break the client cannot know."""

from __future__ import annotations

import asyncio
import datetime
import itertools
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract import NotFoundError, ResponseValidationError
from llamacloud_extract._parallel import Plan, split

US = datetime.timedelta(microseconds=1)
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=300, deadline=None)
@given(
    after=st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(datetime.UTC),
    ),
    span=st.integers(-5, 10**7),
    count=st.integers(1, 16),
)
def test_windows_are_disjoint_and_cover_every_microsecond(after: datetime.datetime, span: int, count: int) -> None:
    before = after + span * US
    windows = split(after, before, count)
    assert 1 <= len(windows) <= count
    if span >= count:
        assert len(windows) == count
    oldest_first = windows[::-1]
    assert oldest_first[0][0] == after
    if span >= 0:
        assert oldest_first[-1][1] == before
    for low, high in oldest_first:
        assert low < high or span <= 0  # no empty window unless the range itself is empty or reversed
        assert (low - after) % US == datetime.timedelta(0)  # edges on whole microseconds
    for (_, high), (low, _) in itertools.pairwise(oldest_first):
        assert low == high  # adjacent: the shared edge is the newer window's (the client drops it from the older)


def test_an_open_plan_leaves_the_newest_window_unbounded() -> None:
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    plan = Plan(after=start, before=None, workers=4, now=lambda: start + datetime.timedelta(days=4))
    windows = plan.windows()
    assert len(windows) == 4
    assert windows[0][1] is None
    assert windows[-1][0] == start
    assert windows[0][0] == windows[1][1] == start + datetime.timedelta(days=3)


@st.composite
def stores(draw: st.DrawFn, kit: Any) -> tuple[Any, datetime.datetime, datetime.datetime | None]:
    """Jobs crowded into a few dozen microseconds (so that timestamps tie and window edges fall on jobs), a
    random hidden tie-break, and a random range to list."""
    span = draw(st.integers(0, 40))
    offsets = draw(st.lists(st.integers(0, span), max_size=60))
    statuses = draw(st.lists(st.sampled_from(["COMPLETED", "FAILED"]), min_size=len(offsets), max_size=len(offsets)))
    base = kit.T0
    jobs = [
        kit.job(i, created_at=base + o * US, status=s) for i, (o, s) in enumerate(zip(offsets, statuses, strict=True))
    ]
    store = kit.JobStore.with_ranks(jobs, seed=draw(st.integers(0, 2**16)), default_page_size=draw(st.integers(1, 7)))
    low = draw(st.integers(-2, span))
    after = base + low * US
    before = None if draw(st.booleans()) else base + draw(st.integers(low, span + 2)) * US
    return store, after, before


def server_order(store: Any, after: datetime.datetime, before: datetime.datetime | None, **filters: str) -> list[str]:
    params = {"created_at_on_or_after": after.isoformat(), **filters}
    if before is not None:
        params["created_at_on_or_before"] = before.isoformat()
    return [job["id"] for job in store.matching(httpx.QueryParams(params))]


@SETTINGS
@given(data=st.data(), workers=st.integers(2, 8), status=st.none() | st.just("FAILED"))
def test_parallel_listing_is_exactly_the_serial_listing(
    kit: Any, data: st.DataObject, workers: int, status: str | None
) -> None:
    store, after, before = data.draw(stores(kit))
    client, _ = kit.client(store, max_retries=0)
    expected = server_order(store, after, before, **({"status": status} if status else {}))
    common: dict[str, Any] = {"created_at_on_or_after": after, "created_at_on_or_before": before, "status": status}
    serial = [job.id for job in client.jobs.list(**common)]
    parallel = [job.id for job in client.jobs.list(**common, parallel=workers)]
    assert serial == expected
    assert parallel == expected  # same set, same order, ties in the server's own order


@SETTINGS
@given(data=st.data(), workers=st.integers(2, 6), limit=st.integers(0, 30))
def test_parallel_listing_honours_limit(kit: Any, data: st.DataObject, workers: int, limit: int) -> None:
    store, after, before = data.draw(stores(kit))
    client, _ = kit.client(store, max_retries=0)
    expected = server_order(store, after, before)[:limit]
    listing = client.jobs.list(
        created_at_on_or_after=after, created_at_on_or_before=before, parallel=workers, limit=limit
    )
    assert [job["id"] for job in client.jobs.list(raw=True, created_at_on_or_after=after, limit=0)] == []
    assert [job.id for job in listing] == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), workers=st.integers(2, 8))
def test_async_parallel_listing_is_exactly_the_serial_listing(kit: Any, data: st.DataObject, workers: int) -> None:
    store, after, before = data.draw(stores(kit))
    expected = server_order(store, after, before)

    async def both() -> tuple[list[str], list[str]]:
        client, _ = kit.async_client(store, max_retries=0)
        async with client:
            common: dict[str, Any] = {"created_at_on_or_after": after, "created_at_on_or_before": before}
            serial = [job.id async for job in client.jobs.list(**common)]
            parallel = [job.id async for job in client.jobs.list(**common, parallel=workers)]
        return serial, parallel

    serial, parallel = asyncio.run(both())
    assert serial == expected
    assert parallel == expected


def test_each_window_is_a_created_at_range_and_the_newest_is_open(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(10)])
    client, _ = kit.client(store)
    after = kit.T0 - datetime.timedelta(days=1)
    list(client.jobs.list(created_at_on_or_after=after, parallel=3))
    ranges = sorted(
        (r.url.params["created_at_on_or_after"], r.url.params.get("created_at_on_or_before")) for r in store.requests
    )
    assert len(ranges) == 3
    assert ranges[0][0] == after.isoformat()
    assert ranges[-1][1] is None  # newest window: open upwards, so jobs created meanwhile are not lost
    assert all(high is not None for _, high in ranges[:-1])


def test_an_error_in_any_window_fails_the_listing(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(40)], default_page_size=3)
    after = kit.T0 - datetime.timedelta(seconds=40)
    oldest_window_start = after.isoformat()

    def fault(request: httpx.Request, _count: int) -> httpx.Response | None:
        if request.url.params.get("created_at_on_or_after") == oldest_window_start:
            return httpx.Response(404, json={"detail": "gone"})
        return None

    store.fault = fault
    client, _ = kit.client(store, max_retries=0)
    with pytest.raises(NotFoundError):
        list(client.jobs.list(created_at_on_or_after=after, created_at_on_or_before=kit.T0, parallel=4))


def test_parallel_needs_a_start_and_no_page_token(kit: Any) -> None:
    client, _ = kit.client(kit.JobStore([]))
    with pytest.raises(ValueError, match="created_at_on_or_after"):
        client.jobs.list(parallel=4)
    with pytest.raises(ValueError, match="page_token"):
        client.jobs.list(parallel=4, page_token="t", created_at_on_or_after=kit.T0)
    with pytest.raises(ValueError, match="parallel"):
        client.jobs.list(parallel=0)


def test_parallel_one_is_a_plain_listing(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(5)])
    client, _ = kit.client(store)
    assert len(list(client.jobs.list(parallel=1))) == 5
    assert "created_at_on_or_after" not in store.requests[0].url.params


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), workers=st.integers(2, 6))
def test_raw_parallel_listing_is_exactly_the_serial_listing(kit: Any, data: st.DataObject, workers: int) -> None:
    store, after, before = data.draw(stores(kit))
    client, _ = kit.client(store, max_retries=0)
    listing = client.jobs.list(raw=True, created_at_on_or_after=after, created_at_on_or_before=before, parallel=workers)
    assert [job["id"] for job in listing] == server_order(store, after, before)


def test_raw_parallel_needs_readable_timestamps(kit: Any) -> None:
    after = kit.T0 - datetime.timedelta(seconds=10)
    broken = kit.job(3) | {"created_at": "last tuesday"}
    page = {"items": [kit.job(1), kit.job(2), broken], "next_page_token": None}
    client, _ = kit.client(lambda request: httpx.Response(200, json=page), max_retries=0)
    with pytest.raises(ResponseValidationError, match="created_at cannot be read"):
        list(client.jobs.list(raw=True, created_at_on_or_after=after, created_at_on_or_before=kit.T0, parallel=2))
