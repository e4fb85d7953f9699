"""`jobs export`: the file appears whole or not at all, and an interrupted export resumes from its checkpoint
with nothing lost or repeated. (The SIGKILL test, against the real mock server, is in conformance/tests/cli.)"""

from __future__ import annotations

import csv
import fcntl
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract.cli.export import DEFAULT_FORMAT, digest
from llamacloud_extract.cli.output import JOBS, LINE_FORMATS, line_format


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _fail_at(store: Any, number: int) -> None:
    """Make the store answer its `number`-th request (and only that one) with a 500."""
    store.fault = lambda request, count: httpx.Response(500) if count == number else None


def _interrupted(runner: Any, kit: Any, out: Path, jobs: list[dict[str, Any]], *argv: str, at: int = 2) -> Any:
    """Export `jobs` (pages of 10) into `out` with request number `at` failing for good; the store, healthy
    again."""
    store = kit.JobStore(jobs, default_page_size=10)
    _fail_at(store, at)
    assert runner(store, "jobs", "export", str(out), "--max-retries", "0", *argv).code == 3
    store.fault = None
    return store


def test_an_export_writes_the_whole_listing_and_leaves_nothing_else(runner: Any, kit: Any, tmp_path: Path) -> None:
    jobs = [kit.job(i, note="é") for i in range(23)]
    out = tmp_path / "jobs.jsonl"
    outcome = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "export", str(out), "--status", "COMPLETED")
    assert outcome.code == 0, outcome.stderr
    assert _lines(out) == jobs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.jsonl"]
    assert outcome.stdout == ""
    assert outcome.stderr == f"23 jobs written to {out}\n"


def test_an_interrupted_export_resumes_with_every_job_once(runner: Any, kit: Any, tmp_path: Path) -> None:
    jobs = [kit.job(i) for i in range(45)]
    store = kit.JobStore(jobs, default_page_size=10)
    out = tmp_path / "jobs.jsonl"
    _fail_at(store, 4)
    first = runner(store, "jobs", "export", str(out), "--max-retries", "0")
    assert first.code == 3
    assert first.stderr.count("\n") == 1
    assert first.stderr.endswith("; run the same command again to resume\n")
    assert not out.exists()
    checkpoint = json.loads((tmp_path / "jobs.jsonl.resume").read_text())
    assert checkpoint["jobs"] == 30
    assert len(_lines(tmp_path / "jobs.jsonl.part")) == 30

    store.fault = None
    requests_before = len(store.requests)
    second = runner(store, "jobs", "export", str(out))
    assert second.code == 0, second.stderr
    assert "resuming" in second.stderr
    assert "after 30 jobs (3 pages)" in second.stderr
    assert _lines(out) == jobs
    assert store.requests[requests_before].url.params["page_token"] == checkpoint["next_page_token"]
    assert not (tmp_path / "jobs.jsonl.part").exists()
    assert not (tmp_path / "jobs.jsonl.resume").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    count=st.integers(0, 60),
    page_size=st.integers(1, 15),
    failures=st.lists(st.integers(1, 8), max_size=3),
    torn=st.binary(max_size=40),
    limit=st.none() | st.integers(0, 70),
    output_format=st.sampled_from(sorted(LINE_FORMATS)),
)
def test_any_sequence_of_interruptions_ends_in_the_exact_listing(
    runner: Any,
    kit: Any,
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
    page_size: int,
    failures: list[int],
    torn: bytes,
    limit: int | None,
    output_format: str,
) -> None:
    """Fail the export at any requests, leave any half-written bytes after the checkpoint (what a process
    killed in the middle of a write leaves), run the same command again until it succeeds: the file is the
    listing, each job once, in order, in either format (CSV: its header once, however many runs it took)."""
    jobs = [kit.job(i, error_message='line\r\nbreak, "quoted"' if i % 3 == 0 else None) for i in range(count)]
    store = kit.JobStore(jobs, default_page_size=page_size)
    out = tmp_path_factory.mktemp("export") / "jobs.out"
    argv = ["jobs", "export", str(out), "--max-retries", "0", "--format", output_format]
    argv += ["--limit", str(limit)] if limit is not None else []
    for failure in failures:
        _fail_at(store, len(store.requests) + failure)
        outcome = runner(store, *argv)
        if outcome.code == 0:
            break
        assert outcome.code == 3
        part = out.with_name(out.name + ".part")
        if part.exists():
            with part.open("ab") as file:
                file.write(torn)
    store.fault = None
    if not out.exists() or (out.with_name(out.name + ".resume")).exists():
        assert runner(store, *argv).code == 0
    expected = jobs if limit is None else jobs[:limit]
    text = line_format(output_format, JOBS)
    assert out.read_bytes() == (text.header() + text.lines(expected)).encode("utf-8")


def test_resuming_with_other_filters_is_refused_until_restart(runner: Any, kit: Any, tmp_path: Path) -> None:
    out = tmp_path / "jobs.jsonl"
    store = _interrupted(runner, kit, out, [kit.job(i) for i in range(30)], "--status", "COMPLETED")
    part_before = (tmp_path / "jobs.jsonl.part").read_bytes()

    refused = runner(store, "jobs", "export", str(out), "--status", "FAILED")
    assert refused.code == 2
    assert "--status was 'COMPLETED', now 'FAILED'" in refused.stderr
    assert "--restart" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert (tmp_path / "jobs.jsonl.part").read_bytes() == part_before

    restarted = runner(store, "jobs", "export", str(out), "--status", "FAILED", "--restart")
    assert restarted.code == 0
    assert _lines(out) == []  # no FAILED job: the old partial file is gone, not continued


def test_a_new_page_size_may_resume_an_export(runner: Any, kit: Any, tmp_path: Path) -> None:
    jobs = [kit.job(i) for i in range(30)]
    out = tmp_path / "jobs.jsonl"
    store = _interrupted(runner, kit, out, jobs)
    assert runner(store, "jobs", "export", str(out), "--page-size", "4").code == 0
    assert _lines(out) == jobs


def test_the_limit_holds_across_a_resume(runner: Any, kit: Any, tmp_path: Path) -> None:
    jobs = [kit.job(i) for i in range(50)]
    out = tmp_path / "jobs.jsonl"
    store = _interrupted(runner, kit, out, jobs, "--limit", "25", at=3)
    assert runner(store, "jobs", "export", str(out), "--limit", "25").code == 0
    assert _lines(out) == jobs[:25]
    assert len(store.requests) == 4  # 2 pages, the failed request, the last 5 jobs


def test_a_finished_export_run_again_is_made_afresh(runner: Any, kit: Any, tmp_path: Path) -> None:
    store = kit.JobStore([kit.job(i) for i in range(5)], default_page_size=10)
    out = tmp_path / "jobs.jsonl"
    assert runner(store, "jobs", "export", str(out)).code == 0
    store.jobs.insert(0, kit.job(99))
    again = runner(store, "jobs", "export", str(out))
    assert again.code == 0
    assert "resuming" not in again.stderr
    assert [job["id"] for job in _lines(out)] == [job["id"] for job in store.jobs]


def test_a_checkpoint_whose_partial_file_is_gone_is_ignored(runner: Any, kit: Any, tmp_path: Path) -> None:
    """What a run killed between renaming the file and removing its checkpoint leaves."""
    jobs = [kit.job(i) for i in range(15)]
    out = tmp_path / "jobs.jsonl"
    store = _interrupted(runner, kit, out, jobs)
    (tmp_path / "jobs.jsonl.part").unlink()
    outcome = runner(store, "jobs", "export", str(out))
    assert outcome.code == 0
    assert "resuming" not in outcome.stderr
    assert _lines(out) == jobs


def test_a_truncated_partial_file_starts_over(runner: Any, kit: Any, tmp_path: Path) -> None:
    jobs = [kit.job(i) for i in range(15)]
    out = tmp_path / "jobs.jsonl"
    store = _interrupted(runner, kit, out, jobs)
    part = tmp_path / "jobs.jsonl.part"
    part.write_bytes(part.read_bytes()[:-10])
    outcome = runner(store, "jobs", "export", str(out))
    assert outcome.code == 0
    assert "shorter than its checkpoint" in outcome.stderr
    assert _lines(out) == jobs


def test_the_checkpoint_never_holds_the_key(runner: Any, kit: Any, tmp_path: Path) -> None:
    _interrupted(runner, kit, tmp_path / "jobs.jsonl", [kit.job(i) for i in range(15)], "--api-key", kit.API_KEY)
    checkpoint = (tmp_path / "jobs.jsonl.resume").read_text()
    assert kit.API_KEY not in checkpoint
    assert json.loads(checkpoint)["options"]["base_url"] == kit.BASE_URL


def test_a_base_url_with_credentials_is_refused_before_anything_is_written(
    runner: Any, kit: Any, tmp_path: Path
) -> None:
    store = kit.JobStore([kit.job(i) for i in range(15)], default_page_size=10)
    out = tmp_path / "jobs.jsonl"
    outcome = runner(store, "jobs", "export", str(out), "--base-url", "http://user:hunter2@api.test")
    assert outcome.code == 2
    assert "user name or password" in outcome.stderr
    assert "hunter2" not in outcome.stderr
    assert store.requests == []
    assert list(tmp_path.iterdir()) == []


def test_two_exports_into_one_file_cannot_run_at_once(runner: Any, kit: Any, tmp_path: Path) -> None:
    out = tmp_path / "jobs.jsonl"
    with (tmp_path / "jobs.jsonl.part").open("ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        outcome = runner(kit.JobStore([kit.job(1)]), "jobs", "export", str(out))
    assert outcome.code == 1
    assert "another export is writing" in outcome.stderr
    assert not out.exists()


@pytest.mark.parametrize(("target", "problem"), [("missing/jobs.jsonl", "does not exist"), (".", "directory")])
def test_an_output_path_that_cannot_be_a_file_is_a_usage_error(
    runner: Any, kit: Any, tmp_path: Path, target: str, problem: str
) -> None:
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, "jobs", "export", str(tmp_path / target))
    assert outcome.code == 2
    assert problem in outcome.stderr
    assert store.requests == []


def test_a_partial_file_that_is_a_directory_is_refused_before_anything_is_sent(
    runner: Any, kit: Any, tmp_path: Path
) -> None:
    (tmp_path / "jobs.jsonl.part").mkdir()
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, "jobs", "export", str(tmp_path / "jobs.jsonl"))
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert "jobs.jsonl.part is a directory" in outcome.stderr
    assert store.requests == []


@pytest.mark.parametrize("output_format", sorted(LINE_FORMATS))
def test_an_export_holds_what_the_listing_prints_in_the_same_format(
    runner: Any, kit: Any, tmp_path: Path, output_format: str
) -> None:
    jobs = [kit.job(i, error_message="échec\nligne" if i % 2 else None, usage={"credits": i}) for i in range(23)]
    listed = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "list", "--format", output_format)
    out = tmp_path / "jobs.out"
    exported = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "export", str(out), "--format", output_format)
    assert listed.code == exported.code == 0, exported.stderr
    assert out.read_bytes() == listed.stdout.encode("utf-8")
    to_stdout = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "export", "-", "--format", output_format)
    assert to_stdout.stdout == listed.stdout


def test_an_interrupted_csv_export_writes_its_header_once(runner: Any, kit: Any, tmp_path: Path) -> None:
    jobs = [kit.job(i) for i in range(25)]
    out = tmp_path / "jobs.csv"
    store = _interrupted(runner, kit, out, jobs, "--format", "csv")
    part = (tmp_path / "jobs.csv.part").read_bytes()
    checkpoint = json.loads((tmp_path / "jobs.csv.resume").read_text())
    assert checkpoint["offset"] == len(part)
    assert checkpoint["options"]["format"] == "csv"
    assert runner(store, "jobs", "export", str(out), "--format", "csv").code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0][0] == "id"
    assert [row[0] for row in rows[1:]] == [job["id"] for job in jobs]


def test_an_empty_csv_export_is_its_header(runner: Any, kit: Any, tmp_path: Path) -> None:
    for argv in (["--limit", "0"], ["--status", "FAILED"]):
        out = tmp_path / "jobs.csv"
        assert runner(kit.JobStore([kit.job(1)]), "jobs", "export", str(out), "--format", "csv", *argv).code == 0
        assert out.read_bytes() == line_format("csv", JOBS).header().encode()


def test_resuming_in_another_format_is_refused(runner: Any, kit: Any, tmp_path: Path) -> None:
    out = tmp_path / "jobs.out"
    store = _interrupted(runner, kit, out, [kit.job(i) for i in range(30)])
    part_before = (tmp_path / "jobs.out.part").read_bytes()
    refused = runner(store, "jobs", "export", str(out), "--format", "csv")
    assert refused.code == 2
    assert refused.stderr.count("\n") == 1
    assert "--format was 'jsonl', now 'csv'" in refused.stderr
    assert (tmp_path / "jobs.out.part").read_bytes() == part_before
    assert runner(store, "jobs", "export", str(out), "--format", "jsonl").code == 0
    assert _lines(out) == store.jobs


def test_a_checkpoint_made_before_format_existed_resumes_as_json_lines() -> None:
    earlier = {"filters": {"status": "FAILED"}, "limit": None, "base_url": "http://api.test"}
    assert digest({**earlier, "format": DEFAULT_FORMAT}) == digest(earlier)
    assert digest({**earlier, "format": "csv"}) != digest(earlier)


@pytest.mark.parametrize("output_format", ["json", "table", "xml"])
def test_an_export_format_that_cannot_be_appended_to_is_refused(
    runner: Any, kit: Any, tmp_path: Path, output_format: str
) -> None:
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, "jobs", "export", str(tmp_path / "jobs.out"), "--format", output_format)
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert "--format" in outcome.stderr
    assert store.requests == []
    assert list(tmp_path.iterdir()) == []
