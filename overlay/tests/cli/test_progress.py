"""The progress bar: items, pages and rate, a total when the server gives `total_size`, and nothing at all
when stderr is not a terminal (unless asked for)."""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console

from llamacloud_extract import Page
from llamacloud_extract.cli.progress import ListingProgress


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, color_system=None, width=150), out


def _final_line(out: io.StringIO) -> str:
    """The last frame drawn, without the cursor-control sequences."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", out.getvalue()).replace("\r", "\n")
    return [line for line in text.splitlines() if line.strip()][-1]


def test_pages_items_and_rate_without_a_total() -> None:
    console, out = _terminal()
    with ListingProgress(enabled=True, noun="jobs", console=console) as progress:
        progress.advance(Page(items=[1] * 10, next_page_token="a", total_size=None))
        progress.advance(Page(items=[1] * 4, next_page_token=None, total_size=None))
    line = _final_line(out)
    assert "14/?" in line
    assert "2 pages" in line
    assert "jobs/s" in line


def test_the_server_s_total_gives_the_bar_its_end() -> None:
    console, out = _terminal()
    with ListingProgress(enabled=True, noun="jobs", console=console) as progress:
        progress.advance(Page(items=[1] * 10, next_page_token="a", total_size=50))
    assert "10/50" in _final_line(out)


def test_a_limit_caps_the_total_and_a_resume_starts_from_what_was_done() -> None:
    console, out = _terminal()
    with ListingProgress(enabled=True, noun="jobs", limit=30, done=20, pages=2, console=console) as progress:
        progress.advance(Page(items=[1] * 10, next_page_token="a", total_size=500))
    line = _final_line(out)
    assert "30/30" in line
    assert "3 pages" in line


def test_disabled_it_writes_nothing() -> None:
    console, out = _terminal()
    with ListingProgress(enabled=False, noun="jobs", console=console) as progress:
        progress.advance(Page(items=[1], next_page_token=None, total_size=1))
    assert out.getvalue() == ""


def test_the_command_shows_it_only_on_a_terminal_or_when_asked(runner: Any, kit: Any) -> None:
    jobs = [kit.job(i) for i in range(25)]
    quiet = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "list")
    assert quiet.stderr == ""
    shown = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "list", "--progress")
    assert "25/? " in shown.stderr
    assert "3 pages" in shown.stderr
    assert shown.stdout == quiet.stdout
