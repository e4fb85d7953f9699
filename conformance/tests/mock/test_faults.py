"""Fault injection: every kind, armed per server (Python and HTTP) or per request (header), counted or seeded."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

import httpx
import pytest

from llamacloud_conformance import bounds
from llamacloud_conformance.mock import (
    ConnectionDropped,
    Dataset,
    FaultRule,
    FaultSpecError,
    MockServer,
    MockState,
    create_app,
)
from llamacloud_conformance.mock.faults import FaultPlan, parse_fault_header

JOBS = "/api/v2/extract"
RUNS = "/api/v1/extractionv2/runs"


def raw_exchange(server: MockServer, path: str = JOBS, extra: str = "") -> bytes:
    """Everything the server sends back on one connection for one request, until it closes."""
    parts = urlsplit(server.base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        request = f"GET {path} HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer {server.api_key}\r\n{extra}Connection: close\r\n\r\n"
        conn.sendall(request.encode())
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize("code", [429, 500, 502, 503])
def test_status_for_the_next_n_requests(server: MockServer, client: httpx.Client, code: int) -> None:
    server.set_faults([FaultRule.status(code, count=2)])
    first, second, third = (client.get(JOBS) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (code, code, 200)
    assert first.json() == {"detail": first.reason_phrase}
    assert first.headers["x-mock-fault-injected"] == f"status={code}"
    assert ("retry-after" in first.headers) == (code == 429)
    if code == 429:
        assert first.headers["retry-after"] == "1"
    assert [e.status for e in server.request_log] == [code, code, 200]
    assert server.faults[0]["remaining"] == 0


def test_retry_after_can_be_chosen(server: MockServer, client: httpx.Client) -> None:
    server.set_faults([FaultRule.status(503, retry_after=0.25, count=1), FaultRule.status(429, retry_after=7, count=1)])
    assert client.get(JOBS).headers["retry-after"] == "0.25"
    assert client.get(JOBS).headers["retry-after"] == "7"


def test_seeded_rate_is_repeatable_and_roughly_that_rate(server: MockServer, client: httpx.Client) -> None:
    rule = FaultRule.status(500, rate=0.3, seed=42)
    plan = FaultPlan([rule])
    predicted = [plan.decide(JOBS).outcome is not None for _ in range(60)]
    server.set_faults([rule])
    observed = [client.get(JOBS).status_code == 500 for _ in range(60)]
    assert observed == predicted
    assert 5 <= sum(observed) <= 35
    other = FaultPlan([FaultRule.status(500, rate=0.3, seed=43)])
    other_seed = [other.decide(JOBS).outcome is not None for _ in range(60)]
    assert other_seed != predicted


def test_drop_closes_without_a_byte(server: MockServer, client: httpx.Client) -> None:
    server.set_faults([FaultRule.drop(count=1)])
    assert raw_exchange(server) == b""
    assert client.get(JOBS).status_code == 200
    assert server.request_log[0].status is None
    assert server.request_log[0].faults == ("drop",)
    server.set_faults([FaultRule.drop(count=1)])
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(JOBS)


@pytest.mark.parametrize("cut", [None, 0, 25])
def test_truncate_sends_headers_and_part_of_the_body(server: MockServer, cut: int | None) -> None:
    server.set_faults([FaultRule.truncate(cut, count=1)])
    head, _, body = raw_exchange(server).partition(b"\r\n\r\n")
    length = int(
        next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")).split(b":")[1]
    )
    assert head.startswith(b"HTTP/1.1 200")
    assert len(body) == (length // 2 if cut is None else cut)
    assert len(body) < length


def test_truncated_body_is_an_error_for_httpx(server: MockServer, client: httpx.Client) -> None:
    server.set_faults([FaultRule.truncate(count=1)])
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(JOBS)
    assert client.get(JOBS).status_code == 200


def test_rules_match_paths(server: MockServer, client: httpx.Client) -> None:
    server.set_faults([FaultRule.status(503, path=RUNS)])
    assert client.get(JOBS).status_code == 200
    assert client.get(RUNS).status_code == 503
    assert httpx.get(server.base_url + "/_mock/health").status_code == 200  # the admin API is never faulted


def test_first_firing_outcome_wins_and_later_rules_keep_their_counts(server: MockServer, client: httpx.Client) -> None:
    server.set_faults([FaultRule.status(500, count=1), FaultRule.status(502, count=1)])
    assert [client.get(JOBS).status_code for _ in range(3)] == [500, 502, 200]


@pytest.mark.parametrize(
    ("header", "status"),
    [("status=503", 503), ("status=429;retry_after=3", 429), ("latency=0, status=502", 502), ("latency=0.001", 200)],
)
def test_per_request_header(server: MockServer, client: httpx.Client, header: str, status: int) -> None:
    response = client.get(JOBS, headers={"X-Mock-Fault": header})
    assert response.status_code == status
    assert client.get(JOBS).status_code == 200
    if "retry_after" in header:
        assert response.headers["retry-after"] == "3"


def test_per_request_drop_and_truncate(server: MockServer) -> None:
    assert raw_exchange(server, extra="X-Mock-Fault: drop\r\n") == b""
    head, _, body = raw_exchange(server, extra="X-Mock-Fault: truncate=10\r\n").partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert len(body) == 10


@pytest.mark.parametrize(
    "header",
    [
        "explode",
        "status=abc",
        "status=200",
        "latency=-1",
        "drop=3",
        "status=503;when=now",
        "",
        "status=" + "9" * 5000,  # past int()'s 4300 digits: was a 500
        "status=\u00b2",  # a digit to str.isdigit, not to int(): was a 500
        "latency=1e400",
        "status=503;retry_after=1e400",
        ", ".join(["latency=0"] * (bounds.MAX_HEADER_FAULTS + 1)),
    ],
    ids=lambda header: header[:30],
)
def test_a_bad_fault_header_gets_400_naming_the_problem(client: httpx.Client, header: str) -> None:
    response = client.get(JOBS, headers={"X-Mock-Fault": header.encode("latin-1")})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("X-Mock-Fault: ")


def test_admin_api_arms_lists_and_clears_faults(client: httpx.Client, admin: httpx.Client) -> None:
    armed = admin.post("/_mock/faults", json={"rules": [{"kind": "status", "status_code": 502, "count": 1}]})
    assert armed.status_code == 200
    assert armed.json()["rules"][0]["remaining"] == 1
    assert client.get(JOBS).status_code == 502
    assert admin.get("/_mock/faults").json()["rules"][0]["remaining"] == 0
    admin.post("/_mock/faults", json=[{"kind": "drop"}])
    assert admin.delete("/_mock/faults").json() == {"rules": []}
    assert client.get(JOBS).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"rules": 3}',
        b'[{"kind": "flood"}]',
        b'[{"kind": "status", "status_code": 200}]',
        b'[{"status": 1}]',
        b"[1]",
    ],
)
def test_admin_api_rejects_bad_rules_clearly(admin: httpx.Client, body: bytes) -> None:
    response = admin.post("/_mock/faults", content=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]


def test_admin_api_shows_and_clears_the_request_log(
    server: MockServer, client: httpx.Client, admin: httpx.Client
) -> None:
    client.get(JOBS, params=[("job_ids", "a"), ("job_ids", "b")])
    log = admin.get("/_mock/requests").json()["requests"]
    assert log == [
        {"method": "GET", "path": JOBS, "query": [["job_ids", "a"], ["job_ids", "b"]], "status": 200, "faults": []}
    ]
    assert admin.delete("/_mock/requests").json() == {"requests": []}
    assert server.request_log == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: FaultRule("flood"), "kind: Input should be 'latency', 'status', 'drop' or 'truncate'"),
        (lambda: FaultRule.status(200), "status_code: Input should be greater than or equal to 400"),
        (lambda: FaultRule.status(503, rate=1.5), "rate: Input should be less than or equal to 1"),
        (lambda: FaultRule.latency(-1), "delay: Input should be greater than or equal to 0"),
        (lambda: FaultRule.drop(count=-1), "count: Input should be greater than or equal to 0"),
        (lambda: FaultRule.truncate(-3), "truncate_at: Input should be greater than or equal to 0"),
        (lambda: FaultRule.from_json({"kind": "drop", "times": 3}), "times: Extra inputs are not permitted"),
        (lambda: parse_fault_header("status=503;retry_after=soon"), "needs a number"),
    ],
)
def test_rule_mistakes_are_named(make: object, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        make()  # type: ignore[operator]


def test_rules_round_trip_through_json() -> None:
    rules = [
        FaultRule.latency(0.2, path=RUNS),
        FaultRule.status(429, retry_after="Wed, 21 Oct 2026 07:28:00 GMT", count=3),
    ]
    assert [FaultRule.from_json(r.to_json()) for r in rules] == rules


def _in_process(state: MockState, headers: dict[str, str] | None = None) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(state))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.get(JOBS, headers={"Authorization": "Bearer k", **(headers or {})})

    return asyncio.run(call())


def test_latency_waits_the_sum_of_matching_delays_then_answers() -> None:
    waited: list[float] = []

    async def record(seconds: float) -> None:
        waited.append(seconds)

    dataset = Dataset.generate(seed=1, jobs=5, runs=1)
    state = MockState(
        dataset, {"k": dataset.default_project_id}, faults=[FaultRule.latency(0.25), FaultRule.latency(0.5, count=1)]
    )
    state.sleep = record
    first = _in_process(state, {"X-Mock-Fault": "latency=0.125"})
    second = _in_process(state)
    assert (first.status_code, second.status_code) == (200, 200)
    assert waited == [0.875, 0.25]
    assert first.headers["x-mock-fault-injected"] == "latency=0.125, latency=0.25, latency=0.5"


def test_without_a_real_server_a_drop_is_an_exception() -> None:
    dataset = Dataset.generate(seed=1, jobs=5, runs=1)
    state = MockState(dataset, {"k": dataset.default_project_id}, faults=[FaultRule.drop()])
    with pytest.raises(ConnectionDropped):
        _in_process(state)
