"""Retries: which failures, how many times, how long between them, and that a listing resumes where it was; and
the rules themselves, `llamacloud_extract.retries`, which the client's sender, the command line and the
conformance kit's request guard all follow."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_extract import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    RateLimitError,
    retries,
)
from llamacloud_extract.retries import retry_delay

OK_PAGE = {"items": [], "next_page_token": None}


def failing(times: int, failure: Callable[[], httpx.Response], log: list[httpx.Request]) -> Callable[..., Any]:
    """A responder that fails `times` times, then answers an empty page."""

    def respond(request: httpx.Request) -> httpx.Response:
        log.append(request)
        return failure() if len(log) <= times else httpx.Response(200, json=OK_PAGE)

    return respond


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 520, 599])
def test_retryable_statuses_are_retried(kit: Any, status: int) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(3, lambda: httpx.Response(status), log))
    assert list(client.jobs.list()) == []
    assert len(log) == 4
    assert len(sleeps.delays) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 499])
def test_other_statuses_are_not_retried(kit: Any, status: int) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(1, lambda: httpx.Response(status, json={"detail": "no"}), log))
    with pytest.raises(APIStatusError) as caught:
        list(client.jobs.list())
    assert caught.value.status_code == status
    assert len(log) == 1
    assert sleeps.delays == []


def test_the_default_is_five_retries_then_the_error(kit: Any) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(100, lambda: httpx.Response(503, text="busy"), log))
    assert client.max_retries == 5
    with pytest.raises(InternalServerError) as caught:
        list(client.jobs.list())
    assert len(log) == 6
    assert len(sleeps.delays) == 5
    assert caught.value.body == "busy"


def test_max_retries_zero_fails_at_once(kit: Any) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(1, lambda: httpx.Response(429), log), max_retries=0)
    with pytest.raises(RateLimitError):
        list(client.jobs.list())
    assert len(log) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize(
    ("status", "header", "retried"),
    [(400, "true", True), (503, "false", False), (409, "false", False), (404, "true", True)],
)
def test_x_should_retry_overrides_the_status(kit: Any, status: int, header: str, retried: bool) -> None:
    log: list[httpx.Request] = []
    client, _ = kit.client(failing(1, lambda: httpx.Response(status, headers={"x-should-retry": header}), log))
    if retried:
        assert list(client.jobs.list()) == []
    else:
        with pytest.raises(APIStatusError):
            list(client.jobs.list())
    assert len(log) == (2 if retried else 1)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # the precise one wins
        ({"retry-after": "60"}, 60.0),
    ],
)
def test_the_server_chooses_the_delay_when_reasonable(kit: Any, headers: dict[str, str], expected: float) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(1, lambda: httpx.Response(429, headers=headers), log))
    list(client.jobs.list())
    assert sleeps.delays == [pytest.approx(expected)]


def test_retry_after_as_an_http_date(kit: Any) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(1, lambda: httpx.Response(503, headers={"retry-after": when}), log))
    list(client.jobs.list())
    assert 15 < sleeps.delays[0] <= 21


@pytest.mark.parametrize("value", ["0", "-1", "61", "3600", "soon"])
def test_an_unreasonable_retry_after_falls_back_to_backoff(kit: Any, value: str) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(1, lambda: httpx.Response(429, headers={"retry-after": value}), log))
    list(client.jobs.list())
    assert 0.375 <= sleeps.delays[0] <= 0.5  # the first backoff step, with its jitter


@given(retries_taken=st.integers(0, 2000))
@settings(max_examples=200)
def test_backoff_doubles_to_a_cap_with_up_to_a_quarter_of_jitter(retries_taken: int) -> None:
    step = min(0.5 * 2.0 ** min(retries_taken, 64), 8.0)
    assert 0.75 * step <= retry_delay(retries_taken, None) <= step


def test_delays_grow_between_attempts(kit: Any) -> None:
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(5, lambda: httpx.Response(500), log))
    list(client.jobs.list())
    steps = [0.5, 1.0, 2.0, 4.0, 8.0]
    assert [0.75 * s <= d <= s for s, d in zip(steps, sleeps.delays, strict=True)] == [True] * 5


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.ReadError("reset"), APIConnectionError),
        (httpx.RemoteProtocolError("closed early"), APIConnectionError),
        (httpx.ConnectTimeout("slow"), APITimeoutError),
        (httpx.ReadTimeout("slow"), APITimeoutError),
    ],
)
def test_connection_failures_are_retried_then_raised(kit: Any, error: Exception, raised: type[Exception]) -> None:
    attempts: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise error

    client, sleeps = kit.client(respond, max_retries=2)
    with pytest.raises(raised) as caught:
        list(client.jobs.list())
    assert type(caught.value) is raised
    assert len(attempts) == 3
    assert len(sleeps.delays) == 2
    assert "after 3 attempts" in str(caught.value)
    assert caught.value.method == "GET"


def test_a_connection_failure_then_success(kit: Any) -> None:
    attempts: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if len(attempts) < 3:
            raise httpx.ConnectError("refused")
        return httpx.Response(200, json={"items": [kit.job(1)], "next_page_token": None})

    client, _ = kit.client(respond)
    assert [job.id for job in client.jobs.list()] == ["ext-00000001"]


def test_a_retry_in_the_middle_of_a_listing_asks_for_the_same_page(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(30)], default_page_size=10)
    store.fault = lambda request, count: httpx.Response(503) if count in (2, 3) else None
    client, sleeps = kit.client(store)
    ids = [job.id for job in client.jobs.list(read_ahead=False)]
    assert ids == [job["id"] for job in store.jobs]  # nothing lost, nothing twice
    tokens = [request.url.params.get("page_token") for request in store.requests]
    assert tokens[1] == tokens[2] == tokens[3] is not None  # page 2, asked for three times
    assert len(tokens) == 5
    assert len(sleeps.delays) == 2


def test_a_failed_listing_can_be_resumed_from_the_last_page_it_delivered(kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(30)], default_page_size=10)
    store.fault = lambda request, count: httpx.Response(502) if count == 2 else None
    client, _ = kit.client(store, max_retries=0)
    delivered: list[Any] = []
    with pytest.raises(InternalServerError):
        delivered.extend(client.jobs.list(read_ahead=False).pages())
    resumed = list(client.jobs.list(page_token=delivered[-1].next_page_token))
    assert [j.id for p in delivered for j in p.items] + [j.id for j in resumed] == [j["id"] for j in store.jobs]


def test_the_conflict_class_exists_for_409_after_retries(kit: Any) -> None:
    log: list[httpx.Request] = []
    client, _ = kit.client(failing(10, lambda: httpx.Response(409, json={"detail": "locked"}), log), max_retries=1)
    with pytest.raises(ConflictError):
        client.runs.list()


def test_runs_are_retried_too(kit: Any) -> None:
    calls: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500) if len(calls) == 1 else httpx.Response(200, json=[kit.run(1)])

    client, _ = kit.client(respond)
    assert len(client.runs.list()) == 1
    assert len(calls) == 2


def test_async_retries_follow_the_same_policy(kit: Any) -> None:
    calls: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"retry-after-ms": "100"})
        if len(calls) == 2:
            raise httpx.ReadTimeout("slow")
        if len(calls) == 3:
            return httpx.Response(400, json={"detail": "bad"})
        return httpx.Response(200, json=OK_PAGE)

    async def go() -> list[float]:
        client, sleeps = kit.async_client(respond)
        async with client:
            with pytest.raises(BadRequestError):
                [job async for job in client.jobs.list()]
        return sleeps.delays

    delays = asyncio.run(go())
    assert len(calls) == 3
    assert delays[0] == pytest.approx(0.1)
    assert 0.75 <= delays[1] <= 1.0  # second retry: 1 s step


# ---- the rules, as a public module ---------------------------------------------------------------------------

HEADER_VALUES = st.one_of(
    st.sampled_from(["true", "false", "0", "2", "60", "61", "-1", "0.25", "nan", "inf", "soon", ""]),
    st.floats(-10, 100, allow_nan=False).map(str),
)
HEADER_NAMES = st.sampled_from(["retry-after", "retry-after-ms", "x-should-retry"])


def _spelled(name: str, case: int) -> str:
    """`name` in one of the spellings a server or a library may give it."""
    return [name, name.upper(), name.title(), name.capitalize()][case]


@settings(max_examples=300, deadline=None)
@given(
    status=st.integers(100, 599),
    sent=st.dictionaries(HEADER_NAMES, HEADER_VALUES),
    cases=st.lists(st.integers(0, 3), min_size=3, max_size=3),
    taken=st.integers(0, 70),
)
def test_the_rules_read_any_mapping_of_headers_in_any_case(
    status: int, sent: dict[str, str], cases: list[int], taken: int
) -> None:
    """The client hands the rules `httpx.Headers`, the conformance kit's guard `requests`' headers as well: a
    header is read whatever the case of its name and the kind of mapping, and the answers are the rules'."""
    spelled = {_spelled(name, case): value for (name, value), case in zip(sorted(sent.items()), cases, strict=False)}
    for headers in (sent, spelled, httpx.Headers(spelled)):
        asked = sent.get("x-should-retry")
        expected = {"true": True, "false": False}.get(asked or "", status in (408, 409, 429) or status >= 500)
        assert retries.should_retry(status, headers) is expected
        assert retries.retry_after(headers) == retries.retry_after(sent)
        wait = retries.retry_after(sent)
        delay = retry_delay(taken, headers)
        if wait is not None and 0 < wait <= retries.MAX_RETRY_AFTER:
            assert delay == wait
        else:
            step = min(retries.INITIAL_RETRY_DELAY * 2.0 ** min(taken, 64), retries.MAX_RETRY_DELAY)
            assert 0.75 * step <= delay <= step


def test_retry_after_in_every_spelling() -> None:
    assert retries.retry_after({"Retry-After": "2"}) == 2.0
    assert retries.retry_after({"RETRY-AFTER-MS": "1500"}) == 1.5
    assert retries.retry_after({"Retry-After": "soon"}) is None
    assert retries.retry_after({}) is None
    assert retries.retry_after(None) is None
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (retries.retry_after({"Retry-After": when}) or 0) <= 31
    naive = email.utils.formatdate(time.time() + 30, usegmt=True).replace(" GMT", "")  # no zone: UTC
    assert 25 < (retries.retry_after({"Retry-After": naive}) or 0) <= 31


def test_the_client_waits_as_the_module_says(kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender reads the rules when it computes a delay: there is no second copy of them."""
    monkeypatch.setattr(retries, "INITIAL_RETRY_DELAY", 2.0)
    log: list[httpx.Request] = []
    client, sleeps = kit.client(failing(2, lambda: httpx.Response(503), log))
    list(client.jobs.list())
    assert [1.5 <= sleeps.delays[0] <= 2.0, 3.0 <= sleeps.delays[1] <= 4.0] == [True, True]


def test_the_defaults_are_the_modules() -> None:
    from llamacloud_extract import DEFAULT_MAX_RETRIES, ExtractClient

    assert DEFAULT_MAX_RETRIES is retries.DEFAULT_MAX_RETRIES == 5
    with ExtractClient(api_key="k", base_url="http://127.0.0.1:9") as client:
        assert client.max_retries == retries.DEFAULT_MAX_RETRIES
