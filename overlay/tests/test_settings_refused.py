"""Settings that could never be sent are refused when the client is built, with a `ConfigurationError` that says
what is wrong without repeating the secret: a key or header value HTTP cannot carry (a line end, a space, a NUL,
a non-ASCII letter), a base URL with credentials, a query, a fragment or no host."""

from __future__ import annotations

import socket
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llamacloud_extract import APIConnectionError, AsyncExtractClient, ConfigurationError, ExtractClient

MARK = "SECRETxyzzy"  # what must never show: a piece of the key no message has any reason to contain

BAD_KEYS = [
    (f"{MARK}\n", "line feed"),
    (f"{MARK}\r\n", "carriage return"),
    (f"{MARK} ", "space"),
    (f" {MARK}", "space"),
    (f"{MARK}\t", "tab"),
    (f"SEC\x00{MARK}", "NUL"),
    (f"{MARK}\x1b[0m", "control character"),
    (f"{MARK}\x7f", "control character"),
    (f"{MARK}é", "non-ASCII"),
    (f"{MARK}\u2028", "non-ASCII"),
]


def _texts(error: BaseException) -> list[str]:
    return [str(error), repr(error), "".join(traceback.format_exception(error)), repr(vars(error))]


def _assert_hidden(error: BaseException, secret: str = MARK) -> None:
    for text in _texts(error):
        assert secret not in text, text


@pytest.mark.parametrize(("key", "what"), BAD_KEYS)
def test_a_key_http_cannot_carry_is_refused_without_showing_it(
    clean_env: pytest.MonkeyPatch, key: str, what: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ExtractClient(api_key=key)
    assert "api_key" in str(caught.value)
    assert what in str(caught.value)
    _assert_hidden(caught.value)
    with pytest.raises(ConfigurationError) as caught_async:
        AsyncExtractClient(api_key=key)
    _assert_hidden(caught_async.value)


@pytest.mark.parametrize("variable", ["LLAMA_CLOUD_API_KEY", "LLAMA_PARSE_API_KEY"])
def test_a_key_from_the_environment_is_checked_and_its_variable_named(
    clean_env: pytest.MonkeyPatch, variable: str
) -> None:
    clean_env.setenv(variable, f"{MARK}\n")
    with pytest.raises(ConfigurationError) as caught:
        ExtractClient()
    assert variable in str(caught.value)
    assert "ends with a line feed" in str(caught.value)
    _assert_hidden(caught.value)


@given(st.text(min_size=1, max_size=40))
def test_a_key_is_accepted_exactly_when_it_is_visible_ascii(key: str) -> None:
    visible = all("\x21" <= char <= "\x7e" for char in key)
    try:
        ExtractClient(api_key=key, base_url="http://127.0.0.1:9").close()
    except ConfigurationError as error:
        assert not visible
        if len(key) >= 4:  # a message may name a character; it never quotes the key
            _assert_hidden(error, key)
    else:
        assert visible


def test_a_key_that_is_not_text_is_a_configuration_error(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match=r"API key \(api_key\) must be a str"):
        ExtractClient(api_key=12345)  # type: ignore[arg-type]


BAD_HEADERS = [
    ({"X-Team": f"{MARK}\n"}, "X-Team", "line feed"),
    ({"X-Team": f"{MARK}é"}, "X-Team", "non-ASCII"),
    ({"X-Team": f"a\x00{MARK}"}, "X-Team", "NUL"),
    ({"X-Team": f" {MARK}"}, "X-Team", "space"),
    ({"X-Team": 7}, "X-Team", "must be a str"),
    ({"X Team": "v"}, "'X Team'", "not a valid header name"),
    ({"": "v"}, "''", "not a valid header name"),
    ({"X-Tëam": "v"}, "'X-Tëam'", "not a valid header name"),
]


@pytest.mark.parametrize(("headers", "named", "what"), BAD_HEADERS)
def test_a_custom_header_http_cannot_carry_is_refused_without_showing_its_value(
    clean_env: pytest.MonkeyPatch, headers: dict[str, Any], named: str, what: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ExtractClient(api_key="k", default_headers=headers)
    assert named in str(caught.value)
    assert what in str(caught.value)
    _assert_hidden(caught.value)


def test_a_custom_header_from_the_environment_is_checked_too(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LLAMA_CLOUD_CUSTOM_HEADERS", f"X-Team: data\nX-Token: {MARK}é")
    with pytest.raises(ConfigurationError) as caught:
        ExtractClient(api_key="k")
    assert "LLAMA_CLOUD_CUSTOM_HEADERS" in str(caught.value)
    assert "X-Token" in str(caught.value)
    _assert_hidden(caught.value)


def test_good_custom_headers_are_sent_as_given(clean_env: pytest.MonkeyPatch) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: (sent.append(r), httpx.Response(200, json=[]))[1]))
    headers = {"X-Empty": "", "X-Inner": "a b\tc", "X-Punct": "!#$%&'*+-.^_`|~"}
    ExtractClient(api_key="llx-~+/=", default_headers=headers, http_client=http).runs.list()
    assert sent[0].headers["authorization"] == "Bearer llx-~+/="
    for name, value in headers.items():
        assert sent[0].headers[name] == value


@pytest.fixture
def silent_listener() -> Iterator[str]:
    """A loopback port that accepts connections (the kernel completes them) and never answers: enough for the
    HTTP library to get as far as writing the request's headers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_header_the_callers_own_http_client_adds_never_shows_in_the_error(
    clean_env: pytest.MonkeyPatch, silent_listener: str
) -> None:
    """The client cannot check what the caller's `httpx.Client` adds; the HTTP library refuses it when writing,
    in an exception that quotes the value. The client's error says what happened without it."""
    http = httpx.Client(headers={"X-Session": f"{MARK}\n"}, timeout=5)
    client = ExtractClient(api_key="k", base_url=silent_listener, http_client=http, max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        client.runs.list()
    assert "LocalProtocolError" in str(caught.value)
    assert "header" in str(caught.value)
    _assert_hidden(caught.value)
    http.close()


BAD_BASE_URLS = [
    ("http://user:hunter2@127.0.0.1:8787", "user name or password", "http://***@127.0.0.1:8787"),
    ("https://:hunter2@api.test/", "user name or password", "https://***@api.test/"),
    ("http://127.0.0.1:8787/?token=hunter2", "query", "http://127.0.0.1:8787/..."),
    ("http://127.0.0.1:8787?", "query", "http://127.0.0.1:8787..."),
    ("http://127.0.0.1:8787/#hunter2", "fragment", "http://127.0.0.1:8787/..."),
    ("http://", "no host", "'http://'"),
    ("https:///api", "no host", "'https:///api'"),
    ("http://:8787", "no host", "'http://:8787'"),
    ("http://exa mple.test", "spaces or control characters", "exa mple"),
    ("http://api.test\n", "spaces or control characters", "api.test"),
    ("http://api.test:99999", "not a valid URL", "api.test:99999"),
    ("http://[::1", "not a valid URL", "[::1"),
    ("hunter2@api.test", "must start with https://", "***@api.test"),
]


@pytest.mark.parametrize(("url", "problem", "shown"), BAD_BASE_URLS)
def test_a_base_url_the_api_paths_cannot_follow_is_refused(
    clean_env: pytest.MonkeyPatch, url: str, problem: str, shown: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ExtractClient(api_key="k", base_url=url)
    message = str(caught.value)
    assert message.startswith("base_url ")
    assert problem in message
    assert shown in message
    assert "hunter2" not in message
    clean_env.setenv("LLAMA_CLOUD_BASE_URL", url)
    with pytest.raises(ConfigurationError) as from_env:
        AsyncExtractClient(api_key="k")
    assert str(from_env.value).startswith("LLAMA_CLOUD_BASE_URL ")
    assert "hunter2" not in str(from_env.value)


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787/api/v1/extractionv2/runs"),
        ("http://127.0.0.1:8787///", "http://127.0.0.1:8787/api/v1/extractionv2/runs"),
        ("https://proxy.test/llama/", "https://proxy.test/llama/api/v1/extractionv2/runs"),
        ("http://[::1]:8787", "http://[::1]:8787/api/v1/extractionv2/runs"),
        ("https://bücher.test", "https://xn--bcher-kva.test/api/v1/extractionv2/runs"),
        ("HTTPS://API.TEST".lower(), "https://api.test/api/v1/extractionv2/runs"),
    ],
)
def test_a_root_url_gets_the_api_paths_appended(clean_env: pytest.MonkeyPatch, url: str, sent: str) -> None:
    requests: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: (requests.append(r), httpx.Response(200, json=[]))[1]))
    ExtractClient(api_key="k", base_url=url, http_client=http).runs.list()
    assert str(requests[0].url) == sent
    assert requests[0].headers["authorization"] == "Bearer k"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": 1}, "region must be a str"),
        ({"region": None, "base_url": 5}, "base_url must be a str"),
        ({"default_headers": [("X-Team", "a")]}, "default_headers must be a mapping"),
        ({"default_headers": "X-Team: a"}, "default_headers must be a mapping"),
    ],
)
def test_settings_of_the_wrong_type_are_configuration_errors(
    clean_env: pytest.MonkeyPatch, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        ExtractClient(api_key="k", **kwargs)
