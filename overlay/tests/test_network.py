"""Across a real socket on 127.0.0.1: the same store served by a stdlib HTTP server, a port nobody listens on,
and a server that accepts and then never answers. (The full mock server lives in llamacloud_conformance; these
tests keep the overlay's own suite free of it.)"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from llamacloud_extract import APIConnectionError, APITimeoutError, AsyncExtractClient, ExtractClient


@pytest.fixture
def store_server(kit: Any) -> Iterator[tuple[Any, str]]:
    store = kit.JobStore([kit.job(i) for i in range(35)], default_page_size=10)
    server, url = kit.serve(store)
    yield store, url
    server.shutdown()
    server.server_close()


def test_listing_over_a_socket_with_a_retry(kit: Any, store_server: tuple[Any, str]) -> None:
    store, url = store_server
    store.fault = lambda request, count: httpx.Response(503, headers={"retry-after-ms": "1"}) if count == 2 else None
    with ExtractClient(api_key=kit.API_KEY, base_url=url) as client:
        ids = [job.id for job in client.jobs.list(status="COMPLETED")]
    assert ids == [job["id"] for job in store.jobs]
    assert len(store.requests) == 5
    assert all(r.headers["authorization"] == f"Bearer {kit.API_KEY}" for r in store.requests)


def test_async_listing_over_a_socket(kit: Any, store_server: tuple[Any, str]) -> None:
    store, url = store_server

    async def go() -> list[str]:
        async with AsyncExtractClient(api_key=kit.API_KEY, base_url=url) as client:
            return [job["id"] async for job in client.jobs.list(raw=True, limit=25)]

    assert asyncio.run(go()) == [job["id"] for job in store.jobs[:25]]


def test_a_refused_connection_is_retried_then_reported(kit: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nobody listens there
    client = ExtractClient(api_key=kit.API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=2)
    sleeps: list[float] = []
    client._sender.sleep = sleeps.append
    with pytest.raises(APIConnectionError) as caught:
        client.runs.list()
    assert type(caught.value) is APIConnectionError
    assert len(sleeps) == 2
    assert f"127.0.0.1:{port}" in caught.value.url
    client.close()


def test_a_server_that_never_answers_times_out(kit: Any) -> None:
    release = threading.Event()

    def silent(request: httpx.Request) -> httpx.Response:
        release.wait(30)
        return httpx.Response(200, json=[])

    server, url = kit.serve(silent)
    try:
        client = ExtractClient(api_key=kit.API_KEY, base_url=url, timeout=0.2, max_retries=1)
        sleeps: list[float] = []
        client._sender.sleep = sleeps.append
        with pytest.raises(APITimeoutError, match="timed out after 2 attempts"):
            client.runs.list()
        assert len(sleeps) == 1
        client.close()
    finally:
        release.set()
        server.shutdown()
        server.server_close()
