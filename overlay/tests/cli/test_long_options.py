"""Options too long for a URL: a value no URL can carry is a usage error naming it (exit 2, nothing sent); more
--job-id values than fit in one request are listed with several, in the single listing's order; an export of
those, which could not resume, is refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from llamacloud_extract import _limits

HUGE = "v" * 100_000


def _ids(count: int) -> list[str]:
    return [f"ext-{i:08d}-0000-4000-8000-{i:012d}" for i in range(count)]


@pytest.mark.parametrize(
    "command", [["jobs", "list"], ["jobs", "export", "out.jsonl"], ["jobs", "export", "-"]], ids=" ".join
)
def test_a_value_no_url_can_carry_is_a_usage_error(
    runner: Any, kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, *command, "--document-input-value", HUGE)
    assert outcome.code == 2, outcome.stderr
    assert outcome.stderr.count("\n") == 1
    assert "document_input_value alone takes 100,0" in outcome.stderr
    assert "unexpected" not in outcome.stderr
    assert store.requests == []
    assert list(tmp_path.iterdir()) == []


def test_five_thousand_job_ids_are_listed_in_order(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i, id=job_id) for i, job_id in enumerate(_ids(6000))]
    store = kit.JobStore(jobs, default_page_size=100, max_url_length=_limits.SPLIT_URL_LENGTH)
    wanted = _ids(10_000)[1::2]
    argv = [arg for job_id in wanted for arg in ("--job-id", job_id)]
    outcome = runner(store, "jobs", "list", "--format", "jsonl", *argv)
    assert outcome.code == 0, outcome.stderr[-500:]
    assert [json.loads(line)["id"] for line in outcome.stdout.splitlines()] == [
        job["id"] for job in jobs if job["id"] in set(wanted)
    ]


def test_an_export_of_more_job_ids_than_one_request_holds_is_refused_before_anything_is_written(
    runner: Any, kit: Any, tmp_path: Path
) -> None:
    store = kit.JobStore([kit.job(1)])
    argv = [arg for job_id in _ids(5000) for arg in ("--job-id", job_id)]
    outcome = runner(store, "jobs", "export", str(tmp_path / "jobs.jsonl"), *argv)
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert "5000 --job-id values do not fit in one request" in outcome.stderr
    assert "jobs export - > FILE" in outcome.stderr
    assert store.requests == []
    assert list(tmp_path.iterdir()) == []


def test_an_export_of_them_to_standard_output_works(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i, id=job_id) for i, job_id in enumerate(_ids(600))]
    store = kit.JobStore(jobs, default_page_size=50, max_url_length=_limits.SPLIT_URL_LENGTH)
    argv = [arg for job_id in _ids(600)[::-1] for arg in ("--job-id", job_id)]
    outcome = runner(store, "jobs", "export", "-", *argv)
    assert outcome.code == 0, outcome.stderr
    assert [json.loads(line)["id"] for line in outcome.stdout.splitlines()] == _ids(600)
