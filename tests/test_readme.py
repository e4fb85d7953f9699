"""Every code block of the README runs, so none of them can rot.

Python blocks run in a fresh interpreter and shell lines in bash, with `LLAMA_CLOUD_BASE_URL` and
`LLAMA_CLOUD_API_KEY` pointing at a mock server in its own process. Three kinds of block need a rule:
the opening block is what `.ci/run` executes (checked here, run by CI); each install line runs in a fresh
virtual environment, which then runs what that line's packages give (marked `readme_install`: `nox -s tests`
runs it on Python 3.11 only, the Python the README is written for); a command that starts the mock server runs until it announces its URL (on a free port
instead of the README's 8787, which another process may hold). The YAML CI job may only run the README's
own opening command.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from llamacloud_conformance.mockprocess import MockProcess, mock_process

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[int, str]]:
    text = README.read_text()
    return [(text[: m.start()].count("\n") + 1, m.group(2)) for m in BLOCK.finditer(text) if m.group(1) == language]


OPENING, *SHELL = blocks("sh")


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with mock_process(seed=1, jobs=500, runs=50, api_key="readme-key") as server:
        yield server


def _environment(server: MockProcess, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLAMA_CLOUD_", "LLAMA_PARSE_"))}
    return {**env, "LLAMA_CLOUD_BASE_URL": server.base_url, "LLAMA_CLOUD_API_KEY": server.api_key, **extra}


def test_the_opening_block_is_two_commands_that_ci_runs() -> None:
    commands = OPENING[1].strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("nox -s conformance")
    assert commands[1].endswith("nox -s check_generated lint typecheck docs tests")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "for n in 2 1; do" in ci  # both lines, read from this README
    assert 'bash -c "$cmd"' in ci


@pytest.mark.parametrize(("line", "code"), blocks("python"), ids=lambda v: f"line{v}" if isinstance(v, int) else "")
def test_python_block_runs(mock: MockProcess, line: int, code: str, tmp_path: Path) -> None:
    """A block that defines tests (the pytest plugin's example) runs as a test file, every test passing; any
    other runs as a script and must print what it shows."""
    if "\ndef test_" in code:
        tests = code.count("\ndef test_")
        (tmp_path / "test_from_readme.py").write_text(code)
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:asyncio",
            "test_from_readme.py",
        ]
        result = subprocess.run(  # noqa: S603
            command, env=_environment(mock), cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"README line {line}:\n{result.stdout[-3000:]}"
        assert f"{tests} passed" in result.stdout, result.stdout[-2000:]
        return
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=_environment(mock), cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"README line {line}:\n{result.stderr[-3000:]}"
    assert result.stdout.strip(), f"README line {line} printed nothing"


def _shell_lines() -> list[tuple[int, str]]:
    return [(at, line) for at, code in SHELL for line in code.strip().splitlines()]


# For each thing an install line of the README names, a command that works once it is installed.
WHAT_AN_INSTALL_GIVES = {
    "./generated": "python -c 'import llamacloud_extract_api'",
    "./overlay": "python -c 'import llamacloud_extract'",
    "./overlay[cli]": "llamacloud-extract --help",
    "./conformance": "python -c 'import llamacloud_conformance.mock' && llamacloud-conformance mock --help",
    "./conformance[suite]": "llamacloud-conformance run --help",
}


def _run(command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)  # noqa: S603, S607


def _is_install(command: str) -> bool:
    return command.startswith("python -m pip install")


@pytest.mark.readme_install
@pytest.mark.parametrize(
    ("line", "command"),
    [(at, line) for at, line in _shell_lines() if _is_install(line)],
    ids=lambda v: f"line{v}" if isinstance(v, int) else "",
)
def test_install_line_installs_what_it_names(mock: MockProcess, line: int, command: str, tmp_path: Path) -> None:
    env = _environment(mock)
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    env["PATH"] = f"{fresh / 'bin'}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = _run(command, env, ROOT)
    assert result.returncode == 0, f"README line {line}: {result.stderr[-3000:]}"
    installed = {word for word in shlex.split(command)[4:] if not word.startswith("-")}
    assert installed <= set(WHAT_AN_INSTALL_GIVES), f"README line {line}: what does {installed} give?"
    for package in sorted(installed):
        check = _run(WHAT_AN_INSTALL_GIVES[package], env, tmp_path)
        assert check.returncode == 0, f"README line {line}, {package}: {check.stderr[-3000:]}"


@pytest.mark.parametrize(
    ("line", "command"),
    [(at, line) for at, line in _shell_lines() if not _is_install(line)],
    ids=lambda v: f"line{v}" if isinstance(v, int) else "",
)
def test_shell_line_runs(mock: MockProcess, line: int, command: str, tmp_path: Path) -> None:
    env = _environment(mock)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if "llamacloud_conformance.mock" in command:
        _serves_until_stopped(command.replace("--port 8787", "--port 0"), env, tmp_path)
        return
    result = _run(command, env, tmp_path)
    assert result.returncode == 0, f"README line {line}: {result.stderr[-3000:]}"
    written = [p for p in tmp_path.iterdir() if p.is_file()]
    assert result.stdout.strip() or any(p.stat().st_size for p in written), f"README line {line} gave nothing"


def _serves_until_stopped(command: str, env: dict[str, str], cwd: Path) -> None:
    process = subprocess.Popen(["bash", "-c", f"exec {command}"], env=env, cwd=cwd, stdout=subprocess.PIPE, text=True)  # noqa: S603, S607
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("LLAMA_CLOUD_BASE_URL=http://127.0.0.1:"), first
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_the_ci_job_runs_only_the_readmes_own_command() -> None:
    ((_, text),) = blocks("yaml")
    job = yaml.safe_load(text)["jobs"]["conformance"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    main_job = OPENING[1].strip().splitlines()[0]
    assert runs, "the CI job runs nothing"
    assert all(run.startswith(main_job) for run in runs), runs
