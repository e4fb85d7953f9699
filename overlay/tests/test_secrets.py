"""The API key never shows: not in a repr, not in a log line, not in any exception's text."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import httpx
import pytest

from llamacloud_extract import APIError, AsyncExtractClient, ExtractClient


def test_the_key_is_not_in_reprs(kit: Any) -> None:
    client, _ = kit.client(lambda r: httpx.Response(200, json=[]))
    async_client, _ = kit.async_client(lambda r: httpx.Response(200, json=[]))
    shown = [repr(client), str(client), repr(async_client), repr(client._sender.config), repr(vars(client))]
    for text in shown:
        assert kit.API_KEY not in text
    assert "api.test" in repr(client)


def failures(kit: Any) -> list[Any]:
    """One responder per kind of failure the client reports."""

    def connection(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    return [
        lambda r: httpx.Response(401, json={"detail": "Invalid authentication token"}),
        lambda r: httpx.Response(422, json={"detail": [{"loc": ["query"], "msg": "m", "type": "t"}]}),
        lambda r: httpx.Response(503, text="down"),
        lambda r: httpx.Response(200, text="not json"),
        lambda r: httpx.Response(200, json={"items": [{"id": 1}], "next_page_token": None}),
        lambda r: httpx.Response(200, json={"items": [kit.job(1)], "next_page_token": "again"}),
        connection,
        timeout,
    ]


@pytest.mark.parametrize("index", range(8))
def test_the_key_is_not_in_errors_or_logs(kit: Any, caplog: pytest.LogCaptureFixture, index: int) -> None:
    caplog.set_level(logging.DEBUG)
    client, _ = kit.client(failures(kit)[index], max_retries=2)
    with pytest.raises(APIError) as caught:
        list(client.jobs.list(page_token="again"))
    error = caught.value
    texts = [str(error), repr(error), "".join(traceback.format_exception(error)), repr(vars(error))]
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the client logs its requests at DEBUG"
    for text in texts:
        assert kit.API_KEY not in text
        assert kit.API_KEY.split("-")[-1] not in text


def test_the_key_is_not_in_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        ExtractClient(api_key="llx-SECRET", base_url="ftp://x")
    assert "llx-SECRET" not in str(caught.value)
    with pytest.raises(ValueError, match="region") as caught:
        AsyncExtractClient(api_key="llx-SECRET", region="mars")
    assert "llx-SECRET" not in str(caught.value)
