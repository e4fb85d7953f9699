"""`jobs export` never replaces what is not a regular file, never leaves an empty `OUT.part` behind, writes to
standard output for `-`, and says so when a checkpoint has gone stale instead of asking for a resume that cannot
work. Device nodes and FIFOs are made in the test's own directory; the machine's /dev is never touched."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

GUARD = 60  # seconds after which a test that would hang on a FIFO fails instead (not a speed check)


@pytest.fixture(autouse=True)
def _never_hang() -> Iterator[None]:
    """A blocking open or read of a FIFO would wait for ever; this turns that into a failure."""

    def fail(signum: int, frame: Any) -> None:
        raise TimeoutError("the command blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(GUARD)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _char_device(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), made here; skipped where mknod is not permitted."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs CAP_MKNOD (root): cannot make a character device to test with")
    return path


def _symlink_to_file(path: Path) -> Path:
    target = path.with_name("precious.txt")
    target.write_text("keep me\n")
    path.symlink_to(target)
    return path


def _dangling_symlink(path: Path) -> Path:
    path.symlink_to(path.with_name("nowhere"))
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


MAKERS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (_fifo, "a FIFO (named pipe)"),
    "char-device": (_char_device, "a character device"),
    "symlink": (_symlink_to_file, "a symbolic link"),
    "dangling-symlink": (_dangling_symlink, "a symbolic link"),
    "directory": (_directory, "a directory"),
}


def _snapshot(directory: Path) -> dict[str, tuple[int, int, str]]:
    """What each entry is (mode, device number, link target or content): to show nothing was touched."""
    seen = {}
    for entry in directory.iterdir():
        info = entry.lstat()
        if stat.S_ISLNK(info.st_mode):
            detail = os.readlink(entry)
        elif stat.S_ISREG(info.st_mode):
            detail = entry.read_text()
        else:
            detail = ""
        seen[entry.name] = (info.st_mode, info.st_rdev, detail)
    return seen


@pytest.mark.parametrize("kind", sorted(MAKERS))
@pytest.mark.parametrize("which", ["jobs.jsonl", "jobs.jsonl.part", "jobs.jsonl.resume", "jobs.jsonl.resume.tmp"])
def test_an_export_never_replaces_what_is_not_a_regular_file(
    runner: Any, kit: Any, tmp_path: Path, kind: str, which: str
) -> None:
    make, described = MAKERS[kind]
    make(tmp_path / which)
    before = _snapshot(tmp_path)
    store = kit.JobStore([kit.job(i) for i in range(5)])
    outcome = runner(store, "jobs", "export", str(tmp_path / "jobs.jsonl"), "--limit", "2")
    assert outcome.code == 2, outcome.stderr
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    if (kind, which) == ("directory", "jobs.jsonl"):  # click's own check on OUT comes first
        assert f"'{tmp_path / which}' is a directory" in outcome.stderr
    else:
        assert f"{tmp_path / which} is {described}, not a regular file" in outcome.stderr
    assert store.requests == []
    assert _snapshot(tmp_path) == before


def test_a_regular_file_is_replaced_whole(runner: Any, kit: Any, tmp_path: Path) -> None:
    out = tmp_path / "jobs.jsonl"
    out.write_text("old\n")
    jobs = [kit.job(i) for i in range(3)]
    assert runner(kit.JobStore(jobs), "jobs", "export", str(out)).code == 0
    assert [json.loads(line) for line in out.read_text().splitlines()] == jobs


def test_dash_writes_the_listing_to_standard_output_and_no_file(
    runner: Any, kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    jobs = [kit.job(i) for i in range(25)]
    outcome = runner(kit.JobStore(jobs, default_page_size=10), "jobs", "export", "-", "--limit", "12")
    assert outcome.code == 0, outcome.stderr
    assert [json.loads(line) for line in outcome.stdout.splitlines()] == jobs[:12]
    assert outcome.stderr == "12 jobs written to standard output\n"
    assert list(tmp_path.iterdir()) == []


def test_dash_is_not_resumable_and_does_not_say_it_is(
    runner: Any, kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    store.fault = lambda request, count: httpx.Response(500) if count == 2 else None
    outcome = runner(store, "jobs", "export", "-", "--max-retries", "0")
    assert outcome.code == 3
    assert len(outcome.stdout.splitlines()) == 10
    assert "resume" not in outcome.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_export_that_fails_at_once_leaves_nothing_behind(runner: Any, kit: Any, tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "Invalid API key"})

    outcome = runner(refuse, "jobs", "export", str(tmp_path / "jobs.jsonl"))
    assert outcome.code == 3
    assert "401" in outcome.stderr
    assert "resume" not in outcome.stderr  # there is nothing to resume
    assert list(tmp_path.iterdir()) == []


def test_an_export_interrupted_before_its_first_page_leaves_nothing_behind(
    runner: Any, kit: Any, tmp_path: Path
) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    outcome = runner(interrupt, "jobs", "export", str(tmp_path / "jobs.jsonl"))
    assert outcome.code == 130
    assert list(tmp_path.iterdir()) == []


def test_a_failure_after_a_checkpoint_keeps_it_and_says_how_to_resume(runner: Any, kit: Any, tmp_path: Path) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)
    store.fault = lambda request, count: httpx.Response(500) if count == 2 else None
    outcome = runner(store, "jobs", "export", str(tmp_path / "jobs.jsonl"), "--max-retries", "0")
    assert outcome.code == 3
    assert outcome.stderr.endswith("; run the same command again to resume\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.jsonl.part", "jobs.jsonl.resume"]


def test_a_stale_checkpoint_says_so_and_restart_starts_over(runner: Any, kit: Any, tmp_path: Path) -> None:
    """The server no longer accepts the saved page token (it expired, or the server was redeployed): running
    the same command again can never get further, so the error says what will."""
    jobs = [kit.job(i) for i in range(25)]
    store = kit.JobStore(jobs, default_page_size=10)
    out = tmp_path / "jobs.jsonl"
    store.fault = lambda request, count: httpx.Response(500) if count == 2 else None
    assert runner(store, "jobs", "export", str(out), "--max-retries", "0").code == 3

    def stale(request: httpx.Request, count: int) -> httpx.Response | None:
        if request.url.params.get("page_token"):
            detail = [{"loc": ["query", "page_token"], "msg": "invalid or expired page token", "type": "value_error"}]
            return httpx.Response(422, json={"detail": detail})
        return None

    store.fault = stale
    part_before = (tmp_path / "jobs.jsonl.part").read_bytes()
    for _ in range(2):  # the same answer every time, never an invitation to run it again
        outcome = runner(store, "jobs", "export", str(out))
        assert outcome.code == 3
        assert outcome.stderr.count("\n") == 2  # the "resuming" note, then the error
        assert "checkpoint" in outcome.stderr
        assert "stale" in outcome.stderr
        assert "--restart" in outcome.stderr
        assert "run the same command again" not in outcome.stderr
        assert (tmp_path / "jobs.jsonl.part").read_bytes() == part_before

    restarted = runner(store.__class__(jobs, default_page_size=100), "jobs", "export", str(out), "--restart")
    assert restarted.code == 0, restarted.stderr
    assert [json.loads(line) for line in out.read_text().splitlines()] == jobs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.jsonl"]


def test_a_token_refused_in_the_middle_of_a_run_is_stale_too(runner: Any, kit: Any, tmp_path: Path) -> None:
    store = kit.JobStore([kit.job(i) for i in range(25)], default_page_size=10)

    def expire(request: httpx.Request, count: int) -> httpx.Response | None:
        if count == 3:
            return httpx.Response(422, json={"detail": [{"loc": ["query", "page_token"], "msg": "expired"}]})
        return None

    store.fault = expire
    outcome = runner(store, "jobs", "export", str(tmp_path / "jobs.jsonl"))
    assert outcome.code == 3
    assert "stale" in outcome.stderr
    assert "--restart" in outcome.stderr
    assert "run the same command again" not in outcome.stderr


@contextlib.contextmanager
def _held_open(path: Path) -> Iterator[None]:
    """Keep a FIFO open at both ends, so that even a blocking open of it by the command could not hang."""
    descriptor = os.open(path, os.O_RDWR | os.O_NONBLOCK)
    try:
        yield
    finally:
        os.close(descriptor)


def test_a_fifo_is_refused_even_with_someone_at_its_other_end(runner: Any, kit: Any, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "jobs.jsonl")
    with _held_open(fifo):
        outcome = runner(kit.JobStore([kit.job(1)]), "jobs", "export", str(fifo))
    assert outcome.code == 2
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
