"""`jobs list --page-token TOKEN` continues a listing by hand, and `--show-token` tells on stderr the token that
continues right after the last job printed (one line `next_page_token: TOKEN`), or that the listing ended: runs
chained that way list every job once, in order, whatever `--limit` and `--page-size` they take.
(Against the mock server, over real processes: conformance/tests/cli.)"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract.cli.continuation import ENDED, NEXT_PAGE_LINE, NOTHING_LISTED


def _ids(outcome: Any) -> list[str]:
    return [json.loads(line)["id"] for line in outcome.stdout.splitlines()]


def _token(outcome: Any) -> str | None:
    """The token the run told, None if it said the listing ended; fails on anything else."""
    (line,) = outcome.stderr.splitlines()
    if line == ENDED:
        return None
    assert line.startswith(NEXT_PAGE_LINE), line
    return str(line.removeprefix(NEXT_PAGE_LINE))


def _sizes(store: Any) -> list[str | None]:
    return [request.url.params.get("page_size") for request in store.requests]


def test_a_whole_listing_says_it_ended(runner: Any, kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    outcome = runner(store, "jobs", "list", "--show-token")
    assert outcome.code == 0
    assert len(_ids(outcome)) == 25
    assert _token(outcome) is None


def test_a_limit_ends_on_a_page_boundary_and_its_token_continues_there(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(40)]
    store = kit.JobStore(jobs, default_page_size=10)
    first = runner(store, "jobs", "list", "--limit", "25", "--page-size", "10", "--show-token")
    assert first.code == 0, first.stderr
    assert _ids(first) == [job["id"] for job in jobs[:25]]
    assert _sizes(store) == ["10", "10", "5"]  # the last page asked for what remained, not cut
    token = _token(first)
    assert token is not None
    rest = runner(store, "jobs", "list", "--page-token", token)
    assert rest.code == 0, rest.stderr
    assert _ids(rest) == [job["id"] for job in jobs[25:]]
    assert store.requests[3].url.params["page_token"] == token


def test_without_a_page_size_the_server_s_own_is_learnt_and_never_exceeded(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(40)]
    store = kit.JobStore(jobs, default_page_size=10)
    outcome = runner(store, "jobs", "list", "--limit", "35", "--show-token")
    assert outcome.code == 0
    assert len(_ids(outcome)) == 35
    assert _sizes(store) == [None, "10", "10", "5"]


def test_a_limit_smaller_than_a_page_asks_the_first_page_again(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(40)]
    store = kit.JobStore(jobs, default_page_size=10)
    outcome = runner(store, "jobs", "list", "--limit", "3", "--show-token")
    assert _ids(outcome) == [job["id"] for job in jobs[:3]]
    assert _sizes(store) == [None, "3"]
    token = _token(outcome)
    assert token is not None
    assert _ids(runner(store, "jobs", "list", "--page-token", token, "--limit", "2")) == [jobs[3]["id"], jobs[4]["id"]]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    count=st.integers(0, 45),
    server_page=st.integers(1, 12),
    page_size=st.none() | st.integers(1, 12),
    limits=st.lists(st.none() | st.integers(1, 20), min_size=1, max_size=12),
)
def test_runs_chained_by_their_tokens_list_every_job_once_in_order(
    runner: Any, kit: Any, count: int, server_page: int, page_size: int | None, limits: list[int | None]
) -> None:
    jobs = [kit.job(i) for i in range(count)]
    store = kit.JobStore(jobs, default_page_size=server_page)
    listed: list[str] = []
    token: str | None = None
    for limit in limits:
        argv = ["jobs", "list", "--show-token"]
        argv += ["--page-token", token] if token else []
        argv += ["--limit", str(limit)] if limit is not None else []
        argv += ["--page-size", str(page_size)] if page_size is not None else []
        outcome = runner(store, *argv)
        assert outcome.code == 0, outcome.stderr
        printed = _ids(outcome)
        listed += printed
        token = _token(outcome)
        if token is None:
            break
        assert len(printed) == limit  # only a limit stops a listing that has not ended
    everything = [job["id"] for job in jobs]
    if token is None:
        assert listed == everything
    else:
        assert listed == everything[: len(listed)]
    biggest = page_size or server_page
    assert all(int(size) <= biggest for size in _sizes(store) if size is not None)


def test_a_failure_tells_the_token_that_continues_after_what_was_printed(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(30)]
    store = kit.JobStore(jobs, default_page_size=10)
    store.fault = lambda request, count: httpx.Response(503) if count == 2 else None
    failed = runner(store, "jobs", "list", "--show-token", "--max-retries", "0")
    assert failed.code == 3
    told, error = failed.stderr.splitlines()
    assert error.startswith("llamacloud-extract: error: ")
    assert "503" in error
    store.fault = None
    rest = runner(store, "jobs", "list", "--page-token", told.removeprefix(NEXT_PAGE_LINE))
    assert _ids(failed) + _ids(rest) == [job["id"] for job in jobs]


def test_a_limit_of_zero_tells_where_it_would_have_started(runner: Any, kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(5)])
    nothing = runner(store, "jobs", "list", "--limit", "0", "--show-token")
    assert (nothing.code, nothing.stdout, nothing.stderr) == (0, "", f"{NOTHING_LISTED}\n")
    same = runner(store, "jobs", "list", "--limit", "0", "--show-token", "--page-token", "t-1")
    assert same.stderr == f"{NEXT_PAGE_LINE}t-1\n"
    assert store.requests == []


def test_a_reader_that_leaves_is_told_no_token(runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which of the jobs written into the pipe the reader took is not known, so no token would be true."""

    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Gone())
    outcome = runner(
        kit.JobStore([kit.job(i) for i in range(30)], default_page_size=10), "jobs", "list", "--show-token"
    )
    assert (outcome.code, outcome.stderr) == (0, "")


def test_a_token_the_server_refuses_is_a_usage_error_naming_the_option(runner: Any, kit: Any) -> None:
    detail = [{"type": "value_error", "loc": ["query", "page_token"], "msg": "Value error, unknown token"}]

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": detail})

    outcome = runner(server, "jobs", "list", "--page-token", "stale", "--show-token")
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1  # no token line: there is nothing to continue from
    assert "Invalid value for '--page-token': the server refuses it (422: Value error, unknown token)" in outcome.stderr
    assert "with the same filters" in outcome.stderr


def test_a_refusal_about_another_parameter_stays_an_api_error(runner: Any) -> None:
    detail = [{"type": "int_parsing", "loc": ["query", "page_size"], "msg": "too big"}]
    outcome = runner(lambda request: httpx.Response(422, json={"detail": detail}), "jobs", "list", "--page-token", "t")
    assert outcome.code == 3
    assert "--page-token" not in outcome.stderr


def test_a_server_that_sends_more_than_asked_cannot_end_at_the_limit(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(30)]

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": jobs[:10], "next_page_token": "t-1"})

    outcome = runner(server, "jobs", "list", "--limit", "5", "--page-size", "5", "--show-token")
    assert outcome.code == 3
    assert "sent 10 jobs for page_size=5" in outcome.stderr
    assert outcome.stdout == ""


def test_a_server_that_repeats_a_token_is_stopped(runner: Any, kit: Any) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": [kit.job(1)], "next_page_token": "again"})

    outcome = runner(server, "jobs", "list", "--limit", "5", "--page-size", "1", "--show-token")
    assert outcome.code == 3
    assert "returned the page token 'again' a second time" in outcome.stderr.splitlines()[-1]
    assert len(_ids(outcome)) == 2


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["--page-token", "t", "--parallel", "2"], "--page-token cannot be combined with --parallel"),
        (["--show-token", "--parallel", "2"], "--show-token cannot be combined with --parallel"),
        (["--page-token", ""], "Invalid value for '--page-token': it is empty"),
        ([f"--job-id=ext-{i:040d}" for i in range(2000)] + ["--page-token", "t"], "2000 --job-id values"),
        ([f"--job-id=ext-{i:040d}" for i in range(2000)] + ["--show-token"], "no page token continues it"),
    ],
    ids=["token-parallel", "show-parallel", "empty", "token-split", "show-split"],
)
def test_what_no_token_can_continue_is_a_usage_error(runner: Any, kit: Any, argv: list[str], names: str) -> None:
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, "jobs", "list", *argv)
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert names in outcome.stderr
    assert store.requests == []
