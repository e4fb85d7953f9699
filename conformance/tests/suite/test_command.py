"""`llamacloud-conformance`, as a user runs it: a subprocess against a mock server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from llamacloud_conformance.mock import Dataset, running_mock

KEY = "command-test-key"


def _command(*args: str, key: str | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLAMA_CLOUD_")}
    if key is not None:
        env["LLAMA_CLOUD_API_KEY"] = key
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "llamacloud_conformance", *args], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_run_against_a_server_reports_and_exits_by_the_verdict(tmp_path: Path) -> None:
    with running_mock(dataset=Dataset.generate(seed=2, jobs=80, runs=8), api_key=KEY) as server:
        url = server.base_url
        ok = _command("run", "--base-url", url, "--part", "semantics", "--rate-limit", "1000", key=KEY, cwd=tmp_path)
        refused = _command("run", "--base-url", url, "--part", "semantics", key="wrong", cwd=tmp_path)
        usage = _command("run", "--base-url", url, "--part", "nonsense", key=KEY, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert "**PASS**" in ok.stdout
    assert (tmp_path / "reports" / "conformance-junit.xml").is_file()
    assert (tmp_path / "reports" / "conformance-summary.md").read_text().startswith("# Conformance summary")
    assert refused.returncode == 3
    assert refused.stderr.strip().count("\n") == 0, "an error is one line"
    assert "refused the API key" in refused.stderr
    assert usage.returncode == 2
    for result in (ok, refused, usage):
        assert KEY not in result.stdout + result.stderr


@pytest.mark.parametrize(("served", "verdict"), [("2026-03-28", 0), ("2026-08-20", 1)])
def test_a_reader_that_leaves_early_does_not_change_the_verdict(tmp_path: Path, served: str, verdict: int) -> None:
    """`llamacloud-conformance run ... | head -1`: the run goes on, writes its reports and exits with its verdict
    (checked here against the default snapshot, 2026-03-28: a server in the 2026-08-20 shape fails it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLAMA_CLOUD_")} | {"LLAMA_CLOUD_API_KEY": KEY}
    dataset = Dataset.generate(seed=2, jobs=80, runs=8, snapshot=served)
    with running_mock(dataset=dataset, api_key=KEY) as server:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "llamacloud_conformance", "run", "--base-url", server.base_url, "--part",
             "semantics", "--rate-limit", "1000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
        )  # fmt: skip
        assert process.stdout is not None
        assert process.stdout.readline()
        process.stdout.close()  # the reader leaves
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == verdict, stderr[-2000:]
    assert stderr == ""
    summary = (tmp_path / "reports" / "conformance-summary.md").read_text()
    assert ("**PASS**" if verdict == 0 else "**FAIL**") in summary


def test_mock_subcommand_serves(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "llamacloud_conformance", "mock", "--port", "0", "--api-key", "k", "--jobs", "5"],
        stdout=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("LLAMA_CLOUD_BASE_URL=http://127.0.0.1:")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
