"""The command against the API as it is today: a v2 server that says `file_input` (2026-08-20) as well as one of
the client's own snapshot (2026-03-28), and a server without the v1 endpoint."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest

from llamacloud_extract.cli.options import JobFilters

SEED, NOW = "2026-03-28", "2026-08-20"


def items_of(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for page in pages for item in page["items"]]


def file_input_of(item: dict[str, Any]) -> str:
    value = item["file_input"] if "file_input" in item else item["document_input_value"]
    assert isinstance(value, str)
    return value


@pytest.fixture(params=[SEED, NOW])
def snapshot(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_table_shows_the_file_input_whichever_name_the_server_uses(runner: Any, kit: Any, snapshot: str) -> None:
    pages = kit.bodies(snapshot)
    outcome = runner(kit.ScriptedPages(pages), "jobs", "list", "--format", "table")
    assert outcome.code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert lines[0].split()[3] == "file_input"
    assert sum("file_input" in line for line in lines) == 1
    rows = [line.split() for line in lines if line.startswith("ext-")]
    assert [row[3] for row in rows] == [file_input_of(item) for item in items_of(pages)]


def test_csv_fills_the_file_input_column_and_keeps_every_newer_field(runner: Any, kit: Any, snapshot: str) -> None:
    pages = kit.bodies(snapshot, expanded=True)
    outcome = runner(kit.ScriptedPages(pages), "jobs", "list", "--format", "csv")
    assert outcome.code == 0, outcome.stderr
    rows = list(csv.DictReader(io.StringIO(outcome.stdout, newline="")))
    sent = items_of(pages)
    assert [row["document_input_value"] for row in rows] == [file_input_of(item) for item in sent]
    for row, item in zip(rows, sent, strict=True):
        extra = json.loads(row["extra"]) if row["extra"] else {}
        if snapshot == NOW:  # usage is new; file_input went into its column, so it is not repeated here
            assert extra == {"usage": item["usage"]}
        else:
            assert extra == {}
        assert json.loads(row["configuration"]) == item["configuration"]  # version, spreadsheet_mode, ... kept
        if "metadata" in item:
            assert json.loads(row["metadata"]) == item["metadata"]  # num_pages_billed too


def test_csv_keeps_the_newer_name_in_extra_when_both_are_sent(runner: Any, kit: Any) -> None:
    item = kit.job(1, file_input="dfl-new")
    outcome = runner(kit.JobStore([item]), "jobs", "list", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(outcome.stdout, newline=""))
    assert row["document_input_value"] == item["document_input_value"]
    assert json.loads(row["extra"]) == {"file_input": "dfl-new"}


@pytest.mark.parametrize("output", ["jsonl", "json"])
def test_the_json_formats_carry_the_newer_fields_as_sent(runner: Any, kit: Any, output: str) -> None:
    pages = kit.bodies(NOW, expanded=True)
    outcome = runner(kit.ScriptedPages(pages), "jobs", "list", "--format", output, "--expand", "usage")
    assert outcome.code == 0, outcome.stderr
    got = json.loads(outcome.stdout) if output == "json" else [json.loads(line) for line in outcome.stdout.splitlines()]
    assert got == items_of(pages)
    assert outcome.stderr == ""  # raw listing: no drift warning either


@pytest.mark.parametrize("option", ["--file-input", "--document-input-value"])
def test_the_file_input_filter_is_sent_under_both_names(runner: Any, kit: Any, option: str) -> None:
    store = kit.JobStore([])
    assert runner(store, "jobs", "list", option, "pjb-7").code == 0
    params = store.requests[0].url.params
    assert params.get_list("file_input") == params.get_list("document_input_value") == ["pjb-7"]


def test_the_two_spellings_must_agree(runner: Any, kit: Any) -> None:
    store = kit.JobStore([])
    outcome = runner(store, "jobs", "list", "--file-input", "dfl-1", "--document-input-value", "dfl-2")
    assert outcome.code == 2
    assert "--file-input and --document-input-value disagree" in outcome.stderr
    assert outcome.stderr.count("\n") == 1
    assert store.requests == []
    assert runner(store, "jobs", "list", "--file-input", "dfl-1", "--document-input-value", "dfl-1").code == 0


def test_an_export_begun_with_the_old_option_resumes_with_the_new_one() -> None:
    base = dict.fromkeys(("status", "since", "until", "configuration_id", "document_input_type"))
    base |= {"project_id": None, "organization_id": None, "job_ids": (), "expand": ()}
    old = JobFilters.from_options({**base, "file_input": None, "document_input_value": "dfl-1"})
    new = JobFilters.from_options({**base, "file_input": "dfl-1", "document_input_value": None})
    assert old == new
    assert new.as_json()["document_input_value"] == "dfl-1"  # the key an export's checkpoint has always used
    assert "file_input" not in new.as_json()


def test_runs_list_against_a_server_without_v1_says_so_on_one_line(runner: Any, kit: Any) -> None:
    outcome = runner(lambda request: httpx.Response(404, json={"detail": "Not Found"}), "runs", "list")
    assert outcome.code == 3
    assert outcome.stdout == ""
    assert outcome.stderr.count("\n") == 1
    line = outcome.stderr
    assert line.startswith("llamacloud-extract: error: GET http://api.test/api/v1/extractionv2/runs failed with 404")
    assert "removed it in 2025" in line
    assert "GET /api/v1/extraction/runs" in line
    assert "client.jobs.list()" in line
