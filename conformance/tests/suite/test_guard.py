"""The request guard: origin, read-only, budget, pace and 429 waits, each shown to hold."""

from __future__ import annotations

import httpx
import pytest

from llamacloud_conformance.guard import (
    BudgetExhaustedError,
    GuardedHTTPXTransport,
    GuardViolationError,
    RequestGuard,
    RequestPolicy,
    retry_after_seconds,
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


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"Retry-After": "2"}, 2.0), ({"retry-after-ms": "1500"}, 1.5), ({"Retry-After": "soon"}, None), ({}, None)],
)
def test_retry_after_is_read_in_every_spelling(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(headers) == expected


def test_a_429_is_waited_out_and_retried_then_given_up() -> None:
    guard, time = _guard(max_429_retries=2)
    answers = iter([429, 429, 200])

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), headers={"Retry-After": "3"})

    transport = GuardedHTTPXTransport(guard, httpx.MockTransport(respond))
    with httpx.Client(transport=transport, base_url=BASE) as client:
        assert client.get("/x").status_code == 200
    assert time.slept == [3.0, 3.0]
    assert guard.sent == 3
    answers = iter([429, 429, 429])
    with httpx.Client(transport=transport, base_url=BASE) as client:
        assert client.get("/x").status_code == 429  # after max_429_retries waits, the 429 is the answer
