"""Proof that the suite catches things: against a server broken on purpose, each way, it fails."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from llamacloud_conformance.mock import Dataset, running_mock

from breakages import BREAKAGES, CAUGHT_BY, Breakage
from live_runs import run_against

KEY = "suite-test-key"
pytestmark = pytest.mark.usefixtures("quick_retries")  # a server that fails is retried: shortly, here


def _run_against(
    wrap: Callable[[ASGIApp], ASGIApp] | None, report_dir: Path
) -> tuple[int, str, dict[str, httpx.Response]]:
    """The run's exit status and summary, and what each `curl` line of the summary gets when sent again."""
    with running_mock(dataset=Dataset.generate(seed=3, jobs=150, runs=10), api_key=KEY, wrap=wrap) as server:
        code, summary, _ = run_against(server.base_url, KEY, report_dir, fuzz_examples=10)
        lines = re.findall(r"^    (curl .*)$", summary, re.MULTILINE)
        resent = {line: _send_as_curl_would(line) for line in lines}
    return code, summary, resent


def _send_as_curl_would(line: str) -> httpx.Response:
    """The request a summary's curl line sends, run as a shell would run it with the key in the environment."""
    words = shlex.split(line.replace("$LLAMA_CLOUD_API_KEY", KEY))
    assert words[0] == "curl", line
    method, url, headers, rest = "GET", "", [], iter(words[1:])
    for word in rest:
        if word == "-X":
            method = next(rest)
        elif word == "-H":
            name, _, value = next(rest).partition(":")
            headers.append((name.strip(), value.strip()))
        elif not word.startswith("-"):
            url = word
    assert "[Filtered]" not in line, f"a curl line that cannot run as printed: {line}"
    return httpx.request(method, url, headers=headers)


def _failure_section(summary: str, check: str) -> str:
    return next(s for s in summary.split("\n### FAILED ")[1:] if f"`{check}" in s.split("\n", 1)[0])


def test_every_breakage_names_the_check_that_catches_it() -> None:
    assert set(CAUGHT_BY) == set(BREAKAGES)


def test_a_conforming_server_passes(tmp_path: Path) -> None:
    code, summary, _ = _run_against(None, tmp_path)
    assert code == 0, summary
    assert "**PASS**" in summary


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_breakage_fails_the_suite(name: str, tmp_path: Path) -> None:
    options: dict[str, Any] = BREAKAGES[name](KEY)
    code, summary, resent = _run_against(lambda app: Breakage(app, **options), tmp_path)
    assert code == 1, f"the suite passed a server with {name!r}:\n{summary}"
    assert "**FAIL**" in summary
    assert f"`{CAUGHT_BY[name]}" in summary, f"{CAUGHT_BY[name]} should have caught {name!r}:\n{summary}"
    assert KEY not in summary
    assert KEY not in (tmp_path / "conformance-junit.xml").read_text()
    # The failure is the server's: its section gives the request that shows it, runnable as printed.
    section = _failure_section(summary, CAUGHT_BY[name])
    shown = re.findall(r"^    (curl .*)$", section, re.MULTILINE)
    assert shown, f"no curl line for {CAUGHT_BY[name]}:\n{section}"
    assert "no request" not in section
    answers = [resent[line] for line in shown]
    if name == "500 on some input":
        assert 500 in [a.status_code for a in answers]
    if name == "required field missing":
        assert any(a.status_code == 200 and any("status" not in job for job in a.json()["items"]) for a in answers)
