"""Proof that the suite catches things: against a server broken on purpose, each way, it fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.types import ASGIApp

from llamacloud_conformance.mock import Dataset, running_mock
from llamacloud_conformance.run import RunOptions, run

from breakages import BREAKAGES, CAUGHT_BY, Breakage

KEY = "suite-test-key"


def _run_against(wrap: Callable[[ASGIApp], ASGIApp] | None, report_dir: Path) -> tuple[int, str]:
    with running_mock(dataset=Dataset.generate(seed=3, jobs=150, runs=10), api_key=KEY, wrap=wrap) as server:
        options = RunOptions(
            base_url=server.base_url,
            api_key=KEY,
            max_requests=5_000,
            rate_limit=10_000,
            fuzz_examples=10,
            report_dir=report_dir,
            parts=("server", "semantics"),
        )
        code = run(options)
    return code, (report_dir / "conformance-summary.md").read_text()


def test_every_breakage_names_the_check_that_catches_it() -> None:
    assert set(CAUGHT_BY) == set(BREAKAGES)


def test_a_conforming_server_passes(tmp_path: Path) -> None:
    code, summary = _run_against(None, tmp_path)
    assert code == 0, summary
    assert "**PASS**" in summary


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_breakage_fails_the_suite(name: str, tmp_path: Path) -> None:
    options: dict[str, Any] = BREAKAGES[name](KEY)
    code, summary = _run_against(lambda app: Breakage(app, **options), tmp_path)
    assert code == 1, f"the suite passed a server with {name!r}:\n{summary}"
    assert "**FAIL**" in summary
    assert f"`{CAUGHT_BY[name]}" in summary, f"{CAUGHT_BY[name]} should have caught {name!r}:\n{summary}"
    assert KEY not in summary
    assert KEY not in (tmp_path / "conformance-junit.xml").read_text()
