"""The request guard: origin, read-only, budget, pace and retries, each shown to hold."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from llamacloud_conformance.guard import (
    DROPPED,
    RETRY_CAP_FACTOR,
    BudgetExhaustedError,
    GuardedHTTPXTransport,
    GuardViolationError,
    RequestGuard,
    RequestPolicy,
    Retried,
)

BASE = "https://api.example.test"


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _guard(**policy: object) -> tuple[RequestGuard, FakeTime]:
    time = FakeTime()
    return RequestGuard(RequestPolicy(BASE, **policy), clock=time.clock, sleep=time.sleep), time  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/api/v2/extract", "http://api.example.test/api/v2/extract", "https://api.example.test:444/x"],
)
def test_other_origins_are_refused_before_anything_is_sent(url: str) -> None:
    guard, _ = _guard()
    with pytest.raises(GuardViolationError, match="not the target"):
        guard.admit("GET", url)
    assert guard.sent == 0


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS"])
def test_a_read_only_run_sends_only_get(method: str) -> None:
    guard, _ = _guard(read_only=True)
    guard.admit("GET", f"{BASE}/api/v2/extract")
    with pytest.raises(GuardViolationError, match="read-only"):
        guard.admit(method, f"{BASE}/api/v2/extract")


def test_the_budget_is_a_hard_limit() -> None:
    guard, _ = _guard(max_requests=3)
    for _ in range(3):
        guard.admit("GET", f"{BASE}/x")
    with pytest.raises(BudgetExhaustedError, match="budget of 3"):
        guard.admit("GET", f"{BASE}/x")
    assert guard.sent == 3


def test_requests_are_paced_at_the_rate_limit() -> None:
    guard, time = _guard(rate_limit=4.0)
    for _ in range(5):
        guard.admit("GET", f"{BASE}/x")
    assert time.now == pytest.approx(100.0 + 4 * 0.25)


def _transport(guard: RequestGuard, answers: list[int | Exception], headers: dict[str, str] | None = None) -> Any:
    queue = iter(answers)

    def respond(request: httpx.Request) -> httpx.Response:
        answer = next(queue)
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, headers=headers or {})

    return GuardedHTTPXTransport(guard, httpx.MockTransport(respond))


def test_a_transient_failure_is_waited_out_and_retried_then_reported_as_recovered() -> None:
    guard, time = _guard(max_retries=2)
    seen: list[Retried] = []
    guard.on_retry = seen.append
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    with httpx.Client(transport=_transport(guard, [429, dropped, 200], {"Retry-After": "3"}), base_url=BASE) as c:
        assert c.get("/x").status_code == 200
    assert time.slept[0] == 3.0  # as the 429 asked
    assert 0.75 <= time.slept[1] <= 1.0  # the second retry: 1 s, less up to a quarter of jitter
    assert guard.sent == 3  # every attempt counts against the budget
    assert guard.retries == 2
    assert seen == [Retried("GET", f"{BASE}/x", seen[0].reproduce, ("429", DROPPED), recovered=True)]


def test_the_same_failure_on_every_attempt_is_reproduced_and_answered() -> None:
    guard, _ = _guard(max_retries=2)
    seen: list[Retried] = []
    guard.on_retry = seen.append
    with httpx.Client(transport=_transport(guard, [503, 503, 503, 200]), base_url=BASE) as c:
        assert c.get("/x").status_code == 503
    assert guard.sent == 3
    assert (seen[0].failures, seen[0].recovered, seen[0].reproduced) == (("503", "503", "503"), False, True)


def test_varied_failures_are_retried_past_max_retries_up_to_the_cap() -> None:
    guard, _ = _guard(max_retries=1)
    seen: list[Retried] = []
    guard.on_retry = seen.append
    varied: list[int | Exception] = [503, 500] * 10
    with httpx.Client(transport=_transport(guard, [503, 500, 503, 500, 200]), base_url=BASE) as c:
        assert c.get("/x").status_code == 200  # the client would have given up after 503, 500
    with httpx.Client(transport=_transport(guard, varied), base_url=BASE) as c:
        assert c.get("/x").status_code in (500, 503)
    assert len(seen[1].failures) == 2 * RETRY_CAP_FACTOR
    assert (seen[1].recovered, seen[1].reproduced) == (False, False)


def test_a_transport_error_that_reproduces_is_raised_as_itself() -> None:
    guard, _ = _guard(max_retries=1)
    refused = httpx.ConnectError("Connection refused")
    with (
        httpx.Client(transport=_transport(guard, [refused, refused]), base_url=BASE) as c,
        pytest.raises(httpx.ConnectError),
    ):
        c.get("/x")
    assert guard.sent == 2


def test_retries_stop_at_the_budget() -> None:
    guard, _ = _guard(max_retries=5, max_requests=2)
    with (
        httpx.Client(transport=_transport(guard, [503, 503, 503]), base_url=BASE) as c,
        pytest.raises(BudgetExhaustedError),
    ):
        c.get("/x")
    assert guard.sent == 2


@pytest.mark.parametrize("value", ["true", "false"])
def test_x_should_retry_overrides_the_status(value: str) -> None:
    guard, _ = _guard(max_retries=1)
    with httpx.Client(transport=_transport(guard, [400, 400], {"x-should-retry": value}), base_url=BASE) as c:
        c.get("/x")
    assert guard.sent == (2 if value == "true" else 1)
