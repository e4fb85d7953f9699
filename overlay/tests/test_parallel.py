"""The parallel listing: disjoint `created_at` windows, fetched at once, cut and re-cut as the listing goes, and
merged back into the exact order of a single listing, ties on identical timestamps included, against a server
whose tie-break the client cannot know, with or without a lower bound from the caller."""

from __future__ import annotations

import asyncio
import datetime
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract import NotFoundError, Page, ResponseValidationError
from llamacloud_extract._parallel import EPOCH, Plan, Window, _Windows, even_edges, ladder_edges

MICROSECOND = datetime.timedelta(microseconds=1)
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OLDEST_EDGE = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)


@settings(max_examples=300, deadline=None)
@given(
    low=st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(datetime.UTC),
    ),
    span=st.integers(-5, 40) | st.integers(-5, 10**12),
    parts=st.integers(1, 16),
)
def test_even_edges_cut_a_range_into_equal_windows(low: datetime.datetime, span: int, parts: int) -> None:
    high = low + span * MICROSECOND
    edges = even_edges(low, high, parts)
    assert len(edges) <= parts - 1
    if span >= parts:
        assert len(edges) == parts - 1
    bounds = [high, *edges, low]
    widths = [(newer - older) // MICROSECOND for newer, older in itertools.pairwise(bounds)]
    if edges:
        assert all(width >= 1 for width in widths)  # strictly inside, strictly decreasing
        assert max(widths) - min(widths) <= 1  # equal, to the microsecond
    for edge in edges:
        assert (edge - EPOCH) % MICROSECOND == datetime.timedelta(0)


@settings(max_examples=300, deadline=None)
@given(
    position=st.datetimes(
        min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9000, 1, 1), timezones=st.just(datetime.UTC)
    ),
    unit=st.integers(0, 10**13).map(lambda n: n * MICROSECOND),
    parts=st.integers(1, 32),
)
def test_the_ladder_reaches_the_epoch_in_growing_steps(
    position: datetime.datetime, unit: datetime.timedelta, parts: int
) -> None:
    edges = ladder_edges(position, unit, parts)
    assert len(edges) <= parts - 1
    distances = [(position - edge) // MICROSECOND for edge in edges]
    assert all(d >= 1 for d in distances)
    assert distances == sorted(set(distances))  # newest first, no edge twice
    assert all(edge >= OLDEST_EDGE for edge in edges)  # never past what datetime can hold
    for nearer, farther in itertools.pairwise(distances):
        assert farther >= 2 * nearer - 1 or edges[-1] == OLDEST_EDGE  # geometric, unless clamped at the bottom
    if parts > 1 and position > EPOCH + datetime.timedelta(seconds=1):
        assert edges[-1] <= EPOCH + datetime.timedelta(seconds=1)  # the last edge reaches the epoch


# A model server for `_Windows`: jobs as (created_at, id), a hidden tie-break, pages of a fixed size.


@st.composite
def timelines(draw: st.DrawFn) -> tuple[list[tuple[datetime.datetime, str]], datetime.datetime]:
    """Jobs in the server's order (newest first, ties in a hidden random order), spread over a few microseconds
    (edges land on jobs, timestamps tie), over years, or in clusters; around 2025, before the epoch, or next to
    the oldest instant datetime holds."""
    base = draw(
        st.sampled_from(
            [
                datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
                datetime.datetime(1960, 6, 1, tzinfo=datetime.UTC),
                datetime.datetime(1969, 12, 1, tzinfo=datetime.UTC),  # straddles the ladder's last edge
                datetime.datetime(1, 1, 1, 0, 0, 1, tzinfo=datetime.UTC),
            ]
        )
    )
    scale = draw(st.sampled_from([40, 10**6, 10**12, 10**15]))
    centres = draw(st.lists(st.integers(0, scale), min_size=1, max_size=4))
    spread = draw(st.sampled_from([0, 3, scale // 100 + 1, scale]))
    offsets = draw(st.lists(st.tuples(st.sampled_from(centres), st.integers(0, spread)), max_size=150))
    ranks = draw(st.permutations(range(len(offsets))))
    jobs = [(base + (c + d) * MICROSECOND, f"ext-{i:03d}") for i, (c, d) in enumerate(offsets)]
    order = sorted(range(len(jobs)), key=lambda i: (-((jobs[i][0] - EPOCH) // MICROSECOND), ranks[i]))
    return [jobs[i] for i in order], base


def model_walk(jobs: list[tuple[datetime.datetime, str]], query: Window, page_size: int) -> Iterator[Page[Any]]:
    """A walk of one `created_at` range (inclusive), as the server pages it."""
    low, high = query
    found = [job for job in jobs if (low is None or job[0] >= low) and (high is None or job[0] <= high)]
    pages = [found[i : i + page_size] for i in range(0, len(found), page_size)] or [[]]
    for number, items in enumerate(pages):
        yield Page(items=items, next_page_token=None if number == len(pages) - 1 else "more", total_size=None)


def check_tiling(windows: _Windows[Any], plan: Plan) -> None:
    """What makes the merge exact, at every step: the windows, newest first, tile the caller's range edge to edge,
    and every job a window holds lies inside it (so no edge was ever moved above a job already kept)."""
    order = windows.order
    assert order[0] is windows.top
    assert order[0].upper is None
    assert order[-1].lower == plan.after
    for newer, older in itertools.pairwise(order):
        assert newer.lower is not None
        assert newer.lower == older.upper
    for window in order:
        if window.position is not None and window.lower is not None:
            assert window.position >= window.lower
        for _, page in window.pages:
            for moment, _ in page.items:
                assert window.lower is None or moment >= window.lower
                assert window.upper is None or moment < window.upper


Choose = Callable[[int, str], int]
"""Picks one of `n` possibilities (the label says what for): hypothesis, or a fixed schedule."""


def drive(
    windows: _Windows[Any], jobs: list[tuple[datetime.datetime, str]], page_size: int, choose: Choose
) -> tuple[list[str], list[Window]]:
    """Run a parallel listing as the threads would, with `choose` deciding which walk's page arrives next (and
    how many in a row), whether a walk notices in time that it went past its edge, when the caller takes the
    next page, and, now and then, splitting a window the heuristics would not have chosen. Checks the tiling
    and the number of walks under way at every step; returns the jobs delivered and the windows asked for."""
    plan, limit = windows.plan, windows.limit
    walks: list[tuple[Any, Iterator[Page[Any]]]] = []
    delivered: list[str] = []
    queries: list[Window] = []
    forced = 0
    while limit is None or len(delivered) < limit:
        for window, query in windows.launch():
            narrowed = (plan.after, plan.before) if query is None else query
            assert query is None or (plan.after is None or (query[0] is not None and query[0] >= plan.after))
            assert query is None or (query[1] is not None and (plan.before is None or query[1] <= plan.before))
            walks.append((window, model_walk(jobs, narrowed, page_size)))
            queries.append(narrowed)
        assert len(walks) <= plan.workers + forced  # never more requests at once than asked for
        check_tiling(windows, plan)
        unfinished = [w for w in windows.order[windows.current :] if not w.finished]
        if unfinished and choose(10, "split forced now") == 0:
            forced += windows._split(unfinished[choose(len(unfinished), "window split by force")])
        if not walks or choose(2, "caller asks for a page"):
            page = windows.pop()
            if page is not None:
                delivered += [ident for _, ident in page.items]
                continue
            if windows.done:
                break
            assert walks, "the listing is not over, yet nothing is under way"
        index = choose(len(walks), "walk that moves")
        window, pages = walks[index]
        for _ in range(1 + choose(4, "more pages it delivers in a row")):
            told_to_stop = window.finished and choose(2, "walk notices its stop")
            following = None if told_to_stop else next(pages, None)
            if following is None:
                walks.pop(index)
                windows.ended(window)
                break
            windows.accept(window, (None, following))
            if windows.walked_past(window, (None, following)) and choose(2, "walk stops at its edge"):
                walks.pop(index)
                windows.ended(window)
                break
    return delivered, queries


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    data=st.data(),
    workers=st.integers(2, 9),
    page_size=st.integers(1, 4),
    bounded=st.sampled_from(["none", "after", "both"]),
    limit=st.none() | st.integers(0, 30),
)
def test_windows_give_the_serial_order_whatever_arrives_when(
    data: st.DataObject, workers: int, page_size: int, bounded: str, limit: int | None
) -> None:
    """Any timing of arrivals, any extra splits: the single listing's jobs, in its order (correctness must not
    depend on the timing or on the heuristics that choose where to split)."""
    jobs, base = data.draw(timelines())
    moments = sorted(moment for moment, _ in jobs) or [base]
    after = before = None
    if bounded != "none":
        after = data.draw(st.sampled_from([base - MICROSECOND, moments[0], moments[len(moments) // 2]]))
    if bounded == "both":
        before = data.draw(st.sampled_from([moments[-1], moments[len(moments) // 2], moments[-1] + 5 * MICROSECOND]))
    plan = Plan(after=after, before=before, workers=workers)
    expected = [j for m, j in jobs if (after is None or m >= after) and (before is None or m <= before)]
    if limit is not None:
        expected = expected[:limit]

    def choose(n: int, label: str) -> int:
        return data.draw(st.integers(0, n - 1), label=label)

    delivered, _ = drive(_Windows(plan, lambda job: job[0], lambda _, page: page, limit), jobs, page_size, choose)
    assert delivered[: len(expected)] == expected
    assert len(delivered) >= len(expected)
    if limit is None:
        assert delivered == expected


def test_an_open_window_that_holds_jobs_is_split_below_what_it_has_walked() -> None:
    """Jobs from before the epoch land in the ladder's open bottom window; while it walks, free workers take
    ever older stretches from it (each as long again as what it has walked)."""
    jobs = [(EPOCH + datetime.timedelta(days=30 - 7 * i), f"ext-{i:03d}") for i in range(200)]  # to 1966
    plan = Plan(after=None, before=None, workers=4)
    turns = itertools.count()

    def round_robin(n: int, label: str) -> int:
        """Walks take turns, one page each; the caller takes pages at once; no forced splits."""
        if label == "walk that moves":
            return next(turns) % n
        fixed = {
            "split forced now": 1,
            "caller asks for a page": 1,
            "walk notices its stop": 1,
            "walk stops at its edge": 1,
        }
        return fixed.get(label, 0)

    delivered, queries = drive(_Windows(plan, lambda job: job[0], lambda _, page: page, None), jobs, 3, round_robin)
    assert delivered == [ident for _, ident in jobs]
    open_ones = [high for low, high in queries if low is None and high is not None]
    assert len(open_ones) >= 3  # the ladder's, then at least two taken from it
    assert open_ones == sorted(open_ones, reverse=True)  # each older than the last
    assert open_ones[-1] < EPOCH


@st.composite
def stores(draw: st.DrawFn, kit: Any) -> tuple[Any, datetime.datetime | None, datetime.datetime | None]:
    """Jobs crowded into a few dozen microseconds (so that timestamps tie and window edges fall on jobs), or
    spread over years; a random hidden tie-break, and a random range to list (open below or not)."""
    span = draw(st.sampled_from([40, 10**14]))
    offsets = draw(st.lists(st.integers(0, span), max_size=60))
    statuses = draw(st.lists(st.sampled_from(["COMPLETED", "FAILED"]), min_size=len(offsets), max_size=len(offsets)))
    base = kit.T0 - span * MICROSECOND
    jobs = [
        kit.job(i, created_at=base + o * MICROSECOND, status=s)
        for i, (o, s) in enumerate(zip(offsets, statuses, strict=True))
    ]
    store = kit.JobStore.with_ranks(jobs, seed=draw(st.integers(0, 2**16)), default_page_size=draw(st.integers(1, 7)))
    low = draw(st.integers(-2, span))
    after = None if draw(st.booleans()) else base + low * MICROSECOND
    before = None if draw(st.booleans()) else base + draw(st.integers(low, span + 2)) * MICROSECOND
    return store, after, before


def server_order(
    store: Any, after: datetime.datetime | None, before: datetime.datetime | None, **filters: str
) -> list[str]:
    params = dict(filters)
    if after is not None:
        params["created_at_on_or_after"] = after.isoformat()
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


def test_a_listing_that_fits_one_page_costs_one_request(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(10)], default_page_size=10)
    client, _ = kit.client(store)
    assert len(list(client.jobs.list(parallel=8))) == 10
    assert len(store.requests) == 1
    assert "created_at_on_or_before" not in store.requests[0].url.params


def hold_the_plain_listing(store: Any) -> None:
    """Make the caller's own listing wait, after its first page, until a window has been asked for: against an
    instant in-process server it could otherwise finish before the windows are cut (and need none)."""
    window_asked = threading.Event()

    def fault(request: httpx.Request, _count: int) -> httpx.Response | None:
        if "created_at_on_or_before" in request.url.params:
            window_asked.set()
        elif "page_token" in request.url.params:
            window_asked.wait(timeout=30)
        return None

    store.fault = fault


def test_the_windows_lie_below_the_first_page_and_within_the_callers_range(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(300)], default_page_size=10)  # one job a second
    hold_the_plain_listing(store)
    client, _ = kit.client(store)
    after = kit.T0 - datetime.timedelta(days=1)
    jobs = list(client.jobs.list(created_at_on_or_after=after, parallel=4))
    assert [job.id for job in jobs] == [kit.job(i)["id"] for i in range(300)]
    first, *others = store.requests
    assert dict(first.url.params) == {"created_at_on_or_after": after.isoformat()}  # the caller's own query
    oldest_page_one = kit.T0 - datetime.timedelta(seconds=9)
    windows = {
        (r.url.params["created_at_on_or_after"], r.url.params["created_at_on_or_before"])
        for r in others
        if "created_at_on_or_before" in r.url.params
    }
    assert len(windows) >= 3  # one per free worker at least
    for low, high in windows:
        assert after <= datetime.datetime.fromisoformat(low) < datetime.datetime.fromisoformat(high)
        assert datetime.datetime.fromisoformat(high) < oldest_page_one


def test_without_a_lower_bound_the_oldest_window_is_open(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(100)], default_page_size=10)
    hold_the_plain_listing(store)
    client, _ = kit.client(store)
    assert len(list(client.jobs.list(parallel=3))) == 100
    narrowed = [r.url.params for r in store.requests if "created_at_on_or_before" in r.url.params]
    assert any("created_at_on_or_after" not in params for params in narrowed)  # reaches whatever is oldest
    assert all(
        datetime.datetime.fromisoformat(p["created_at_on_or_after"]) >= EPOCH
        for p in narrowed
        if "created_at_on_or_after" in p
    )


def test_an_error_in_any_window_fails_the_listing(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(40)], default_page_size=3)

    window_asked = threading.Event()

    def fault(request: httpx.Request, _count: int) -> httpx.Response | None:
        if "created_at_on_or_before" in request.url.params:  # every window but the caller's own listing
            window_asked.set()
            return httpx.Response(404, json={"detail": "gone"})
        if "page_token" in request.url.params:
            window_asked.wait(timeout=30)  # as hold_the_plain_listing
        return None

    store.fault = fault
    client, _ = kit.client(store, max_retries=0)
    with pytest.raises(NotFoundError):
        list(client.jobs.list(parallel=4))


def test_parallel_takes_no_page_token(kit: Any) -> None:
    client, _ = kit.client(kit.JobStore([]))
    with pytest.raises(ValueError, match="page_token"):
        client.jobs.list(parallel=4, page_token="t")
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
    broken = kit.job(3) | {"created_at": "last tuesday"}
    page = {"items": [kit.job(1), kit.job(2), broken], "next_page_token": None}
    client, _ = kit.client(lambda request: httpx.Response(200, json=page), max_retries=0)
    with pytest.raises(ResponseValidationError, match="created_at cannot be read"):
        list(client.jobs.list(raw=True, parallel=2))
