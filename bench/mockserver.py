"""The mock server as its own process, for the benchmarks: the documented command, its base URL, and what the
benchmarks read about the process from outside (CPU time, RSS) and through its admin API (the request log).

A separate process, so the client under test and the server never share an interpreter lock; the server gets
one core's worth of Python, as a small deployment would.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

API_KEY = "bench-key"


@dataclass(frozen=True)
class Mock:
    process: subprocess.Popen[str]
    base_url: str
    started_in: float
    """Seconds from launch until it announced its base URL (it accepts connections from then on)."""
    admin_token: str = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        return self._status_mib("VmRSS:")

    def peak_rss_mib(self) -> float:
        """The most RSS the server has had so far (start-up included)."""
        return self._status_mib("VmHWM:")

    def _status_mib(self, field: str) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return float("nan")

    @property
    def _admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def clear_request_log(self) -> None:
        httpx.delete(f"{self.base_url}/_mock/requests", headers=self._admin).raise_for_status()

    def logged_requests(self) -> int:
        """How many requests the server has logged since the last clear (it keeps the last 10,000)."""
        response = httpx.get(f"{self.base_url}/_mock/requests", headers=self._admin, timeout=60)
        response.raise_for_status()
        return len(response.json()["requests"])


def start(jobs: int, runs: int, faults: Sequence[str] = ()) -> Mock:
    """`python -m llamacloud_conformance.mock` on a free loopback port, with `faults` armed for every request."""
    command = [sys.executable, "-m", "llamacloud_conformance.mock", "--port", "0", "--api-key", API_KEY]
    command += ["--jobs", str(jobs), "--runs", str(runs), "--seed", "1"]
    for fault in faults:
        command += ["--fault", fault]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    announced: dict[str, str] = {}
    for line in process.stdout:
        name, _, value = line.strip().partition("=")
        announced[name] = value
        if name == "LLAMACLOUD_MOCK_PROJECT_ID":
            break
    if "LLAMA_CLOUD_BASE_URL" not in announced:
        raise SystemExit(f"the mock did not start (exit code {process.poll()})")
    started_in = time.perf_counter() - started
    return Mock(process, announced["LLAMA_CLOUD_BASE_URL"], started_in, announced["LLAMACLOUD_MOCK_ADMIN_TOKEN"])


def stop(mock: Mock) -> None:
    mock.process.terminate()
    try:
        mock.process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        mock.process.kill()
        mock.process.communicate()


@contextlib.contextmanager
def running(jobs: int, runs: int, faults: Sequence[str] = ()) -> Iterator[Mock]:
    mock = start(jobs, runs, faults)
    try:
        yield mock
    finally:
        stop(mock)
