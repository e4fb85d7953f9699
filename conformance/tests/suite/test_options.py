"""`llamacloud-conformance run` with options it cannot honour: each is a usage error (exit 2, one line naming the
option), found before anything is started or sent."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from llamacloud_conformance import bounds
from llamacloud_conformance.cli import main
from llamacloud_conformance.run import RunOptions, run

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port: a run that got this far would exit 3


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLAMA_CLOUD_API_KEY", "options-test-key")


def _usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("llamacloud-conformance")
    assert "Traceback" not in captured.err
    return captured.err


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--max-requests", "0"], "--max-requests"),
        (["--max-requests", "-5"], "--max-requests"),
        (["--max-requests", "many"], "--max-requests"),
        (["--rate-limit", "-1"], "--rate-limit"),
        (["--rate-limit", "0"], "--rate-limit"),
        (["--rate-limit", "nan"], "--rate-limit"),
        (["--rate-limit", "inf"], "--rate-limit"),
        (["--examples", "0"], "--examples"),
        (["--examples", "-3"], "--examples"),
        (["--seed", "-1"], "--seed"),
        (["--seed", str(bounds.MAX_SEED + 1)], "--seed"),
        (["--seed", "1.5"], "--seed"),
        (["--part", "nonsense"], "--part"),
        (["--snapshot", "1999-01-01"], "--snapshot"),
        (["--nonsense"], "--nonsense"),
    ],
)
def test_a_bad_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str], named: str
) -> None:
    said = _usage_error(capsys, ["run", "--base-url", UNREACHABLE, "--report-dir", str(tmp_path), *options])
    assert named in said


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    _usage_error(capsys, [])


def test_a_report_dir_that_is_a_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plain = tmp_path / "reports"
    plain.write_text("not a folder")
    said = _usage_error(capsys, ["run", "--base-url", UNREACHABLE, "--report-dir", str(plain)])
    assert "--report-dir" in said
    assert plain.read_text() == "not a folder"
    below = _usage_error(capsys, ["run", "--base-url", UNREACHABLE, "--report-dir", str(plain / "sub")])
    assert "--report-dir" in below


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("name", ["conformance-summary.md", "conformance-junit.xml"])
def test_a_report_that_is_not_a_regular_file_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """Writing a report into a FIFO would block the run at its very end; into a device, replace or feed it."""
    os.mkfifo(tmp_path / name)
    said = _usage_error(capsys, ["run", "--base-url", UNREACHABLE, "--report-dir", str(tmp_path)])
    assert name in said
    assert (tmp_path / name).is_fifo()
    (tmp_path / name).unlink()
    (tmp_path / name).mkdir()
    assert name in _usage_error(capsys, ["run", "--base-url", UNREACHABLE, "--report-dir", str(tmp_path)])


def test_the_exit_statuses_are_documented_where_users_look(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "--help"])
    assert stop.value.code == 0
    help_text = capsys.readouterr().out
    root = Path(__file__).parents[3]
    for where, text in [
        ("--help", help_text),
        ("README.md", (root / "README.md").read_text()),
        ("conformance/README.md", (root / "conformance" / "README.md").read_text()),
    ]:
        assert re.search(r"\b4\b[^\n]*INCONCLUSIVE", text), f"{where} does not document exit status 4"


@pytest.mark.parametrize(
    ("changes", "named"),
    [({"parts": ()}, "--part"), ({"jobs": bounds.MAX_JOBS + 1}, "jobs"), ({"runs": -1}, "runs")],
)
def test_the_python_api_refuses_the_same_way(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, changes: dict[str, object], named: str
) -> None:
    """Options only the Python API has: no part at all (pytest would collect the working folder), a mock of a
    size it refuses to serve (it would not start: an unexpected error, exit 1)."""
    options = RunOptions(base_url=UNREACHABLE, api_key="k", report_dir=tmp_path, **changes)  # type: ignore[arg-type]
    assert run(options) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1
    assert named in said
