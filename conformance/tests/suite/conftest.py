"""Fixtures shared by the suite's own tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from llamacloud_conformance.suite.plugin import ConformancePlugin
from llamacloud_extract import retries

RunChecks = Callable[..., "pytest.ExitCode | int"]


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client's backoff (0.5 s, doubling to 8 s), which the run's guard follows, would make a run against a
    failing server slow; the rules are the same, only shorter (test_guard.py checks the real delays with a fake
    clock)."""
    monkeypatch.setattr(retries, "INITIAL_RETRY_DELAY", 0.001)


def _run_checks(folder: Path, plugin: ConformancePlugin, *options: str) -> pytest.ExitCode | int:
    args = ["-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "-c", os.devnull, "--rootdir", str(folder)]
    return pytest.main([str(folder), *args, *options], plugins=[plugin])


@pytest.fixture
def run_checks() -> RunChecks:
    """`run_checks(folder, plugin, *options)`: pytest in process on the checks of `folder` with a conformance run's
    plugin and none of the configuration of the folder the tests run from, as `llamacloud-conformance run` runs the
    suite; its exit status (what the checks did is in `plugin.results`)."""
    return _run_checks
