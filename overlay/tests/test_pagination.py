"""Auto-pagination: the pager walks the tokens exactly as the official SDK does, stops where it should, refuses
to loop on a repeated token, and honours `limit`, `page_token`, `.pages()` and read-ahead."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import gc
import threading
import time
import weakref
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract import ExtractClient, ExtractV2Job, Page, PaginationError
from llamacloud_extract._pagination import READ_AHEAD_AFTER

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The last page's token, in the three spellings that all mean "no more pages".
END = st.sampled_from(["absent", None, ""])


@st.composite
def scripts(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A server's page sequence: random sizes (empty pages included), tokens from a small alphabet so that
    repeats happen, and one of the three spellings of the end."""
    count = draw(st.integers(1, 8))
    pages = []
    serial = 0
    for number in range(count):
        size = draw(st.integers(0, 4))
        items = [{"n": serial + i} for i in range(size)]
        serial += size
        page: dict[str, Any] = {"items": items}
        if number < count - 1:
            page["next_page_token"] = draw(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]))
        else:
            end = draw(END)
            if end != "absent":
                page["next_page_token"] = end
        pages.append(page)
    return pages


def expected_walk(pages: list[dict[str, Any]], start: str | None = None) -> tuple[list[Any], int, bool]:
    """The reference model: (items delivered, pages requested, whether a repeated token must be reported)."""
    items: list[Any] = []
    seen = {start} if start else set()
    for number, page in enumerate(pages):
        items += page["items"]
        token = page.get("next_page_token")
        if not page["items"] or not token:
            return items, number + 1, False
        if token in seen:
            return items, number + 1, True
        seen.add(token)
    raise AssertionError("a script always ends")


@SETTINGS
@given(pages=scripts(), read_ahead=st.booleans())
def test_the_pager_follows_the_server_until_it_says_stop(
    kit: Any, pages: list[dict[str, Any]], read_ahead: bool
) -> None:
    server = kit.ScriptedPages(pages)
    client, _ = kit.client(server)
    items, requested, repeats = expected_walk(pages)
    got: list[Any] = []
    listing = client.jobs.list(raw=True, status="RUNNING", page_size=4, read_ahead=read_ahead)
    if repeats:
        with pytest.raises(PaginationError, match="a second time"):
            got.extend(listing)
    else:
        got.extend(listing)
    assert got == items  # nothing lost, nothing repeated, the page that carried a repeated token included
    assert server.wrong_tokens == []
    assert len(server.requests) == requested  # read-ahead never fetches past the end or past a repeated token


@SETTINGS
@given(pages=scripts())
def test_every_page_request_resends_every_filter(kit: Any, pages: list[dict[str, Any]]) -> None:
    server = kit.ScriptedPages(pages)
    client, _ = kit.client(server)
    since = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    listing = client.jobs.list(
        raw=True, status="FAILED", expand=["configuration", "usage"], job_ids=["x", "y"], created_at_on_or_after=since
    )
    with contextlib.suppress(PaginationError):
        list(listing)
    first = server.requests[0].url.params
    assert "page_token" not in first
    assert first.get_list("expand") == ["configuration", "usage"]
    assert first.get_list("job_ids") == ["x", "y"]
    assert first["status"] == "FAILED"
    assert first["created_at_on_or_after"] == "2025-01-01T00:00:00+00:00"
    for request in server.requests[1:]:
        params = request.url.params
        assert [(k, v) for k, v in params.multi_items() if k != "page_token"] == list(first.multi_items())
        assert params["page_token"]


@SETTINGS
@given(pages=scripts(), limit=st.integers(0, 12), read_ahead=st.booleans())
def test_limit_stops_after_that_many_items(kit: Any, pages: list[dict[str, Any]], limit: int, read_ahead: bool) -> None:
    server = kit.ScriptedPages(pages)
    client, _ = kit.client(server)
    items, _, repeats = expected_walk(pages)
    got: list[Any] = []
    try:
        got.extend(client.jobs.list(raw=True, limit=limit, read_ahead=read_ahead))
    except PaginationError:
        assert repeats
        assert len(items) < limit
    assert got == items[:limit]
    if limit == 0:
        assert server.requests == []


def test_pages_carry_their_tokens_and_totals(kit: Any) -> None:
    server = kit.ScriptedPages(
        [
            {"items": [kit.job(1)], "next_page_token": "t1", "total_size": 2},
            {"items": [kit.job(2)], "next_page_token": None},
        ]
    )
    client, _ = kit.client(server)
    pages = list(client.jobs.list().pages())
    assert [p.page_token for p in pages] == [None, "t1"]
    assert [p.next_page_token for p in pages] == ["t1", None]
    assert [p.total_size for p in pages] == [2, None]
    assert all(isinstance(item, ExtractV2Job) for p in pages for item in p.items)
    assert isinstance(pages[0], Page)


def test_a_listing_resumes_from_a_saved_token(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    client, _ = kit.client(store)
    first = next(iter(client.jobs.list().pages()))
    assert first.next_page_token is not None
    before = len(store.requests)
    resumed = [job.id for job in client.jobs.list(page_token=first.next_page_token)]
    assert [j.id for j in first.items] + resumed == [j["id"] for j in store.jobs]
    assert store.requests[before].url.params["page_token"] == first.next_page_token


def test_a_token_equal_to_the_starting_one_is_a_repeat(kit: Any) -> None:
    server = kit.ScriptedPages([{"items": [{"n": 1}], "next_page_token": "start"}])
    client, _ = kit.client(server)
    got: list[Any] = []
    with pytest.raises(PaginationError) as caught:
        got.extend(client.jobs.list(raw=True, page_token="start"))
    assert got == [{"n": 1}]
    assert server.requests[0].url.params["page_token"] == "start"
    assert caught.value.url == kit.BASE_URL + "/api/v2/extract"
    assert "'start'" in str(caught.value)


def test_an_empty_page_token_starts_from_the_beginning(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(3)])
    client, _ = kit.client(store)
    assert len(list(client.jobs.list(page_token=""))) == 3
    assert "page_token" not in store.requests[0].url.params


def test_iterating_a_pager_again_starts_again(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(15)], default_page_size=10)
    client, _ = kit.client(store)
    pager = client.jobs.list(raw=True)
    assert list(pager) == list(pager) == store.jobs


def test_read_ahead_fetches_the_next_page_while_the_caller_holds_this_one(kit: Any) -> None:
    """One page ahead, never two: while the caller holds page n, page n+1 is requested and nothing more."""
    store = kit.JobStore([kit.job(i) for i in range(50)], default_page_size=10)
    requested = [threading.Event() for _ in range(6)]

    def responder(request: httpx.Request) -> httpx.Response:
        time.sleep(2 * READ_AHEAD_AFTER)  # a request that takes as long as a network's would
        response = store(request)
        requested[len(store.requests) - 1].set()
        return response

    client, _ = kit.client(responder)
    pages = client.jobs.list(raw=True).pages()
    for number in range(1, 5):
        next(pages)  # the caller now holds page `number` and does not ask for more
        assert requested[number].wait(timeout=30), "the next page was not requested in advance"
        assert len(store.requests) == number + 1  # exactly one page ahead
    pages.close()


def _requested_for_two_pages(kit: Any, **options: Any) -> int:
    """How many pages a listing (50 jobs, 10 a page) has asked for once the caller holds its second."""
    store = kit.JobStore([kit.job(i) for i in range(50)], default_page_size=10)
    client, _ = kit.client(store)
    pages = client.jobs.list(raw=True, **options).pages()
    next(pages)
    next(pages)
    requested = len(store.requests)
    pages.close()
    return requested


def test_no_read_ahead_when_requests_cost_no_waiting(kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing to hide (an in-process transport), handing requests to a thread would only cost time."""
    monkeypatch.setattr("llamacloud_extract._pagination.READ_AHEAD_AFTER", 60.0)  # no request here takes that long
    assert _requested_for_two_pages(kit) == 2


def test_without_read_ahead_pages_are_fetched_on_demand(kit: Any) -> None:
    assert _requested_for_two_pages(kit, read_ahead=False) == 2


def test_breaking_out_early_stops_fetching(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(100)], default_page_size=10)
    client, _ = kit.client(store)
    for index, _job in enumerate(client.jobs.list(raw=True, read_ahead=False)):
        if index == 14:
            break
    assert len(store.requests) == 2


# ---- async ---------------------------------------------------------------------------------------------------


@SETTINGS
@given(pages=scripts(), read_ahead=st.booleans(), limit=st.none() | st.integers(0, 12))
def test_the_async_pager_walks_like_the_sync_one(
    kit: Any, pages: list[dict[str, Any]], read_ahead: bool, limit: int | None
) -> None:
    server = kit.ScriptedPages(pages)
    items, _, repeats = expected_walk(pages)
    if limit is not None:
        items = items[:limit]

    async def walk() -> tuple[list[Any], bool]:
        client, _ = kit.async_client(server)
        got: list[Any] = []
        try:
            async for item in client.jobs.list(raw=True, read_ahead=read_ahead, limit=limit):
                got.append(item)  # noqa: PERF401 - one at a time: the items before an error must be kept
        except PaginationError:
            return got, True
        finally:
            await client.close()
        return got, False

    got, raised = asyncio.run(walk())
    assert got == items
    assert raised == (repeats and (limit is None or len(items) < limit))
    assert server.wrong_tokens == []


@pytest.mark.asyncio
async def test_async_read_ahead_requests_the_next_page_early(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(30)], default_page_size=10)
    client, _ = kit.async_client(store)
    pages = client.jobs.list(raw=True).pages()
    first = await anext(pages)
    for _ in range(10):  # let the read-ahead task run; it needs no real I/O with MockTransport
        await asyncio.sleep(0)
    assert len(store.requests) == 2
    assert [p.page_token for p in [first, await anext(pages)]] == [None, store.requests[1].url.params["page_token"]]
    await pages.aclose()  # type: ignore[attr-defined]
    await client.close()


@pytest.mark.asyncio
async def test_async_pages_and_typed_items(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    client, _ = kit.async_client(store)
    async with client:
        sizes = [len(page.items) async for page in client.jobs.list().pages()]
        ids = [job.id async for job in client.jobs.list(limit=12)]
    assert sizes == [10, 10, 5]
    assert ids == [j["id"] for j in store.jobs[:12]]


@pytest.mark.parametrize("raw", [False, True])
def test_the_pager_keeps_no_page_response_while_the_caller_works(kit: Any, raw: bool) -> None:
    """httpx responses sit in a reference cycle; if the pager held a page's response while the caller works
    through the page, the collector would promote it, body and all, and long listings would creep up in memory."""
    store = kit.JobStore([kit.job(i) for i in range(30)], default_page_size=10)
    responses: list[weakref.ref[httpx.Response]] = []
    http = httpx.Client(
        transport=httpx.MockTransport(store), event_hooks={"response": [lambda r: responses.append(weakref.ref(r))]}
    )
    client = ExtractClient(api_key=kit.API_KEY, base_url=kit.BASE_URL, http_client=http)
    alive_while_held = []
    for page in client.jobs.list(raw=raw, read_ahead=False).pages():
        gc.collect()
        alive_while_held.append(sum(ref() is not None for ref in responses))
        assert page.items
    assert alive_while_held == [0, 0, 0]
