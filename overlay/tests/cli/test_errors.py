"""Failures: exit 3 for the API or the network, 1 for local failures, 130 for Ctrl-C; always one line on
stderr, a traceback only with --debug, and never the API key."""

from __future__ import annotations

import socket
from typing import Any

import httpx


def _guarded(kit: Any, inner: Any) -> Any:
    """`inner` behind the API's authentication: 401 for any key but the kit's."""

    def server(request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != f"Bearer {kit.API_KEY}":
            return httpx.Response(401, json={"detail": "Invalid API key"})
        return inner(request)  # type: ignore[no-any-return]

    return server


def _one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert text.startswith("llamacloud-extract: error: ")
    return text


def test_a_wrong_key_is_an_api_error_on_one_line(runner: Any, kit: Any) -> None:
    server = _guarded(kit, kit.JobStore([kit.job(1)]))
    outcome = runner(server, "jobs", "list", "--api-key", "llx-wrong-SECRET")
    assert outcome.code == 3
    assert outcome.stdout == ""
    line = _one_line(outcome.stderr)
    assert "401" in line
    assert "check the API key" in line
    assert "llx-wrong-SECRET" not in line
    assert "Traceback" not in line


def test_debug_logs_requests_and_shows_the_traceback_but_never_the_key(runner: Any, kit: Any) -> None:
    server = _guarded(kit, kit.JobStore([kit.job(1)]))
    outcome = runner(server, "jobs", "list", "--api-key", "llx-wrong-SECRET", "--debug")
    assert outcome.code == 3
    assert "Traceback (most recent call last)" in outcome.stderr
    assert "AuthenticationError" in outcome.stderr
    assert "GET http://api.test/api/v2/extract -> 401" in outcome.stderr  # the client's request log
    assert outcome.stderr.splitlines()[-1].startswith("llamacloud-extract: error: ")
    assert "llx-wrong-SECRET" not in outcome.stderr + outcome.stdout


def test_debug_on_success_logs_each_request_without_the_key(runner: Any, kit: Any) -> None:
    outcome = runner(kit.JobStore([kit.job(i) for i in range(15)]), "jobs", "list", "--debug")
    assert outcome.code == 0
    assert outcome.stderr.count(" -> 200\n") == 2
    assert kit.API_KEY not in outcome.stderr + outcome.stdout


def test_a_server_error_is_retried_then_reported(runner: Any, kit: Any) -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, text="upstream\nunavailable")

    outcome = runner(server, "jobs", "list", "--max-retries", "2")
    assert outcome.code == 3
    assert len(seen) == 3
    assert "503" in _one_line(outcome.stderr)
    assert "upstream unavailable" in outcome.stderr  # the body, folded onto the line


def test_an_error_after_some_pages_keeps_what_was_printed(runner: Any, kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(30)], default_page_size=10)
    store.fault = lambda request, number: httpx.Response(500) if number == 3 else None
    outcome = runner(store, "jobs", "list", "--max-retries", "0")
    assert outcome.code == 3
    assert len(outcome.stdout.splitlines()) == 20
    _one_line(outcome.stderr)


def test_a_connection_failure_is_an_api_error(runner: Any) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = runner(None, "jobs", "list", "--base-url", f"http://127.0.0.1:{port}", "--max-retries", "0")
    assert outcome.code == 3
    assert "could not connect" in _one_line(outcome.stderr)


def test_a_response_that_is_not_the_spec_s_shape_is_an_api_error(runner: Any) -> None:
    outcome = runner(lambda request: httpx.Response(200, json={"items": "nope"}), "jobs", "list")
    assert outcome.code == 3
    _one_line(outcome.stderr)


def test_an_unexpected_exception_is_exit_1_and_points_at_debug(runner: Any) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("a bug")

    outcome = runner(server, "jobs", "list")
    assert outcome.code == 1
    assert "unexpected RuntimeError: a bug (run again with --debug" in _one_line(outcome.stderr)


def test_ctrl_c_is_exit_130(runner: Any) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    outcome = runner(server, "jobs", "list", "--format", "jsonl")
    assert outcome.code == 130
    assert "interrupted" in _one_line(outcome.stderr.lstrip("\n"))  # click ends the ^C echo first
