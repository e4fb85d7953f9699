"""A reader that stops early (`| head`) has what it wanted, in every format: the command ends quietly with
status 0. A reader of stderr that goes away (`2>&1 | head`) costs the progress bar and the notes, never the
output or the exit status. (Over a real pipe, against the mock server: conformance/tests/cli.)"""

from __future__ import annotations

import io
import sys
from typing import Any

import httpx
import pytest


class _ClosedPipe(io.StringIO):
    """A stream whose reader went away after `room` writes, as `| head` does."""

    def __init__(self, room: int, descriptor: int | None = None) -> None:
        super().__init__()
        self.room = room
        self.descriptor = descriptor

    def write(self, text: str) -> int:
        if self.room <= 0:
            raise BrokenPipeError(32, "Broken pipe")
        self.room -= 1
        return super().write(text)

    def fileno(self) -> int:
        if self.descriptor is None:
            raise io.UnsupportedOperation("no descriptor")
        return self.descriptor

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("output_format", ["table", "jsonl", "json", "csv"])
@pytest.mark.parametrize("command", [["jobs", "list"], ["runs", "list"]])
def test_every_format_ends_quietly_when_the_reader_leaves(
    runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch, output_format: str, command: list[str]
) -> None:
    jobs = kit.JobStore([kit.job(i) for i in range(100)], default_page_size=10)
    runs = [kit.run(i) for i in range(100)]

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/runs"):
            return httpx.Response(200, json=runs)
        return jobs(request)

    monkeypatch.setattr(sys, "stdout", _ClosedPipe(room=0))
    outcome = runner(server, *command, "--format", output_format)
    assert (outcome.code, outcome.stderr) == (0, "")


def test_a_reader_that_leaves_ends_the_listing_quietly(runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    store = kit.JobStore([kit.job(i) for i in range(100)], default_page_size=10)
    monkeypatch.setattr(sys, "stdout", _ClosedPipe(room=2))
    outcome = runner(store, "jobs", "list", "--format", "jsonl")
    assert outcome.code == 0
    assert outcome.stderr == ""
    assert len(store.requests) <= 4  # the listing stopped: page 3 failed to print, page 4 at most read ahead


def test_an_export_to_dash_ends_quietly_when_the_reader_leaves(
    runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = kit.JobStore([kit.job(i) for i in range(100)], default_page_size=10)
    monkeypatch.setattr(sys, "stdout", _ClosedPipe(room=1))
    outcome = runner(store, "jobs", "export", "-")
    assert outcome.code == 0
    assert "Traceback" not in outcome.stderr
    assert len(store.requests) <= 3


def test_a_note_nobody_reads_does_not_fail_the_export(
    runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    out = tmp_path / "jobs.jsonl"
    monkeypatch.setattr(sys, "stderr", _ClosedPipe(room=0))
    outcome = runner(kit.JobStore([kit.job(i) for i in range(5)]), "jobs", "export", str(out))
    assert outcome.code == 0
    assert len(out.read_text().splitlines()) == 5


def test_an_error_nobody_reads_keeps_its_exit_status(runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _ClosedPipe(room=0))
    outcome = runner(lambda request: httpx.Response(401, json={"detail": "no"}), "jobs", "list", "--debug")
    assert outcome.code == 3
