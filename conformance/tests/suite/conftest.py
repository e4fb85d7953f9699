"""Fixtures shared by the suite's own tests."""

from __future__ import annotations

import pytest

from llamacloud_extract import retries


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client's backoff (0.5 s, doubling to 8 s), which the run's guard follows, would make a run against a
    failing server slow; the rules are the same, only shorter (test_guard.py checks the real delays with a fake
    clock)."""
    monkeypatch.setattr(retries, "INITIAL_RETRY_DELAY", 0.001)
