"""Options: each filter reaches the API as its query parameter, and every bad value is a usage error (exit 2)
that names the option, on one line, before any request is sent."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import httpx
import pytest

from llamacloud_extract import EU_BASE_URL, __version__


def test_every_filter_reaches_the_api_as_its_query_parameter(runner: Any, kit: Any) -> None:
    store = kit.JobStore([], default_page_size=10)
    outcome = runner(
        store,
        "jobs", "list",
        "--status", "failed",
        "--since", "2026-03-01T00:00:00+02:00",
        "--until", "2026-03-31T23:59:59Z",
        "--configuration-id", "cfg-1",
        "--document-input-type", "url",
        "--file-input", "dfl-9",
        "--project-id", "PRJ-AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
        "--organization-id", "org-1",
        "--job-id", "ext-1", "--job-id", "ext-2",
        "--expand", "configuration", "--expand", "extract_metadata",
        "--page-size", "7",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    (request,) = store.requests
    params = request.url.params
    assert params["status"] == "FAILED"
    since = datetime.datetime.fromisoformat(params["created_at_on_or_after"])
    until = datetime.datetime.fromisoformat(params["created_at_on_or_before"])
    assert since == datetime.datetime(2026, 2, 28, 22, 0, tzinfo=datetime.UTC)
    assert until == datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=datetime.UTC)
    assert params["configuration_id"] == "cfg-1"
    assert params["document_input_type"] == "url"
    assert params["file_input"] == params["document_input_value"] == "dfl-9"  # both names: see jobs.list
    assert params["project_id"] == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"  # the bare UUID: the parameter's format
    assert params["organization_id"] == "org-1"
    assert params.get_list("job_ids") == ["ext-1", "ext-2"]
    assert params.get_list("expand") == ["configuration", "extract_metadata"]
    assert params["page_size"] == "7"


def test_without_options_only_the_first_page_request_is_plain(runner: Any, kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    outcome = runner(store, "jobs", "list")
    assert outcome.code == 0
    assert dict(store.requests[0].url.params) == {}
    assert len(store.requests) == 3
    assert all(set(r.url.params) == {"page_token"} for r in store.requests[1:])


def test_limit_stops_the_listing(runner: Any, kit: Any) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    outcome = runner(store, "jobs", "list", "--limit", "12")
    assert outcome.code == 0
    assert len(outcome.stdout.splitlines()) == 12
    assert len(store.requests) == 2


def test_parallel_lists_the_same_jobs_in_the_same_order(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(60)]
    since = kit.iso(kit.T0 - datetime.timedelta(seconds=59))
    serial = runner(kit.JobStore(jobs, default_page_size=7), "jobs", "list", "--since", since)
    parallel = runner(kit.JobStore(jobs, default_page_size=7), "jobs", "list", "--since", since, "--parallel", "4")
    unbounded = runner(kit.JobStore(jobs, default_page_size=7), "jobs", "list", "--parallel", "3")
    assert unbounded.code == 0
    assert unbounded.stdout == runner(kit.JobStore(jobs, default_page_size=7), "jobs", "list").stdout
    assert parallel.code == serial.code == 0
    assert parallel.stdout == serial.stdout
    assert len(serial.stdout.splitlines()) == 60


BAD_ARGUMENTS = [
    (["jobs", "list", "--since", "2026-03-01T10:00:00"], "'--since'", "no timezone"),
    (["jobs", "list", "--until", "2026-03-01"], "'--until'", "no timezone"),
    (["jobs", "list", "--since", "yesterday"], "'--since'", "ISO 8601"),
    (["jobs", "list", "--status", "DONE"], "'--status'", "CANCELLED, COMPLETED, FAILED, PENDING, RUNNING, THROTTLED"),
    (["jobs", "list", "--page-size", "0"], "'--page-size'", "x>=1"),
    (["jobs", "list", "--limit", "-1"], "'--limit'", "x>=0"),
    (["jobs", "list", "--parallel", "0"], "'--parallel'", "x>=1"),
    (["jobs", "list", "--format", "xml"], "'--format'", "table"),
    (["jobs", "list", "--region", "mars"], "'--region'", "eu"),
    (["jobs", "list", "--region", "eu", "--base-url", "http://x"], "--base-url and --region", ""),
    (["jobs", "list", "--max-retries", "-1"], "'--max-retries'", ""),
    (["jobs", "list", "--timeout", "0"], "'--timeout'", ""),
    (["jobs", "list", "--bogus"], "--bogus", ""),
    (["jobs", "list", "extra"], "extra", ""),
    (["jobs", "export"], "OUT", ""),
    (["jobs", "export", "out.jsonl", "--parallel", "2"], "--parallel", ""),
    (["jobs", "frobnicate"], "frobnicate", ""),
    (["runs", "list", "--run-id", "not-a-uuid"], "'--run-id'", "UUID"),
    (["jobs", "list", "--project-id", "prj-1"], "'--project-id'", "not a project id: give prj-<uuid>"),
    (["jobs", "export", "out.jsonl", "--project-id", "default"], "'--project-id'", "or the UUID alone"),
]


@pytest.mark.parametrize(("argv", "names", "explains"), BAD_ARGUMENTS)
def test_a_bad_argument_is_a_one_line_usage_error(
    runner: Any, kit: Any, argv: list[str], names: str, explains: str
) -> None:
    store = kit.JobStore([], default_page_size=10)
    outcome = runner(store, *argv)
    assert outcome.code == 2
    assert outcome.stdout == ""
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    assert outcome.stderr.startswith("llamacloud-extract: error: ")
    assert names in outcome.stderr
    assert explains in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert store.requests == []


def test_no_api_key_is_a_usage_error_before_any_request(runner: Any, kit: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("LLAMA_CLOUD_API_KEY")
    store = kit.JobStore([], default_page_size=10)
    outcome = runner(store, "jobs", "list")
    assert outcome.code == 2
    assert "no API key" in outcome.stderr
    assert "LLAMA_CLOUD_API_KEY" in outcome.stderr
    assert store.requests == []


def test_the_legacy_key_variable_is_read_as_the_client_reads_it(runner: Any, kit: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("LLAMA_CLOUD_API_KEY")
    monkeypatch.setenv("LLAMA_PARSE_API_KEY", "llx-parse-key")
    store = kit.JobStore([], default_page_size=10)
    assert runner(store, "jobs", "list").code == 0
    assert store.requests[0].headers["Authorization"] == "Bearer llx-parse-key"


def test_an_api_key_option_overrides_the_environment(runner: Any, kit: Any) -> None:
    store = kit.JobStore([], default_page_size=10)
    assert runner(store, "jobs", "list", "--api-key", "llx-other").code == 0
    assert store.requests[0].headers["Authorization"] == "Bearer llx-other"


def test_base_url_and_region_choose_the_server(runner: Any, kit: Any) -> None:
    store = kit.JobStore([], default_page_size=10)
    assert runner(store, "jobs", "list").code == 0
    assert runner(store, "jobs", "list", "--base-url", "http://other.test:8080/").code == 0
    assert runner(store, "jobs", "list", "--region", "EU").code == 0
    hosts = [str(request.url.copy_with(query=None)) for request in store.requests]
    assert hosts == [
        f"{kit.BASE_URL}/api/v2/extract",
        "http://other.test:8080/api/v2/extract",
        f"{EU_BASE_URL}/api/v2/extract",
    ]


def test_a_base_url_that_is_not_http_is_a_usage_error(runner: Any, kit: Any) -> None:
    outcome = runner(kit.JobStore([]), "jobs", "list", "--base-url", "ftp://files.test")
    assert outcome.code == 2
    assert "--base-url must start with https://" in outcome.stderr


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["jobs", "--help"], ["jobs", "list", "--help"], ["jobs", "export", "-h"], ["runs", "list", "-h"]],
)
def test_help_never_shows_the_key(runner: Any, kit: Any, argv: list[str]) -> None:
    outcome = runner(None, *argv)
    assert outcome.code == 0
    assert "Usage: llamacloud-extract" in outcome.stdout
    assert kit.API_KEY not in outcome.stdout + outcome.stderr
    assert "LLAMA_CLOUD_API_KEY" in outcome.stdout or argv in (["--help"], ["jobs", "--help"])


def test_help_after_a_typed_key_does_not_repeat_it(runner: Any) -> None:
    outcome = runner(None, "jobs", "list", "--api-key", "llx-typed-SECRET", "--help")
    assert outcome.code == 0
    assert "llx-typed-SECRET" not in outcome.stdout + outcome.stderr


def test_the_bare_command_shows_its_help_as_a_usage_error(runner: Any) -> None:
    outcome = runner(None)
    assert outcome.code == 2
    assert "Commands:" in outcome.stderr


def test_version(runner: Any) -> None:
    outcome = runner(None, "--version")
    assert outcome.code == 0
    assert outcome.stdout == f"llamacloud-extract {__version__}\n"


def test_runs_list_sends_its_three_filters(runner: Any, kit: Any) -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[kit.run(1)])

    agent, run_id, job_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    outcome = runner(
        server,
        "runs", "list",
        "--extraction-agent-id", str(agent).upper(),
        "--run-id", str(run_id),
        "--job-id", str(job_id),
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    assert seen[0].url.path == "/api/v1/extractionv2/runs"
    assert dict(seen[0].url.params) == {"extraction_agent_id": str(agent), "run_id": str(run_id), "job_id": str(job_id)}
