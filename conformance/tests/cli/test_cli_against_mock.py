"""`llamacloud-extract` as a user runs it: a separate process (`python -m llamacloud_extract`, and the installed
console script) talking to the stateful mock server over a real socket on 127.0.0.1.

The expected listings come from the dataset's plain reference implementation (`Dataset.select_jobs`), not from
the server, so a bug shared by the mock's store and the command cannot hide.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from llamacloud_conformance.mock import Dataset, FaultRule, MockServer, running_mock, served_job
from llamacloud_extract.cli.output import JOBS, line_format

API_KEY = "cli-test-key-SECRET"
COMMAND = [sys.executable, "-m", "llamacloud_extract"]
GUARD = 120  # seconds before a hung command fails the test instead of hanging it (not a speed check)


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with running_mock(dataset=Dataset.generate(seed=1, jobs=500, runs=50), api_key=API_KEY) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_faults(server: MockServer) -> Iterator[None]:
    server.clear_faults()
    yield
    server.clear_faults()


@attrs.frozen
class Done:
    code: int
    stdout: str
    stderr: str


def environment(server: MockServer, **overrides: str) -> dict[str, str]:
    """The test process's environment without any LlamaCloud setting of the machine, pointed at the mock."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("LLAMA_CLOUD_", "LLAMA_PARSE_"))}
    env.update({"LLAMA_CLOUD_API_KEY": server.api_key, "LLAMA_CLOUD_BASE_URL": server.base_url, **overrides})
    return env


def run(server: MockServer, *argv: str, command: list[str] = COMMAND, cwd: Path | None = None, **env: str) -> Done:
    done = subprocess.run(  # noqa: S603 - this interpreter, running the package under test
        [*command, *argv], env=environment(server, **env), capture_output=True, text=True, timeout=GUARD, check=False,
        cwd=cwd,
    )  # fmt: skip
    return Done(done.returncode, done.stdout, done.stderr)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# ---- listing ------------------------------------------------------------------------------------------------


def test_jobs_list_with_filters_prints_the_reference_listing(server: MockServer) -> None:
    since = "2025-09-01T00:00:00+02:00"
    done = run(
        server,
        "jobs",
        "list",
        "--status",
        "completed",
        "--since",
        since,
        "--expand",
        "configuration",
        "--page-size",
        "40",
    )
    assert done.code == 0, done.stderr
    assert done.stderr == ""  # no progress bar: stderr is not a terminal
    expected = server.dataset.select_jobs(status="COMPLETED", created_at_on_or_after=since)
    assert len(expected) > 40
    assert jsonl(done.stdout) == [served_job(job, ["configuration"]) for job in expected]


def test_every_filter_narrows_the_listing_as_the_reference_does(server: MockServer) -> None:
    job = next(job for job in server.dataset.select_jobs() if job.get("configuration_id"))
    project = server.dataset.default_project
    argv = [
        "--configuration-id", job["configuration_id"],
        "--document-input-value", job["document_input_value"],
        "--document-input-type", Dataset.generate(seed=0, jobs=0, runs=0).input_type(job["document_input_value"]),
        "--project-id", project.id.removeprefix("prj-"),  # the query parameter is the bare UUID
        "--organization-id", project.organization_id,
        "--until", job["created_at"],
        "--job-id", job["id"], "--job-id", "ext-00000000-0000-0000-0000-000000000000",
    ]  # fmt: skip
    done = run(server, "jobs", "list", *argv, "--format", "json")
    assert done.code == 0, done.stderr
    assert ids(json.loads(done.stdout)) == [job["id"]]


def test_the_project_id_a_job_prints_lists_that_project_s_jobs(server: MockServer) -> None:
    """The mock, like the spec, takes only a UUID as the project_id parameter (a `prj-...` value is a 422)."""
    printed = server.dataset.select_jobs()[0]["project_id"]
    assert printed.startswith("prj-")
    server.clear_request_log()
    done = run(server, "jobs", "list", "--project-id", printed, "--page-size", "100")
    assert done.code == 0, done.stderr
    assert ids(jsonl(done.stdout)) == ids(server.dataset.select_jobs())
    assert {entry.params["project_id"][0] for entry in server.request_log} == {printed.removeprefix("prj-")}
    other = run(server, "jobs", "list", "--project-id", "prj-00000000-0000-4000-8000-000000000000")
    assert other.code == 0, other.stderr
    assert other.stdout == ""


def test_parallel_and_csv_give_the_same_jobs(server: MockServer) -> None:
    since = "2025-01-01T00:00:00Z"
    serial = run(server, "jobs", "list", "--since", since, "--format", "csv")
    parallel = run(server, "jobs", "list", "--since", since, "--parallel", "4", "--format", "csv")
    assert serial.code == parallel.code == 0
    assert parallel.stdout == serial.stdout
    rows = list(csv.DictReader(io.StringIO(serial.stdout, newline="")))
    assert [row["id"] for row in rows] == ids(server.dataset.select_jobs(created_at_on_or_after=since))


def test_limit_and_a_forced_table(server: MockServer) -> None:
    done = run(server, "jobs", "list", "--limit", "7", "--format", "table")
    assert done.code == 0
    rows = [line.split()[0] for line in done.stdout.splitlines() if line.startswith("ext-")]
    assert rows == ids(server.dataset.select_jobs())[:7]


@pytest.mark.parametrize(
    "argv",
    [[], ["--status", "FAILED"], ["--since", "2026-03-27T12:00:00+02:00", "--until", "2026-03-28T00:00:00Z"]],
    ids=["all", "status", "range"],
)
def test_a_count_equals_the_length_of_the_full_listing(server: MockServer, argv: list[str]) -> None:
    server.clear_request_log()
    done = run(server, "jobs", "count", *argv)
    assert done.code == 0, done.stderr
    (request,) = server.request_log  # one request per number
    assert request.params["page_size"] == ["1"]
    listed = run(server, "jobs", "list", *argv, "--page-size", "100")
    assert jsonl(done.stdout) == [{"count": len(jsonl(listed.stdout)), "source": "total_size"}]
    assert len(jsonl(listed.stdout)) > 0


def test_a_count_by_status_and_an_exact_one_agree_with_the_reference(server: MockServer) -> None:
    server.clear_request_log()
    by_total = run(server, "jobs", "count", "--by", "status", "--format", "json")
    assert by_total.code == 0, by_total.stderr
    statuses = [row["status"] for row in json.loads(by_total.stdout)]
    assert len(server.request_log) == len(statuses) == 6
    exact = run(server, "jobs", "count", "--by", "status", "--exact", "--format", "json")
    expected = {status: len(server.dataset.select_jobs(status=status)) for status in statuses}
    assert {row["status"]: row["count"] for row in json.loads(by_total.stdout)} == expected
    assert {row["status"]: row["count"] for row in json.loads(exact.stdout)} == expected
    assert {row["source"] for row in json.loads(exact.stdout)} == {"listing"}
    assert sum(expected.values()) == len(server.dataset.select_jobs())


NEXT_PAGE = "next_page_token: "


def test_a_listing_continued_by_hand_lists_every_job_once(server: MockServer) -> None:
    """Run after run, each from the token the last one showed, until one says the listing ended."""
    since = "2025-01-01T00:00:00Z"
    expected = ids(server.dataset.select_jobs(created_at_on_or_after=since))
    listed: list[str] = []
    token: list[str] = []
    for _ in range(len(expected) // 97 + 2):
        done = run(server, "jobs", "list", "--since", since, "--limit", "97", "--show-token", *token)
        assert done.code == 0, done.stderr
        listed += ids(jsonl(done.stdout))
        (line,) = done.stderr.splitlines()
        if not line.startswith(NEXT_PAGE):
            assert "the listing ended" in line
            break
        token = ["--page-token", line.removeprefix(NEXT_PAGE)]
    assert listed == expected


def test_a_token_of_another_listing_is_refused_naming_the_option(server: MockServer) -> None:
    first = run(server, "jobs", "list", "--status", "COMPLETED", "--limit", "5", "--show-token")
    token = first.stderr.strip().removeprefix(NEXT_PAGE)
    assert token != first.stderr.strip()
    refused = run(server, "jobs", "list", "--status", "FAILED", "--page-token", token)
    assert refused.code == 2
    assert "Invalid value for '--page-token': the server refuses it (422" in _one_line_error(refused)


def test_runs_list(server: MockServer) -> None:
    agent = server.dataset.runs[0]["extraction_agent_id"]
    done = run(server, "runs", "list", "--extraction-agent-id", agent)
    assert done.code == 0, done.stderr
    expected = server.dataset.select_runs(extraction_agent_id=agent)
    assert len(expected) > 1
    assert jsonl(done.stdout) == expected


def test_the_installed_console_script(server: MockServer) -> None:
    script = shutil.which("llamacloud-extract", path=str(Path(sys.executable).parent))
    assert script is not None, "the llamacloud-extract console script is not installed beside this interpreter"
    version = run(server, "--version", command=[script])
    assert version.code == 0
    assert version.stdout.startswith("llamacloud-extract ")
    done = run(server, "jobs", "list", "--limit", "3", command=[script])
    assert ids(jsonl(done.stdout)) == ids(server.dataset.select_jobs())[:3]


# ---- failures -----------------------------------------------------------------------------------------------


def _one_line_error(done: Done) -> str:
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("llamacloud-extract: error: ")
    assert "Traceback" not in done.stderr
    return done.stderr


@pytest.mark.parametrize("debug", [False, True])
def test_a_wrong_key_is_exit_3_and_never_shown(server: MockServer, debug: bool) -> None:
    wrong = "llx-wrong-key-SECRET-42"
    done = run(server, "jobs", "list", *(["--debug"] if debug else []), LLAMA_CLOUD_API_KEY=wrong)
    assert done.code == 3
    assert done.stdout == ""
    if debug:
        assert "Traceback" in done.stderr
        assert "-> 401" in done.stderr
    else:
        assert "401" in _one_line_error(done)
    assert wrong not in done.stderr
    typed = run(server, "jobs", "list", "--api-key", wrong, *(["--debug"] if debug else []))
    assert typed.code == 3
    assert wrong not in typed.stderr + typed.stdout


@pytest.mark.parametrize(
    ("argv", "env", "named"),
    [
        (["jobs", "list", "--since", "2026-01-01T00:00:00"], {}, "--since"),
        (["jobs", "list", "--status", "DONE"], {}, "--status"),
        (["jobs", "list", "--page-size", "0"], {}, "--page-size"),
        (["runs", "list", "--job-id", "42"], {}, "--job-id"),
        (["jobs", "list", "--project-id", "prj-42"], {}, "--project-id"),
        (["jobs", "list"], {"LLAMA_CLOUD_API_KEY": ""}, "LLAMA_CLOUD_API_KEY"),
        (["jobs", "export"], {}, "OUT"),
    ],
)
def test_usage_errors_are_exit_2_before_any_request(
    server: MockServer, argv: list[str], env: dict[str, str], named: str
) -> None:
    server.clear_request_log()
    done = run(server, *argv, **env)
    assert done.code == 2
    assert named in _one_line_error(done)
    assert server.request_log == []


def test_a_server_that_keeps_failing_is_exit_3(server: MockServer) -> None:
    server.set_faults([FaultRule.status(503)])
    done = run(server, "jobs", "list", "--max-retries", "1")
    assert done.code == 3
    assert "503" in _one_line_error(done)
    assert len(server.request_log) == 2


def test_a_server_that_is_not_there_is_exit_3(server: MockServer) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run(server, "jobs", "list", "--base-url", f"http://127.0.0.1:{port}", "--max-retries", "0")
    assert done.code == 3
    assert "could not connect" in _one_line_error(done)


# ---- export: kill it, run it again ----------------------------------------------------------------------------


def _checkpoint(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


def _kill_after(server: MockServer, argv: list[str], resume: Path, pages: int) -> None:
    """Start the export, SIGKILL it once its checkpoint shows `pages` more pages done, and wait for it to die."""
    start = _checkpoint(resume).get("pages", 0)
    process = subprocess.Popen(  # noqa: S603 - this interpreter, running the package under test
        [*COMMAND, *argv], env=environment(server), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + GUARD
        while _checkpoint(resume).get("pages", 0) < start + pages:
            assert process.poll() is None, f"the export ended before it could be killed: {process.stderr}"
            assert time.monotonic() < deadline, "the export made no progress"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=GUARD)
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_an_export_killed_twice_resumes_to_the_exact_listing(
    server: MockServer, tmp_path: Path, output_format: str
) -> None:
    out = tmp_path / "jobs.jsonl"
    resume, part = tmp_path / "jobs.jsonl.resume", tmp_path / "jobs.jsonl.part"
    argv = ["jobs", "export", str(out), "--since", "2025-01-01T00:00:00Z", "--expand", "extract_metadata"]
    argv += ["--page-size", "15", "--format", output_format]
    expected = [
        served_job(job, ["extract_metadata"])
        for job in server.dataset.select_jobs(created_at_on_or_after="2025-01-01T00:00:00Z")
    ]
    assert len(expected) > 15 * 12

    server.set_faults([FaultRule.latency(0.05)])  # slow enough for the kills to land in the middle
    _kill_after(server, argv, resume, pages=3)
    assert not out.exists()
    first = _checkpoint(resume)
    assert first["pages"] >= 3
    assert part.stat().st_size >= first["offset"]

    _kill_after(server, argv, resume, pages=4)
    assert not out.exists()
    second = _checkpoint(resume)
    assert second["jobs"] > first["jobs"]

    server.clear_faults()
    server.clear_request_log()
    done = run(server, *argv)
    assert done.code == 0, done.stderr
    assert f"resuming {out} after {second['jobs']} jobs" in done.stderr
    assert server.request_log[0].params["page_token"] == [second["next_page_token"]]
    if output_format == "jsonl":
        listed = jsonl(out.read_text(encoding="utf-8"))
        assert len(listed) == len({job["id"] for job in listed})  # each job once
        assert listed == expected  # nothing lost, in order, as served
    else:  # the same bytes as the listing printed as CSV in one go: one header, every job once, in order
        text = line_format("csv", JOBS)
        assert out.read_bytes() == (text.header() + text.lines(expected)).encode("utf-8")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["jobs.jsonl"]


def test_resuming_a_killed_export_with_other_filters_is_refused(server: MockServer, tmp_path: Path) -> None:
    out = tmp_path / "jobs.jsonl"
    argv = ["jobs", "export", str(out), "--page-size", "10"]
    server.set_faults([FaultRule.latency(0.05)])
    _kill_after(server, argv, tmp_path / "jobs.jsonl.resume", pages=2)
    server.clear_faults()
    refused = run(server, *argv, "--status", "FAILED")
    assert refused.code == 2
    assert "--status was None, now 'FAILED'" in _one_line_error(refused)
    restarted = run(server, *argv, "--status", "FAILED", "--restart")
    assert restarted.code == 0, restarted.stderr
    assert ids(jsonl(out.read_text())) == ids(server.dataset.select_jobs(status="FAILED"))


def test_an_export_whose_saved_token_the_server_refuses_says_the_checkpoint_is_stale(
    server: MockServer, tmp_path: Path
) -> None:
    """A token the server no longer reads (here: one from another server's run, as after a redeploy with a new
    signing key) is refused with a 422; rerunning can never resume, and the command says what will."""
    out, resume = tmp_path / "jobs.jsonl", tmp_path / "jobs.jsonl.resume"
    argv = ["jobs", "export", str(out), "--page-size", "10"]
    server.set_faults([FaultRule.latency(0.05)])
    _kill_after(server, argv, resume, pages=2)
    server.clear_faults()
    saved = _checkpoint(resume)
    resume.write_text(json.dumps({**saved, "next_page_token": saved["next_page_token"][::-1]}))
    for _ in range(2):
        stale = run(server, *argv)
        assert stale.code == 3
        line = stale.stderr.splitlines()[-1]
        assert "the checkpoint is stale" in line
        assert "--restart" in line
        assert "run the same command again to resume" not in stale.stderr
    restarted = run(server, *argv, "--restart")
    assert restarted.code == 0, restarted.stderr
    assert ids(jsonl(out.read_text())) == ids(server.dataset.select_jobs())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["jobs.jsonl"]


def test_an_export_to_a_fifo_or_a_device_is_refused_and_leaves_it(server: MockServer, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused = run(server, "jobs", "export", str(fifo), "--limit", "2")
    assert refused.code == 2
    assert "is a FIFO (named pipe), not a regular file" in _one_line_error(refused)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pipe"]
    link = tmp_path / "null"
    link.symlink_to(os.devnull)  # a link to the machine's /dev/null, which is only ever looked at
    refused = run(server, "jobs", "export", str(link), "--limit", "2")
    assert refused.code == 2
    assert "is a symbolic link, not a regular file" in _one_line_error(refused)
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_export_to_dash_writes_standard_output(server: MockServer, tmp_path: Path) -> None:
    done = run(server, "jobs", "export", "-", "--limit", "7", cwd=tmp_path)
    assert done.code == 0, done.stderr
    assert ids(jsonl(done.stdout)) == ids(server.dataset.select_jobs())[:7]
    assert list(tmp_path.iterdir()) == []


def _reader_leaves(server: MockServer, argv: list[str], *, stream: str, tmp_path: Path) -> tuple[int, str]:
    """Run the command with `stream` (stdout or stderr) going into a pipe whose reader takes one line and goes
    away (`| head -1` on stdout; on stderr, `2>&1 | head -c 1`, which leaves at once); the other stream goes to
    a file. The exit status and what the file got."""
    with (tmp_path / "kept").open("w+", encoding="utf-8") as kept:
        outputs = (
            {"stdout": subprocess.PIPE, "stderr": kept}
            if stream == "stdout"
            else {"stdout": kept, "stderr": subprocess.PIPE}
        )
        process = subprocess.Popen(  # noqa: S603 - this interpreter, running the package under test
            [*COMMAND, *argv], env=environment(server), text=True, **outputs
        )
        leaving = process.stdout if stream == "stdout" else process.stderr
        assert leaving is not None
        if stream == "stdout":
            leaving.readline()
        else:
            leaving.read(1)
        leaving.close()
        process.wait(timeout=GUARD)
        kept.seek(0)
        return process.returncode, kept.read()


@pytest.mark.parametrize(
    "argv",
    [
        ["jobs", "list", "--format", "table"],
        ["jobs", "list", "--format", "jsonl"],
        ["jobs", "list", "--format", "json"],
        ["jobs", "list", "--format", "csv"],
        ["jobs", "export", "-"],
        ["runs", "list", "--format", "table"],
    ],
    ids=lambda argv: "-".join(argv[:2] + argv[-1:]),
)
def test_head_on_any_output_ends_with_status_0(server: MockServer, argv: list[str], tmp_path: Path) -> None:
    argv = [*argv, "--page-size", "5"] if argv[0] == "jobs" else argv
    code, stderr = _reader_leaves(server, argv, stream="stdout", tmp_path=tmp_path)
    assert code == 0, stderr
    assert "error" not in stderr
    assert "Traceback" not in stderr


def test_a_progress_bar_nobody_watches_costs_nothing(server: MockServer, tmp_path: Path) -> None:
    argv = ["jobs", "list", "--page-size", "20", "--progress"]
    code, stdout = _reader_leaves(server, argv, stream="stderr", tmp_path=tmp_path)
    assert code == 0
    assert ids(jsonl(stdout)) == ids(server.dataset.select_jobs())


def test_five_thousand_job_ids_are_listed_as_one_listing_would(server: MockServer) -> None:
    """More --job-id values than fit in one URL: several requests to the real server, merged in its order."""
    known = ids(server.dataset.select_jobs())
    wanted = known[::-1] + [f"ext-{i:08x}-0000-4000-8000-{i:012x}" for i in range(5000 - len(known))]
    argv = [arg for job_id in wanted for arg in ("--job-id", job_id)]
    server.clear_request_log()
    done = run(server, "jobs", "list", "--format", "jsonl", "--page-size", "100", *argv)
    assert done.code == 0, done.stderr[-2000:]
    assert ids(jsonl(done.stdout)) == ids(server.dataset.select_jobs(job_ids=wanted))
    assert len(server.request_log) > 1


# ---- the overlay README's examples ----------------------------------------------------------------------------

README = Path(__file__).parents[3] / "overlay" / "README.md"


def readme_commands() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## The command line", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("llamacloud-extract ")]


def test_the_readme_has_command_examples() -> None:
    assert len(readme_commands()) >= 5


@pytest.mark.parametrize("line", readme_commands())
def test_each_readme_command_runs_against_the_mock(server: MockServer, tmp_path: Path, line: str) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = environment(server, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    bash = shutil.which("bash")
    assert bash is not None
    done = subprocess.run(  # noqa: S603 - the README's own command line, run by bash as a user would
        [bash, "-c", line],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = list(tmp_path.iterdir())
    if ">" in line or " export " in line:
        assert len(written) == 1
        assert written[0].stat().st_size > 0
    else:
        assert done.stdout or "runs list" in line
