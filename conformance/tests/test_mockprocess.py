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


def test_the_mock_process_announces_a_loopback_url_and_its_project() -> None:
    with mock_process(jobs=5, runs=1, api_key="key-not-in-reprs") as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.project_id.startswith("prj-")
        assert "key-not-in-reprs" not in repr(server)
