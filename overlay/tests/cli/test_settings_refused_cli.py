"""Settings that cannot be sent are usage errors (exit 2) on one line, found before any request, and the line
never repeats the key, a header value or the credentials of a URL, not even with --debug."""

from __future__ import annotations

from typing import Any

import pytest

MARK = "SECRETxyzzy"


def _refused(outcome: Any, *explains: str) -> None:
    assert outcome.code == 2, outcome.stderr
    assert outcome.stdout == ""
    last = outcome.stderr.splitlines()[-1]
    assert last.startswith("llamacloud-extract: error: ")
    for words in explains:
        assert words in last
    assert MARK not in outcome.stderr
    assert "hunter2" not in outcome.stderr


@pytest.mark.parametrize("debug", [[], ["--debug"]])
@pytest.mark.parametrize(
    ("key", "what"),
    [(f"{MARK}\n", "ends with a line feed"), (f"{MARK} ", "ends with a space"), (f"a\x1b{MARK}", "U+001B")],
)
@pytest.mark.parametrize("command", [["jobs", "list"], ["runs", "list"], ["jobs", "export", "out.jsonl"]])
def test_a_key_http_cannot_carry_is_a_usage_error_that_never_shows_it(
    runner: Any, kit: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any, key: str, what: str, debug: list[str],
    command: list[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LLAMA_CLOUD_API_KEY", key)
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, *command, *debug)
    _refused(outcome, "LLAMA_CLOUD_API_KEY", what)
    if not debug:
        assert outcome.stderr.count("\n") == 1
    assert store.requests == []
    assert list(tmp_path.iterdir()) == []


def test_a_non_ascii_key_option_is_a_usage_error(runner: Any, kit: Any) -> None:
    store = kit.JobStore([kit.job(1)])
    _refused(runner(store, "jobs", "list", "--api-key", f"{MARK}é"), "--api-key", "non-ASCII")
    assert store.requests == []


def test_a_custom_header_http_cannot_carry_is_a_usage_error(runner: Any, kit: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("LLAMA_CLOUD_CUSTOM_HEADERS", f"X-Token: {MARK}é")
    store = kit.JobStore([kit.job(1)])
    _refused(runner(store, "jobs", "list"), "LLAMA_CLOUD_CUSTOM_HEADERS", "X-Token", "non-ASCII")
    assert store.requests == []


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("http://user:hunter2@api.test", "user name or password"),
        ("http://api.test/?token=hunter2", "query"),
        ("http://api.test/#hunter2", "fragment"),
        ("http://", "no host"),
    ],
)
@pytest.mark.parametrize("option", [True, False])
def test_a_base_url_the_api_paths_cannot_follow_is_a_usage_error(
    runner: Any, kit: Any, monkeypatch: Any, url: str, what: str, option: bool
) -> None:
    store = kit.JobStore([kit.job(1)])
    if option:
        outcome = runner(store, "jobs", "list", "--base-url", url)
        _refused(outcome, "--base-url", what)
    else:
        monkeypatch.setenv("LLAMA_CLOUD_BASE_URL", url)
        outcome = runner(store, "jobs", "list")
        _refused(outcome, "LLAMA_CLOUD_BASE_URL", what)
    assert store.requests == []
