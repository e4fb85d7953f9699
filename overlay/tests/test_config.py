"""Configuration, as the official SDK resolves it: arguments, then the environment, then the defaults."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from llamacloud_extract import (
    DEFAULT_TIMEOUT,
    EU_BASE_URL,
    US_BASE_URL,
    AsyncExtractClient,
    ConfigurationError,
    ExtractClient,
)

EMPTY = {"items": [], "next_page_token": None}


class Recorder:
    """A transport that answers an empty page and keeps each request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=EMPTY)


def sent_with(clean_env: pytest.MonkeyPatch, **kwargs: Any) -> httpx.Request:
    recorder = Recorder()
    client = ExtractClient(http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **kwargs)
    list(client.jobs.list())
    return recorder.requests[0]


def test_a_missing_key_fails_at_construction(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="LLAMA_CLOUD_API_KEY"):
        ExtractClient()
    with pytest.raises(ValueError, match="No API key"):  # ConfigurationError is a ValueError too
        AsyncExtractClient(api_key="")


def test_the_key_comes_from_the_argument_then_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LLAMA_PARSE_API_KEY", "from-parse")
    assert sent_with(clean_env).headers["authorization"] == "Bearer from-parse"
    clean_env.setenv("LLAMA_CLOUD_API_KEY", "from-cloud")
    assert sent_with(clean_env).headers["authorization"] == "Bearer from-cloud"
    assert sent_with(clean_env, api_key="from-arg").headers["authorization"] == "Bearer from-arg"


def test_the_base_url_comes_from_the_argument_then_the_environment_then_us(clean_env: pytest.MonkeyPatch) -> None:
    assert ExtractClient(api_key="k").base_url == US_BASE_URL == "https://api.cloud.llamaindex.ai"
    clean_env.setenv("LLAMA_CLOUD_BASE_URL", "https://proxy.example/")
    assert ExtractClient(api_key="k").base_url == "https://proxy.example"
    assert ExtractClient(api_key="k", base_url="http://127.0.0.1:9").base_url == "http://127.0.0.1:9"
    request = sent_with(clean_env, api_key="k")
    assert str(request.url) == "https://proxy.example/api/v2/extract"


def test_region_eu_is_the_eu_host(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LLAMA_CLOUD_BASE_URL", "https://ignored.example")
    assert ExtractClient(api_key="k", region="eu").base_url == EU_BASE_URL == "https://api.cloud.eu.llamaindex.ai"
    assert ExtractClient(api_key="k", region="US").base_url == US_BASE_URL


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "asia"}, "Unknown region 'asia'"),
        ({"region": "eu", "base_url": "https://x"}, "either base_url or region"),
        ({"base_url": "api.cloud.eu.llamaindex.ai"}, "must start with https://"),
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": 0}, "timeout"),
        ({"strict": "yes"}, "strict must be True or False, got 'yes'"),
    ],
)
def test_bad_settings_fail_at_construction(clean_env: pytest.MonkeyPatch, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        ExtractClient(api_key="k", **kwargs)


def test_strict_is_off_unless_asked_for(clean_env: pytest.MonkeyPatch) -> None:
    assert ExtractClient(api_key="k").strict is False
    assert ExtractClient(api_key="k", strict=True).strict is True
    assert AsyncExtractClient(api_key="k", strict=True).strict is True


def test_the_default_timeout_is_60_seconds_with_5_to_connect(clean_env: pytest.MonkeyPatch) -> None:
    assert httpx.Timeout(60.0, connect=5.0) == DEFAULT_TIMEOUT
    client = ExtractClient(api_key="k")
    assert client._sender.client.timeout == DEFAULT_TIMEOUT  # the generated client would have none at all
    client.close()
    request = sent_with(clean_env, api_key="k")
    assert request.extensions["timeout"] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


def test_a_timeout_argument_applies_to_every_request(clean_env: pytest.MonkeyPatch) -> None:
    assert sent_with(clean_env, api_key="k", timeout=2.5).extensions["timeout"]["read"] == 2.5
    custom = httpx.Timeout(10.0, connect=1.0)
    assert sent_with(clean_env, api_key="k", timeout=custom).extensions["timeout"]["connect"] == 1.0


def test_a_callers_http_client_keeps_a_timeout_set_on_purpose(clean_env: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    http = httpx.Client(transport=httpx.MockTransport(recorder), timeout=httpx.Timeout(7.0))
    list(ExtractClient(api_key="k", http_client=http).jobs.list())
    assert recorder.requests[0].extensions["timeout"]["read"] == 7.0
    list(ExtractClient(api_key="k", http_client=http, timeout=3).jobs.list())
    assert recorder.requests[1].extensions["timeout"]["read"] == 3.0


def test_headers_from_the_environment_and_the_argument(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LLAMA_CLOUD_CUSTOM_HEADERS", "X-Team: data\nX-Trace: env\nnot a header")
    request = sent_with(clean_env, api_key="k", default_headers={"X-Trace": "arg"})
    assert request.headers["x-team"] == "data"
    assert request.headers["x-trace"] == "arg"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("llamacloud-extract/")


def test_a_callers_http_client_is_used_and_left_open(clean_env: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    with ExtractClient(api_key="k", http_client=http) as client:
        list(client.jobs.list())
    assert len(recorder.requests) == 1
    assert not http.is_closed
    http.close()


def test_the_clients_own_pool_is_closed_with_it(clean_env: pytest.MonkeyPatch) -> None:
    with ExtractClient(api_key="k") as client:
        pool = client._sender.client
    assert pool.is_closed


def test_the_async_client_owns_and_closes_its_pool(clean_env: pytest.MonkeyPatch) -> None:
    async def go() -> None:
        async with AsyncExtractClient(api_key="k", region="eu") as client:
            pool = client._sender.client
            assert pool.timeout == DEFAULT_TIMEOUT
            assert client.base_url == EU_BASE_URL
        assert pool.is_closed

    asyncio.run(go())
