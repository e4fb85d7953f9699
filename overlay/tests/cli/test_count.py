"""`jobs count`: one request per number, read from the server's `total_size` (a page of one job); a server that
sends none gives no number and the command says so, counting by listing only when asked (`--exact`); `--by
status` gives a number per value of the spec's enum. (Against the mock server: conformance/tests/cli.)"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract.cli.count import BY
from llamacloud_extract_api.models import ExtractJobStatus

STATUSES = [status.value for status in ExtractJobStatus]


def _rows(outcome: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in outcome.stdout.splitlines()]


def _jobs(kit: Any, statuses: list[str]) -> list[dict[str, Any]]:
    return [kit.job(i, status=status) for i, status in enumerate(statuses)]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statuses=st.lists(st.sampled_from(STATUSES), max_size=40), status=st.none() | st.sampled_from(STATUSES))
def test_a_count_is_one_request_for_a_page_of_one_and_equals_the_listing(
    runner: Any, kit: Any, statuses: list[str], status: str | None
) -> None:
    store = kit.JobStore(_jobs(kit, statuses), default_page_size=7, totals=True)
    argv = ["--status", status] if status else []
    outcome = runner(store, "jobs", "count", *argv)
    assert outcome.code == 0, outcome.stderr
    listed = runner(kit.JobStore(store.jobs, default_page_size=7), "jobs", "list", *argv)
    assert _rows(outcome) == [{"count": len(listed.stdout.splitlines()), "source": "total_size"}]
    (request,) = store.requests
    assert request.url.params["page_size"] == "1"
    assert request.url.params.get("status") == status


def test_by_status_is_one_request_per_value_of_the_spec_s_enum(runner: Any, kit: Any) -> None:
    statuses = ["FAILED", "COMPLETED", "FAILED", "PENDING", "FAILED"]
    store = kit.JobStore(_jobs(kit, statuses), totals=True)
    outcome = runner(store, "jobs", "count", "--by", "status", "--since", "2020-01-01T00:00:00Z")
    assert outcome.code == 0, outcome.stderr
    assert BY["status"].values == tuple(STATUSES)  # derived from the enum, not written out
    assert _rows(outcome) == [
        {"status": status, "count": statuses.count(status), "source": "total_size"} for status in STATUSES
    ]
    assert [request.url.params["status"] for request in store.requests] == STATUSES
    assert all(request.url.params["created_at_on_or_after"].startswith("2020-01-01") for request in store.requests)


def test_a_server_that_sends_no_total_gives_no_count_and_says_so(runner: Any, kit: Any) -> None:
    store = kit.JobStore(_jobs(kit, ["FAILED"] * 3))
    outcome = runner(store, "jobs", "count")
    assert outcome.code == 3
    assert outcome.stdout == ""
    assert outcome.stderr.count("\n") == 1
    assert "the server sent no total_size for the matching jobs, so it gave no count" in outcome.stderr
    assert "add --exact to count by listing" in outcome.stderr
    assert len(store.requests) == 1


def test_a_total_missing_for_some_statuses_names_them_and_prints_nothing(runner: Any, kit: Any) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        status = request.url.params["status"]
        body: dict[str, Any] = {"items": [], "next_page_token": None}
        if status != "RUNNING":
            body["total_size"] = 0 if status != "THROTTLED" else None
        return httpx.Response(200, json=body)

    outcome = runner(server, "jobs", "count", "--by", "status")
    assert outcome.code == 3
    assert outcome.stdout == ""
    assert "no total_size for status RUNNING, THROTTLED" in outcome.stderr  # null and absent alike


@pytest.mark.parametrize("by", [[], ["--by", "status"]])
def test_exact_counts_by_listing_and_says_so(runner: Any, kit: Any, by: list[str]) -> None:
    statuses = ["FAILED", "COMPLETED", "FAILED"] * 9
    store = kit.JobStore(_jobs(kit, statuses), default_page_size=10)
    outcome = runner(store, "jobs", "count", "--exact", "--page-size", "4", *by)
    assert outcome.code == 0, outcome.stderr
    if by:
        expected = [{"status": s, "count": statuses.count(s), "source": "listing"} for s in STATUSES]
    else:
        expected = [{"count": len(statuses), "source": "listing"}]
    assert _rows(outcome) == expected
    assert {request.url.params["page_size"] for request in store.requests} == {"4"}


def test_exact_even_when_the_server_gives_a_total(runner: Any, kit: Any) -> None:
    """`total_size` may be an estimate: `--exact` does not read it."""

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": [kit.job(1)], "next_page_token": None, "total_size": 1000})

    assert _rows(runner(server, "jobs", "count", "--exact")) == [{"count": 1, "source": "listing"}]
    assert _rows(runner(server, "jobs", "count")) == [{"count": 1000, "source": "total_size"}]


@pytest.mark.parametrize("output_format", ["json", "csv", "table"])
def test_every_output_format(runner: Any, kit: Any, output_format: str) -> None:
    store = kit.JobStore(_jobs(kit, ["FAILED", "PENDING", "FAILED"]), totals=True)
    outcome = runner(store, "jobs", "count", "--by", "status", "--format", output_format)
    assert outcome.code == 0, outcome.stderr
    if output_format == "json":
        assert json.loads(outcome.stdout)[STATUSES.index("FAILED")] == {
            "status": "FAILED",
            "count": 2,
            "source": "total_size",
        }
    elif output_format == "csv":
        rows = list(csv.reader(io.StringIO(outcome.stdout, newline="")))
        assert rows[0] == ["status", "count", "source"]  # no `extra`: every field of a row is known
        assert ["PENDING", "1", "total_size"] in rows
        assert len(rows) == 1 + len(STATUSES)
    else:
        lines = outcome.stdout.splitlines()
        assert lines[0].split() == ["status", "count", "source"]
        assert ["FAILED", "2", "total_size"] in [line.split() for line in lines]


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["--by", "status", "--status", "FAILED"], "--by status counts each status: leave out --status"),
        (["--by", "colour"], "'--by'"),
        (["--page-size", "10"], "--page-size is for --exact"),
        (["--exact", "--page-size", "0"], "'--page-size'"),
        (["--expand", "configuration"], "--expand"),
        (["--limit", "3"], "--limit"),
        ([f"--job-id=ext-{i:040d}" for i in range(2000)], "add --exact to count them by listing"),
        (["--project-id", "prj-7"], "'--project-id'"),
    ],
)
def test_bad_options_are_usage_errors_before_any_request(runner: Any, kit: Any, argv: list[str], names: str) -> None:
    store = kit.JobStore([kit.job(1)], totals=True)
    outcome = runner(store, "jobs", "count", *argv)
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert names in outcome.stderr
    assert store.requests == []


def test_many_job_ids_can_be_counted_exactly(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(30)]
    wanted = [job["id"] for job in jobs[::3]] + [f"ext-{i:040d}" for i in range(2000)]
    store = kit.JobStore(jobs, default_page_size=100, max_url_length=8_000)
    outcome = runner(store, "jobs", "count", "--exact", *[f"--job-id={job_id}" for job_id in wanted])
    assert outcome.code == 0, outcome.stderr[-500:]
    assert _rows(outcome) == [{"count": 10, "source": "listing"}]
    assert len(store.requests) > 1
