"""A server started as a process keeps running however much it writes, and one that fails to start says why.

The stand-in servers below are a few lines of Python that write far more than a pipe holds (64 KiB on Linux):
if nobody read a pipe, their next write would block, and the announcement (or the marker file written after
the noise) would never come."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from llamacloud_conformance.mockprocess import ERROR_TAIL, announcing_process, mock_process

NOISE = 1 << 20  # characters written to each pipe, 16 times what a Linux pipe holds

CHATTY = f"""
import sys, time
from pathlib import Path
sys.stderr.write("e" * {NOISE}); sys.stderr.flush()
print("LLAMACLOUD_BASE_URL=http://127.0.0.1:1"); print("LLAMACLOUD_MOCK_PROJECT_ID=prj-x", flush=True)
sys.stderr.write("e" * {NOISE}); sys.stderr.flush()
sys.stdout.write("o" * {NOISE}); sys.stdout.flush()
Path(sys.argv[1]).write_text("written")
time.sleep(600)
"""

FAILING = f"""
import sys
sys.stderr.write("e" * {NOISE} + "\\nTraceback: the port is taken\\n")
sys.exit(3)
"""


def test_a_process_that_writes_a_lot_to_both_pipes_is_never_blocked(tmp_path: Path) -> None:
    marker = tmp_path / "after-the-noise"
    with announcing_process([sys.executable, "-c", CHATTY, str(marker)], timeout=120) as announced:
        assert announced["LLAMACLOUD_BASE_URL"] == "http://127.0.0.1:1"
        assert announced["LLAMACLOUD_MOCK_PROJECT_ID"] == "prj-x"
        deadline = time.monotonic() + 120  # a bound for a broken drain, not a speed check
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.read_text() == "written"


def test_a_process_that_fails_to_start_is_reported_with_the_tail_of_its_stderr() -> None:
    with pytest.raises(RuntimeError) as failure, announcing_process([sys.executable, "-c", FAILING], timeout=120):
        pytest.fail("a process that never announced was taken as started")
    message = str(failure.value)
    assert message.startswith("the mock server did not start: ")
    assert message.endswith("Traceback: the port is taken")
    assert len(message) <= len("the mock server did not start: ") + ERROR_TAIL


WRAPPER = """
import signal, subprocess, sys
server = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leaves, as nox does, without stopping what it started
server.wait()
"""

SERVER = """
import os, sys, time
from pathlib import Path
Path(sys.argv[1]).write_text(str(os.getpid()))
print("LLAMACLOUD_BASE_URL=http://127.0.0.1:1"); print("LLAMACLOUD_MOCK_PROJECT_ID=prj-x", flush=True)
time.sleep(600)
"""


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_server_started_by_a_wrapper_is_stopped_with_it(tmp_path: Path) -> None:
    """`nox -s mock` is such a wrapper: stopping it alone left the server running, holding both pipes."""
    pid_file = tmp_path / "server.pid"
    with announcing_process([sys.executable, "-c", WRAPPER, SERVER, str(pid_file)], timeout=120):
        server = int(pid_file.read_text())
        assert _running(server)
    deadline = time.monotonic() + 30  # a bound for a broken stop, not a speed check
    while _running(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(server)


def test_the_mock_process_announces_a_loopback_url_and_its_project() -> None:
    with mock_process(jobs=5, runs=1, api_key="key-not-in-reprs") as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.project_id.startswith("prj-")
        assert "key-not-in-reprs" not in repr(server)
