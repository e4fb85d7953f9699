"""Upstream removed `GET /api/v1/extractionv2/runs` in 2025: a server without it answers 404, and the client
says why and what to use instead. A 404 from the v2 endpoint has no such explanation."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from llamacloud_extract import NotFoundError

NOT_FOUND = {"detail": "Not Found"}  # FastAPI's answer for a path it does not route


def gone(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json=NOT_FOUND)


def check_explains_the_removal(error: NotFoundError, kit: Any) -> None:
    text = str(error)
    assert "404" in text
    assert "/api/v1/extractionv2/runs" in text
    assert "removed" in text
    assert "2025-03-12" in text  # deprecated
    assert "2025-05-01" in text  # gone from the spec
    assert "GET /api/v1/extraction/runs" in text  # the upstream replacement
    assert "client.jobs.list()" in text
    assert error.status_code == 404
    assert error.body == NOT_FOUND
    assert error.url == kit.BASE_URL + "/api/v1/extractionv2/runs"
    assert kit.API_KEY not in text


def test_runs_list_against_a_server_without_the_endpoint(kit: Any) -> None:
    client, _ = kit.client(gone)
    with pytest.raises(NotFoundError) as caught:
        client.runs.list()
    check_explains_the_removal(caught.value, kit)
    assert isinstance(caught.value.__cause__, NotFoundError)


def test_async_runs_list_against_a_server_without_the_endpoint(kit: Any) -> None:
    async def go() -> None:
        client, _ = kit.async_client(gone)
        async with client:
            await client.runs.list(raw=True)

    with pytest.raises(NotFoundError) as caught:
        asyncio.run(go())
    check_explains_the_removal(caught.value, kit)


def test_a_404_from_the_v2_endpoint_keeps_the_plain_message(kit: Any) -> None:
    client, _ = kit.client(gone)
    with pytest.raises(NotFoundError) as caught:
        list(client.jobs.list())
    assert "removed" not in str(caught.value)
    assert (
        str(caught.value) == f'GET {kit.BASE_URL}/api/v2/extract failed with 404 Not Found: {{"detail": "Not Found"}}'
    )
