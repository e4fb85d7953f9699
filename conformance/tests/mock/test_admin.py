"""The admin API under /_mock, used as a hostile caller would: it needs its own token, every input is bounded
and refused with FastAPI's 422, and a dataset being generated neither stops the server answering nor keeps it
from stopping."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance import bounds
from llamacloud_conformance.mock import Dataset, MockState, create_app, running_mock

JOBS = "/api/v2/extract"
ADMIN_TOKEN = "admin-token"
ROUTES = [
    ("GET", "/_mock/faults"),
    ("POST", "/_mock/faults"),
    ("DELETE", "/_mock/faults"),
    ("GET", "/_mock/requests"),
    ("DELETE", "/_mock/requests"),
    ("PUT", "/_mock/dataset"),
]


@pytest.fixture(scope="module")
def state() -> MockState:
    """A server held in this process (ASGI, no socket), whose datasets are cheap to make whatever size is asked:
    the bounds are what is tested here, not the generator."""
    small = Dataset.generate(seed=0, jobs=3, runs=1)
    made = MockState(small, {"api-key": small.default_project_id}, admin_token=ADMIN_TOKEN)
    made.generate = lambda **asked: small
    return made


def _call(
    state: MockState, method: str, path: str, *, token: str | None = ADMIN_TOKEN, **kwargs: Any
) -> httpx.Response:
    async def call() -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state)), base_url="http://mock") as c:
            return await c.request(method, path, headers=headers, **kwargs)

    return asyncio.run(call())


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_admin_route_but_health_needs_the_admin_token(state: MockState, method: str, path: str) -> None:
    body = {"content": b"{}"} if method == "PUT" else {"content": b"[]"} if method == "POST" else {}
    missing = _call(state, method, path, token=None, **body)
    assert (missing.status_code, missing.json()) == (401, {"detail": "Not authenticated"})
    assert missing.headers["www-authenticate"] == "Bearer"
    for wrong in ("api-key", "admin-token-", "ADMIN-TOKEN"):
        refused = _call(state, method, path, token=wrong, **body)
        assert (refused.status_code, refused.json()) == (401, {"detail": "Invalid admin token"})
    assert _call(state, method, path, **body).status_code == 200
    assert _call(state, "GET", "/_mock/health", token=None).status_code == 200


def test_the_admin_token_opens_nothing_but_the_admin_api(state: MockState) -> None:
    assert _call(state, "GET", JOBS, token=ADMIN_TOKEN).status_code == 401
    assert _call(state, "GET", JOBS, token="api-key").status_code == 200


def test_running_mock_makes_and_hides_an_admin_token() -> None:
    with running_mock(Dataset.generate(seed=0, jobs=2, runs=1), api_key="k") as server:
        token = server.admin_token
        assert token
        assert token != server.api_key
        assert token not in repr(server)
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{server.base_url}/_mock/faults", headers=headers).status_code == 200
        assert httpx.get(f"{server.base_url}/_mock/faults").status_code == 401
    with running_mock(Dataset.generate(seed=0, jobs=2, runs=1), admin_token="chosen") as server:
        assert server.admin_token == "chosen"


def _entry(kind: str, loc: list[Any], given: Any, msg: str, ctx: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": msg, "input": given, **({"ctx": ctx} if ctx else {})}


BIGGEST = f"Input should be less than or equal to {bounds.MAX_JOBS}"
DATASET_REFUSALS: list[tuple[bytes, list[dict[str, Any]]]] = [
    (b'{"jobs": 1e400}', [_entry("finite_number", ["body", "jobs"], "inf", "Input should be a finite number")]),
    (
        json.dumps({"jobs": bounds.MAX_JOBS + 1}).encode(),
        [_entry("less_than_equal", ["body", "jobs"], bounds.MAX_JOBS + 1, BIGGEST, {"le": bounds.MAX_JOBS})],
    ),
    (
        b'{"jobs": 100000000, "runs": -1}',
        [
            _entry("less_than_equal", ["body", "jobs"], 100000000, BIGGEST, {"le": bounds.MAX_JOBS}),
            _entry("greater_than_equal", ["body", "runs"], -1, "Input should be greater than or equal to 0", {"ge": 0}),
        ],
    ),
    (
        json.dumps({"seed": 2**63}).encode(),
        [
            _entry(
                "less_than_equal",
                ["body", "seed"],
                2**63,
                f"Input should be less than or equal to {2**63 - 1}",
                {"le": 2**63 - 1},
            )
        ],
    ),
    (
        b'{"jobs": 1.5}',
        [
            _entry(
                "int_from_float",
                ["body", "jobs"],
                1.5,
                "Input should be a valid integer, got a number with a fractional part",
            )
        ],
    ),
    (b'{"jobs": true}', [_entry("int_type", ["body", "jobs"], True, "Input should be a valid integer")]),
    (b'{"runs": "12"}', [_entry("int_type", ["body", "runs"], "12", "Input should be a valid integer")]),
    (b'{"jobz": 3}', [_entry("extra_forbidden", ["body", "jobz"], 3, "Extra inputs are not permitted")]),
    (
        b'{"runs": [NaN, {"a": -Infinity}]}',
        [_entry("int_type", ["body", "runs"], ["nan", {"a": "-inf"}], "Input should be a valid integer")],
    ),
    (
        b"[]",
        [
            _entry(
                "model_attributes_type",
                ["body"],
                [],
                "Input should be a valid dictionary or object to extract fields from",
            )
        ],
    ),
]


@pytest.mark.parametrize(("body", "detail"), DATASET_REFUSALS, ids=[b.decode()[:40] for b, _ in DATASET_REFUSALS])
def test_dataset_sizes_are_bounded_with_fastapis_422(state: MockState, body: bytes, detail: list[Any]) -> None:
    before = state.store
    response = _call(state, "PUT", "/_mock/dataset", content=body)
    assert response.status_code == 422, response.text
    assert response.json() == {"detail": detail}
    assert state.store is before


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", b"[" * 60_000, b'{"jobs": ' + b"9" * 5000 + b"}"],
    ids=["text", "bytes", "deep", "long"],
)
@pytest.mark.parametrize("path", ["/_mock/dataset", "/_mock/faults"])
def test_a_body_that_is_not_json_is_a_422_not_a_500(state: MockState, body: bytes, path: str) -> None:
    response = _call(state, "PUT" if path.endswith("dataset") else "POST", path, content=body)
    assert response.status_code == 422
    (entry,) = response.json()["detail"]
    assert (entry["type"], entry["loc"][0], entry["msg"]) == ("json_invalid", "body", "JSON decode error")


@pytest.mark.parametrize("path", ["/_mock/dataset", "/_mock/faults"])
def test_a_body_past_the_bound_is_refused_unread(state: MockState, path: str) -> None:
    method = "PUT" if path.endswith("dataset") else "POST"
    huge = b" " * (bounds.MAX_ADMIN_BODY + 1)
    assert _call(state, method, path, content=huge).status_code == 413

    def streamed() -> Any:  # no Content-Length: the server must count what it reads
        async def chunks() -> Any:
            for _ in range(bounds.MAX_ADMIN_BODY // 1024 + 2):
                yield b" " * 1024

        return chunks()

    assert _call(state, method, path, content=streamed()).status_code == 413


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
FIELD_VALUES = st.one_of(
    JSON_VALUES, st.integers(-5, bounds.MAX_SEED + 5), st.sampled_from([bounds.MAX_JOBS, bounds.MAX_RUNS])
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asked=st.dictionaries(st.sampled_from(["seed", "jobs", "runs", "other"]), FIELD_VALUES, max_size=4))
def test_any_dataset_request_is_served_or_refused_naming_each_bad_field(
    state: MockState, asked: dict[str, Any]
) -> None:
    most = {"seed": bounds.MAX_SEED, "jobs": bounds.MAX_JOBS, "runs": bounds.MAX_RUNS}

    def fits(name: str, value: Any) -> bool:
        whole = isinstance(value, int) and not isinstance(value, bool)
        whole = whole or (isinstance(value, float) and value.is_integer())
        return name in most and whole and 0 <= value <= most[name]

    response = _call(state, "PUT", "/_mock/dataset", content=json.dumps(asked).encode())
    bad = sorted(name for name, value in asked.items() if not fits(name, value))
    if not bad:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 422, response.text
    named = sorted(entry["loc"][1] for entry in response.json()["detail"])
    assert named == bad


FAULT_REFUSALS: list[tuple[Any, list[tuple[list[Any], str]]]] = [
    ([{"kind": "drop", "seed": [1]}], [([0, "seed"], "int_type")]),
    ([{"kind": "drop", "path": 123}], [([0, "path"], "string_type")]),
    ([{"kind": "status", "retry_after": "\u20ac"}], [([0, "retry_after"], "string_pattern_mismatch")]),
    ([{"kind": "status", "retry_after": 10**6}], [([0, "retry_after"], "less_than_equal")]),
    ([{"kind": "drop", "count": True}], [([0, "count"], "int_type")]),
    ([{"kind": "latency", "delay": bounds.MAX_DELAY + 1}], [([0, "delay"], "less_than_equal")]),
    (
        [{"kind": "drop"}, {"kind": "drop", "count": -1, "rate": 2}],
        [([1, "count"], "greater_than_equal"), ([1, "rate"], "less_than_equal")],
    ),
    (
        {"rules": [{"kind": "flood", "times": 3}]},
        [(["rules", 0, "kind"], "enum"), (["rules", 0, "times"], "extra_forbidden")],
    ),
    ({"rules": [{"delay": 1}]}, [(["rules", 0, "kind"], "missing")]),
    ({"rules": 3}, [(["rules"], "list_type")]),
    ([1], [([0], "model_type")]),
    ([{"kind": "drop"}] * (bounds.MAX_ARMED_RULES + 1), [([], "too_long")]),
]


@pytest.mark.parametrize(("body", "expected"), FAULT_REFUSALS)
def test_fault_rules_are_bounded_with_fastapis_422(state: MockState, body: Any, expected: list[Any]) -> None:
    response = _call(state, "POST", "/_mock/faults", json=body)
    assert response.status_code == 422, response.text
    got = [(entry["loc"][1:], entry["type"]) for entry in response.json()["detail"]]
    assert got == expected
    assert _call(state, "GET", "/_mock/faults").json() == {"rules": []}
    assert _call(state, "GET", JOBS, token="api-key").status_code == 200


# ---- generating a dataset while serving ------------------------------------------------------------------------


@pytest.fixture
def held() -> Iterator[tuple[threading.Event, threading.Event]]:
    """(entered, release): a generator that waits, half-way, until the test lets it finish."""
    entered, release = threading.Event(), threading.Event()
    yield entered, release
    release.set()


def _put_in_background(base_url: str, admin_token: str, body: dict[str, int]) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def put() -> None:
        headers = {"Authorization": f"Bearer {admin_token}"}
        try:
            outcome.append(httpx.put(f"{base_url}/_mock/dataset", json=body, headers=headers, timeout=60))
        except httpx.HTTPError as error:
            outcome.append(error)

    thread = threading.Thread(target=put, daemon=True)
    thread.start()
    return thread, outcome


def test_the_server_answers_while_a_dataset_is_generated(held: tuple[threading.Event, threading.Event]) -> None:
    entered, release = held
    fresh = Dataset.generate(seed=9, jobs=7, runs=2)

    def slow(**asked: Any) -> Dataset:
        entered.set()
        release.wait(60)
        return fresh

    with running_mock(Dataset.generate(seed=0, jobs=3, runs=1), api_key="k") as server:
        server._state.generate = slow  # the hook the admin API generates through
        admin = {"Authorization": f"Bearer {server.admin_token}"}
        thread, outcome = _put_in_background(server.base_url, server.admin_token, {"seed": 9, "jobs": 7, "runs": 2})
        assert entered.wait(30)
        health = httpx.get(f"{server.base_url}/_mock/health").json()
        assert (health["generating"], health["jobs"]) == (True, len(server.dataset.jobs))
        listed = httpx.get(f"{server.base_url}{JOBS}", headers={"Authorization": "Bearer k"})
        assert listed.json()["total_size"] == 3  # the old data, until the new is ready
        second = httpx.put(f"{server.base_url}/_mock/dataset", json={"jobs": 1}, headers=admin)
        assert second.status_code == 409  # one dataset at a time: memory stays bounded
        release.set()
        thread.join(60)
        assert outcome[0].status_code == 200
        listed = httpx.get(f"{server.base_url}{JOBS}", headers={"Authorization": "Bearer k"})
        assert listed.json()["total_size"] == 7
        assert httpx.get(f"{server.base_url}/_mock/health").json()["generating"] is False


def test_the_server_stops_while_a_dataset_is_generated(held: tuple[threading.Event, threading.Event]) -> None:
    entered, release = held

    def never(**asked: Any) -> Dataset:
        entered.set()
        release.wait(120)
        raise AssertionError("released only after the test")

    with running_mock(Dataset.generate(seed=0, jobs=3, runs=1)) as server:
        server._state.generate = never
        name = f"llamacloud-mock-{server.base_url}"
        thread, outcome = _put_in_background(server.base_url, server.admin_token, {"jobs": 5})
        assert entered.wait(30)
    assert not [t for t in threading.enumerate() if t.name == name], "the server did not stop"
    thread.join(30)
    assert not (outcome and isinstance(outcome[0], httpx.Response) and outcome[0].status_code == 200)


def test_sigterm_stops_the_process_while_the_largest_dataset_is_generated() -> None:
    """The reported freeze: a huge dataset asked for over HTTP, then SIGTERM. The largest allowed one takes many
    seconds to make; the signal must end the process long before (the PUT gets no answer). SIGINT takes the same
    path in uvicorn (test_the_server_stops_while_a_dataset_is_generated shows that path in-process)."""
    sig = signal.SIGTERM
    command = [sys.executable, "-m", "llamacloud_conformance.mock", "--port", "0", "--jobs", "3", "--runs", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert process.stdout is not None
        announced = {}
        for line in process.stdout:
            name, _, value = line.strip().partition("=")
            announced[name] = value
            if name == "LLAMACLOUD_MOCK_PROJECT_ID":
                break
        base, token = announced["LLAMACLOUD_BASE_URL"], announced["LLAMACLOUD_MOCK_ADMIN_TOKEN"]
        thread, outcome = _put_in_background(base, token, {"jobs": bounds.MAX_JOBS, "runs": 0})
        for _ in range(600):
            if httpx.get(f"{base}/_mock/health", timeout=10).json()["generating"]:
                break
            threading.Event().wait(0.05)
        else:
            raise AssertionError("the generation never started")
        process.send_signal(sig)
        code = process.wait(timeout=30)
        thread.join(30)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert code in (0, -sig)
    assert not (outcome and isinstance(outcome[0], httpx.Response) and outcome[0].status_code == 200)


def test_the_readme_lists_the_bounds_as_the_code_has_them() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    table = readme.split("### Limits", 1)[1].split("\n\n")[2]
    rows = {cells[1].strip(): cells[2].strip() for cells in (line.split("|") for line in table.splitlines()[2:])}
    expected = {
        "`jobs`": f"0 to {bounds.MAX_JOBS:,}",
        "`runs`": f"0 to {bounds.MAX_RUNS:,}",
        "`seed`": "0 to 2**63 - 1" if bounds.MAX_SEED == 2**63 - 1 else "?",
        "`--port`": f"0 to {bounds.MAX_PORT:,}",
        "admin request body": f"{bounds.MAX_ADMIN_BODY:,} bytes",
        "fault rules armed": str(bounds.MAX_ARMED_RULES),
        "faults in one": str(bounds.MAX_HEADER_FAULTS),
        "`delay`": f"0 to {bounds.MAX_DELAY:g} s",
        "`status_code`": f"{bounds.MIN_STATUS} to {bounds.MAX_STATUS}",
        "`retry_after`": f"0 to {bounds.MAX_RETRY_AFTER:,} s, or 1 to {bounds.MAX_TEXT} printable ASCII characters",
        "`count`, `truncate_at`": f"0 to {bounds.MAX_COUNT:,}",
        "`rate`": "0 to 1",
        "`path` glob": f"1 to {bounds.MAX_TEXT} printable ASCII characters",
    }
    assert len(rows) == len(expected)
    for label, bound in expected.items():
        (said,) = [text for row, text in rows.items() if row.startswith(label)]
        assert said.startswith(bound), (label, said, bound)
