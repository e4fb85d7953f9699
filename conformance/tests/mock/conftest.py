"""One generated dataset served by one real uvicorn server on 127.0.0.1 for the whole session; every response
a test client receives is checked against the spec."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from llamacloud_conformance.mock import Dataset, MockServer, running_mock
from llamacloud_conformance.mock.checks import spec_checked_client


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return Dataset.generate(seed=7, jobs=400, runs=60)


@pytest.fixture(scope="session")
def server(dataset: Dataset) -> Iterator[MockServer]:
    keys = {"other-key": dataset.projects[1].id, "third-key": dataset.projects[2].id}
    with running_mock(dataset=dataset, api_key="test-key", keys=keys) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh_server_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Faults and the request log are per test, even though the server is shared."""
    if "server" not in request.fixturenames:
        yield
        return
    server: MockServer = request.getfixturevalue("server")
    server.clear_faults()
    server.clear_request_log()
    yield
    server.clear_faults()


@pytest.fixture
def client(server: MockServer) -> Iterator[httpx.Client]:
    with spec_checked_client(server.base_url, server.api_key) as checked:
        yield checked


@pytest.fixture
def admin(server: MockServer) -> Iterator[httpx.Client]:
    """A client of the admin API under /_mock, with the server's admin token."""
    headers = {"Authorization": f"Bearer {server.admin_token}"}
    with httpx.Client(base_url=server.base_url, headers=headers) as admin_client:
        yield admin_client


@pytest.fixture
def anonymous(server: MockServer) -> Iterator[httpx.Client]:
    with spec_checked_client(server.base_url) as checked:
        yield checked


Walker = Callable[..., list[dict[str, Any]]]


def _walk(client: httpx.Client, params: dict[str, Any], path: str = "/api/v2/extract") -> list[dict[str, Any]]:
    """Every page of a listing, following next_page_token and resending the filters, as clients do."""
    items: list[dict[str, Any]] = []
    token = None
    for _ in range(10_000):
        response = client.get(path, params={**params, **({"page_token": token} if token else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        token = page.get("next_page_token")
        if not token:
            return items
    raise AssertionError("the listing did not end")


@pytest.fixture
def walk() -> Walker:
    """`walk(client, params)`: every item of a v2 listing, page after page."""
    return _walk
