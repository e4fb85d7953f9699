"""The key is redacted where it stands as a value (a header, a URL, a JSON string, a Python repr, an XML text),
never as a piece of another word: with the key `K`, `$LLAMA_CLOUD_API_KEY` stays as it is. Every report is
covered: the Markdown summary, the JUnit file and what the run prints."""

from __future__ import annotations

import html
import json
import string
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import ASGIApp, Receive, Scope, Send

from llamacloud_conformance.mock import Dataset, running_mock
from llamacloud_conformance.run import redact_junit
from llamacloud_conformance.suite.context import redact

from live_runs import run_against

PLACEHOLDER = '-H "Authorization: Bearer $LLAMA_CLOUD_API_KEY"'


@pytest.mark.parametrize("key", ["K", "KEY", "API", "LLAMA", "Bearer", "A", "E", "_"])
def test_a_key_that_is_part_of_a_word_leaves_the_word_alone(key: str) -> None:
    line = f"curl -sS -X GET 'http://127.0.0.1:8787/api/v2/extract?page_size=1' {PLACEHOLDER}"
    if key == "Bearer":
        assert redact(line, key) == line.replace("Bearer $", "[REDACTED] $")  # a whole word: it stands as a value
    else:
        assert redact(line, key) == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer K", "Authorization: Bearer [REDACTED]"),
        ("{'authorization': 'Bearer K'}", "{'authorization': 'Bearer [REDACTED]'}"),
        ("Illegal header value b'Bearer K\\n'", "Illegal header value b'Bearer [REDACTED]\\n'"),
        ('{"detail": "token K is not valid"}', '{"detail": "token [REDACTED] is not valid"}'),
        ("http://u:K@host/path?api_key=K&x=1#K", "http://u:[REDACTED]@host/path?api_key=[REDACTED]&x=1#[REDACTED]"),
        ("K", "[REDACTED]"),
        ("OK KO K2 2K K_ _K K-1", "OK KO K2 2K K_ _K [REDACTED]-1"),
    ],
)
def test_the_key_is_redacted_where_it_stands_as_a_value(text: str, expected: str) -> None:
    assert redact(text, "K") == expected


@pytest.mark.parametrize(
    ("key", "shown_as"),
    [
        ("llx-a/b+c=", quote("llx-a/b+c=", safe="")),  # in a URL
        ('llx-"q"', json.dumps('llx-"q"')[1:-1]),  # in a JSON string
        ("llx-\\b", "llx-\\\\b"),  # in a JSON string or a repr
        ("llx-'\"", repr("llx-'\"")[1:-1]),  # in a repr
    ],
)
def test_the_key_is_redacted_as_urls_json_and_reprs_escape_it(key: str, shown_as: str) -> None:
    assert shown_as != key
    for text in (f"value {key} here", f"value {shown_as} here", f"?k={shown_as}&x=1"):
        redacted = redact(text, key)
        assert key not in redacted
        assert shown_as not in redacted
        assert "[REDACTED]" in redacted


WORDS = st.text(alphabet=string.ascii_letters + string.digits + "_-./$:'\"=&?", min_size=0, max_size=12)
KEYS = st.text(alphabet=[chr(c) for c in range(0x21, 0x7F)], min_size=1, max_size=24)


@given(key=KEYS, words=st.lists(WORDS, max_size=8), at=st.integers(0, 8))
def test_the_key_standing_between_spaces_never_survives(key: str, words: list[str], at: int) -> None:
    text = " ".join([*words[:at], key, *words[at:]])
    assert f" {key} " not in f" {redact(text, key)} "


@given(key=KEYS, text=st.text(max_size=80))
def test_text_without_the_key_is_left_as_it_is(key: str, text: str) -> None:
    forms = {key, quote(key, safe=""), json.dumps(key)[1:-1], repr(key)[1:-1]}
    if not any(form in text for form in forms):
        assert redact(text, key) == text


def test_the_junit_file_is_redacted_in_its_text_and_attributes_as_xml_reads_them(tmp_path: Path) -> None:
    key = "llx-a&b<c>'d\""
    junit = tmp_path / "junit.xml"
    escaped = html.escape(key)
    junit.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="s"><testcase name="t">'
        f'<failure message="got {escaped} back">body {escaped} and $LLAMA_CLOUD_API_KEY</failure>'
        f"<system-out>token={escaped}</system-out></testcase></testsuite></testsuites>",
        encoding="utf-8",
    )
    redact_junit(junit, key)
    text = junit.read_text(encoding="utf-8")
    assert escaped not in text
    assert html.escape(key, quote=False) not in text
    assert text.count("[REDACTED]") == 3
    assert "$LLAMA_CLOUD_API_KEY" in text


class _EchoTheKey:
    """A server that refuses every request for runs with a 403 quoting the bearer token it was sent (a 4xx, so
    that the run does not retry it with back-off as it would a 5xx: the same text, 14 s sooner)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/api/v1/extractionv2/runs":
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = dict(scope["headers"])
        token = headers.get(b"authorization", b"").decode().removeprefix("Bearer ")
        body = json.dumps({"detail": f"token {token} is not valid here"}).encode()
        start: dict[str, Any] = {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
        await send(start)
        await send({"type": "http.response.body", "body": body})


def test_a_run_with_a_one_letter_key_keeps_its_reports_readable_and_the_key_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "K"
    with running_mock(dataset=Dataset.generate(seed=3, jobs=20, runs=2), api_key=key, wrap=_EchoTheKey) as server:
        code, summary, junit = run_against(
            server.base_url, key, tmp_path, fuzz_examples=2, max_requests=300, parts=("semantics",),
            pytest_args=("-k", "runs_filter"),
        )  # fmt: skip
        assert code == 1
    printed = capsys.readouterr()
    assert "$LLAMA_CLOUD_API_KEY" in summary
    assert "API_[REDACTED]" not in summary + junit + printed.out
    for written in (summary, junit, printed.out, printed.err):
        assert "token K is" not in written
    assert "token [REDACTED] is" in summary
