"""The mock server as a separate process, as a deployment would be: what an embedded conformance run checks,
and what tests of command-line tools start. It speaks only HTTP to the caller (the admin API under /_mock)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

STARTUP_TIMEOUT = 60.0


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
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        announced = _read_announcement(process)
        yield MockProcess(
            announced["LLAMACLOUD_BASE_URL"],
            api_key,
            announced["LLAMACLOUD_MOCK_PROJECT_ID"],
            seed,
            announced["LLAMACLOUD_MOCK_ADMIN_TOKEN"],
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _read_announcement(process: subprocess.Popen[str]) -> dict[str, str]:
    """The `NAME=value` lines the mock prints once it accepts connections."""
    found: dict[str, str] = {}
    done = threading.Event()

    def read() -> None:
        assert process.stdout is not None  # noqa: S101 - started with stdout=PIPE
        for line in process.stdout:
            name, _, value = line.strip().partition("=")
            found[name] = value
            if name == "LLAMACLOUD_MOCK_PROJECT_ID":
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    if not done.wait(STARTUP_TIMEOUT) or "LLAMACLOUD_BASE_URL" not in found:
        process.kill()
        error = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"the mock server did not start: {error.strip()[-2000:]}")
    return found
