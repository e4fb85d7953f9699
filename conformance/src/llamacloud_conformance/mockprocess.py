"""The mock server as a separate process, as a deployment would be: what an embedded conformance run checks,
and what tests of command-line tools start. It speaks only HTTP to the caller (the admin API under /_mock)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, cast

STARTUP_TIMEOUT = 60.0
ERROR_TAIL = 2000  # characters of the process's last words on stderr that an error about its start quotes
LAST_ANNOUNCED = "LLAMACLOUD_MOCK_PROJECT_ID"  # the mock prints this line last, once it accepts connections


@dataclass(frozen=True)
class MockProcess:
    base_url: str
    api_key: str = field(repr=False)
    project_id: str
    seed: int
    admin_token: str = field(repr=False)
    """Opens the admin API under /_mock (`Authorization: Bearer <admin_token>`)."""


@contextlib.contextmanager
def mock_process(
    *, seed: int = 1, jobs: int = 400, runs: int = 40, api_key: str = "conformance-key", snapshot: str | None = None
) -> Iterator[MockProcess]:
    """Start `python -m llamacloud_conformance.mock` on an ephemeral loopback port, speaking `snapshot` (default:
    the default snapshot); stop it on exit."""
    command = [
        sys.executable, "-m", "llamacloud_conformance.mock", "--host", "127.0.0.1", "--port", "0",
        "--api-key", api_key, "--jobs", str(jobs), "--runs", str(runs), "--seed", str(seed),
        *(["--snapshot", snapshot] if snapshot is not None else []),
    ]  # fmt: skip
    with announcing_process(command) as announced:
        yield MockProcess(
            announced["LLAMACLOUD_BASE_URL"],
            api_key,
            announced[LAST_ANNOUNCED],
            seed,
            announced["LLAMACLOUD_MOCK_ADMIN_TOKEN"],
        )


class _Drain:
    """Reads a pipe to its end in a thread, keeping only its last `ERROR_TAIL` characters.

    A process whose pipe nobody reads blocks on its next write once the pipe is full (64 KiB on Linux), so a
    chatty server would stop answering in the middle of a run."""

    def __init__(self, stream: IO[str]) -> None:
        self.tail = ""
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        while chunk := stream.read(8192):
            self.tail = (self.tail + chunk)[-ERROR_TAIL:]

    def join(self) -> bool:
        """Wait for the end of the pipe; False if it has not come (a writer is still alive)."""
        self._thread.join(timeout=10)
        return not self._thread.is_alive()


@contextlib.contextmanager
def announcing_process(
    command: Sequence[str], *, last: str = LAST_ANNOUNCED, timeout: float = STARTUP_TIMEOUT
) -> Iterator[dict[str, str]]:
    """Run `command` for the duration of the block, once it has printed its `NAME=value` lines up to `last`
    (which it does when it accepts connections); yield them. Both of its pipes are drained until it ends. A
    process that ends or stays silent instead raises `RuntimeError` with the tail of its stderr.

    The command runs in a process group of its own, and the whole group is stopped at the end: a wrapper (`nox -s
    mock`, a shell) does not pass its SIGTERM on to the server it started, which would outlive the block."""
    process = subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=_GROUPS
    )
    stdout, stderr = cast("IO[str]", process.stdout), cast("IO[str]", process.stderr)  # both are pipes
    errors = _Drain(stderr)
    found: dict[str, str] = {}
    announced = threading.Event()

    def read_stdout(stream: IO[str]) -> None:
        for line in stream:
            if not announced.is_set():
                name, _, value = line.strip().partition("=")
                found[name] = value
                if name == last:
                    announced.set()
        announced.set()  # the process ended (or closed its stdout) before announcing

    reader = threading.Thread(target=read_stdout, args=(stdout,), daemon=True)
    reader.start()
    try:
        if not announced.wait(timeout) or last not in found:
            _signal(process, hard=True)
            process.wait()
            errors.join()
            raise RuntimeError(f"the mock server did not start: {errors.tail.strip()}")
        yield dict(found)
    finally:
        _signal(process, hard=False)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal(process, hard=True)
            process.wait()
        reader.join(timeout=10)
        if reader.is_alive() or not errors.join():  # something of the group ignored SIGTERM and holds a pipe
            _signal(process, hard=True)
            reader.join(timeout=10)
        # Closing a pipe that a reader thread is still blocked on would wait for that read for ever.
        if not reader.is_alive():
            stdout.close()
        if errors.join():
            stderr.close()


_GROUPS = hasattr(os, "killpg")  # POSIX; elsewhere only the process itself is signalled


def _signal(process: subprocess.Popen[str], *, hard: bool) -> None:
    """SIGTERM (SIGKILL when `hard`) to the process's group, or to the process alone where there are no groups."""
    with contextlib.suppress(ProcessLookupError):
        if _GROUPS:
            os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)
        elif hard:
            process.kill()
        else:
            process.terminate()
