"""`python -m llamacloud_conformance.mock` as a user runs it: a real process, its printed settings, a request."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from llamacloud_conformance import bounds
from llamacloud_conformance.mock import __main__ as mock_main
from llamacloud_conformance.mock.server import exposure_warning


def _start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [sys.executable, "-m", "llamacloud_conformance.mock", "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    settings: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        name, _, value = line.strip().partition("=")
        settings[name] = value
        if name == "LLAMACLOUD_MOCK_PROJECT_ID":
            break
    return process, settings


@pytest.fixture
def stop_later() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()  # reaps it and closes its pipes


def test_starts_prints_its_settings_serves_and_stops_on_sigint(stop_later: list[subprocess.Popen[str]]) -> None:
    process, settings = _start("--api-key", "cli-key", "--jobs", "30", "--runs", "4", "--seed", "5")
    stop_later.append(process)
    assert settings["LLAMA_CLOUD_API_KEY"] == settings["LLAMACLOUD_API_KEY"] == "cli-key"
    base_url = settings["LLAMA_CLOUD_BASE_URL"]
    assert base_url == settings["LLAMACLOUD_BASE_URL"]
    assert base_url.startswith("http://127.0.0.1:")
    page = httpx.get(f"{base_url}/api/v2/extract", headers={"Authorization": "Bearer cli-key"}).json()
    assert page["total_size"] == 30
    assert page["items"][0]["project_id"] == settings["LLAMACLOUD_MOCK_PROJECT_ID"]
    assert (
        len(httpx.get(f"{base_url}/api/v1/extractionv2/runs", headers={"Authorization": "Bearer cli-key"}).json()) == 4
    )
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0


def test_faults_can_be_armed_from_the_command_line(stop_later: list[subprocess.Popen[str]]) -> None:
    process, settings = _start("--jobs", "3", "--runs", "1", "--fault", "status=503;retry_after=2")
    stop_later.append(process)
    response = httpx.get(f"{settings['LLAMA_CLOUD_BASE_URL']}/api/v2/extract")
    assert (response.status_code, response.headers["retry-after"]) == (503, "2")


def test_a_bad_fault_is_a_clear_usage_error() -> None:
    command = [sys.executable, "-m", "llamacloud_conformance.mock", "--port", "0", "--fault", "flood"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert done.returncode == 2
    assert "unknown fault 'flood'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--jobs", str(bounds.MAX_JOBS + 1)], "--jobs"),
        (["--jobs", "-1"], "--jobs"),
        (["--jobs", "1e3"], "--jobs"),
        (["--jobs", "9" * 5000], "--jobs"),
        (["--runs", str(bounds.MAX_RUNS + 1)], "--runs"),
        (["--port", "70000"], "--port"),
        (["--port", "-1"], "--port"),
        (["--seed", "-1"], "--seed"),
        (["--seed", str(2**63)], "--seed"),
        (["--api-key", ""], "--api-key"),
        (["--api-key", "two words"], "--api-key"),
        (["--admin-token", "a\u00e9"], "--admin-token"),
        (["--api-key", "same", "--admin-token", "same"], "--admin-token"),
        (["--fault", "status=" + "9" * 5000], "--fault"),
        (["--fault", ",".join(["latency=0"] * (bounds.MAX_HEADER_FAULTS + 1))], "--fault"),
        ([arg for _ in range(bounds.MAX_ARMED_RULES + 1) for arg in ("--fault", "drop")], "--fault"),
        (["--jobs"], "--jobs"),
        (["--nonsense"], "--nonsense"),
    ],
)
def test_a_bad_option_is_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, options: list[str], named: str
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the mock started with {options}")

    monkeypatch.setattr(mock_main, "uvicorn_server", never)
    try:
        code = mock_main.main(["--port", "0", *options])
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert named in captured.err
    assert "Traceback" not in captured.err


EXPOSED = ["0.0.0.0", "::", "192.0.2.7", "10.0.0.1", "2001:db8::1", "::ffff:10.0.0.1"]  # noqa: S104 - nothing is bound


@pytest.mark.parametrize("host", EXPOSED)
def test_an_address_other_machines_reach_is_warned_about(host: str) -> None:
    warning = exposure_warning(host)
    assert warning is not None
    assert warning.startswith("WARNING:")
    assert host in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_is_not_warned_about(host: str) -> None:
    assert exposure_warning(host) is None


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_data_is_generated_stops_it_quietly(sig: signal.Signals) -> None:
    """Before the server runs there is no event loop to stop: the signal must still end the process at once,
    without a traceback (the largest data takes many seconds to make)."""
    command = [sys.executable, "-m", "llamacloud_conformance.mock", "--port", "0", "--jobs", str(bounds.MAX_JOBS)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert process.stderr is not None
        assert process.stderr.readline().startswith(f"generating {bounds.MAX_JOBS:,} jobs")
        process.send_signal(sig)
        code = process.wait(timeout=30)
        out, err = process.communicate()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert code == (130 if sig == signal.SIGINT else -signal.SIGTERM)
    assert "Traceback" not in err
    assert out == ""
