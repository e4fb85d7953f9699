"""A conformance run refuses a target it could only misuse, before sending anything, with one line that never
repeats the key or the credentials of a URL: a base URL with `user:password@`, a query, a fragment or no host,
and a key HTTP cannot carry. What it prints when the target cannot be reached never quotes a header."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from llamacloud_conformance.run import RunOptions, TargetUnusableError, _preflight, run
from llamacloud_conformance.suite import context

MARK = "SECRETxyzzy"


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("http://user:hunter2@127.0.0.1:9", "user name or password"),
        ("http://127.0.0.1:9/?token=hunter2", "query"),
        ("http://127.0.0.1:9/#hunter2", "fragment"),
        ("http://", "no host"),
        ("ftp://127.0.0.1:9", "must start with https://"),
    ],
)
def test_a_base_url_the_api_paths_cannot_follow_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, what: str
) -> None:
    assert run(RunOptions(base_url=url, api_key="k", report_dir=tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("llamacloud-conformance: error: --base-url ")
    assert err.count("\n") == 1
    assert what in err
    assert "hunter2" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", [f"{MARK}\n", f"{MARK} ", f"a\x00{MARK}", f"{MARK}é"])
def test_a_key_http_cannot_carry_is_a_usage_error_that_never_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    assert run(RunOptions(base_url="http://127.0.0.1:9", api_key=key, report_dir=tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("llamacloud-conformance: error: The API key ")
    assert err.count("\n") == 1
    assert MARK not in err


def test_a_key_from_the_environment_is_named_by_its_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLAMA_CLOUD_API_KEY", f"{MARK}\n")
    assert run(RunOptions(base_url="http://127.0.0.1:9", report_dir=tmp_path)) == 2
    err = capsys.readouterr().err
    assert "LLAMA_CLOUD_API_KEY" in err
    assert "line feed" in err
    assert MARK not in err


def test_the_cannot_reach_line_never_quotes_a_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """The HTTP library refuses a header it cannot write with an error that repeats the header's value."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.LocalProtocolError(f"Illegal header value b'Bearer {MARK}\\n'")

    settings = context.RunSettings(base_url="http://127.0.0.1:9", api_key=MARK, embedded=False)
    ctx = context.RunContext(settings)
    monkeypatch.setattr(
        ctx, "http_client", lambda: httpx.Client(base_url=settings.base_url, transport=httpx.MockTransport(refuse))
    )
    with pytest.raises(TargetUnusableError) as caught:
        _preflight(ctx)
    assert "cannot reach http://127.0.0.1:9" in str(caught.value)
    assert "LocalProtocolError" in str(caught.value)
    assert MARK not in str(caught.value)
    ctx.close()


def test_a_usage_error_leaves_no_report_directory_behind(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    assert run(RunOptions(base_url="http://", api_key="k", report_dir=reports)) == 2
    assert not reports.exists()


@pytest.mark.parametrize("name", ["conformance-summary.md", "conformance-junit.xml"])
def test_a_report_name_that_is_not_a_regular_file_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """A link there would be written through (whatever it points to replaced by the report)."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / name).symlink_to(precious)
    assert run(RunOptions(base_url="http://127.0.0.1:9", api_key="k", report_dir=reports)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{reports / name} is not a regular file" in err
    assert precious.read_text() == "keep me\n"
    assert (reports / name).is_symlink()
