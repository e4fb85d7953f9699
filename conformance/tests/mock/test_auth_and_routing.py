"""Who gets in, and what the server says about paths and methods it does not serve."""

from __future__ import annotations

import httpx
import pytest

from llamacloud_conformance.mock import MockServer

PATHS = ["/api/v2/extract", "/api/v1/extractionv2/runs"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Token test-key", "Basic dGVzdC1rZXk6", "test-key"])
def test_without_a_bearer_key_401_not_authenticated(
    anonymous: httpx.Client, path: str, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = anonymous.get(path, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("key", ["wrong", "test-key2", "TEST-KEY"])
def test_a_wrong_key_401_invalid_token(anonymous: httpx.Client, path: str, key: str) -> None:
    response = anonymous.get(path, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid authentication token"}


def test_scheme_is_case_insensitive(anonymous: httpx.Client) -> None:
    assert anonymous.get(PATHS[0], headers={"Authorization": "bearer test-key"}).status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_authentication_comes_before_validation(anonymous: httpx.Client, path: str) -> None:
    response = anonymous.get(path, params={"page_size": "x", "run_id": "x"})
    assert response.status_code == 401


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"])
def test_undocumented_methods_get_405_with_allow(client: httpx.Client, path: str, method: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    if method != "HEAD":
        assert response.json() == {"detail": "Method Not Allowed"}


def test_unknown_paths_get_404(client: httpx.Client) -> None:
    response = client.get("/api/v2/extract/ext-123")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_key_is_never_logged_or_shown(server: MockServer, client: httpx.Client, admin: httpx.Client) -> None:
    client.get(PATHS[0], params={"status": "FAILED"})
    entry = server.request_log[-1]
    assert entry.params == {"status": ["FAILED"]}
    everywhere = repr(server.request_log) + str([e.to_json() for e in server.request_log]) + repr(server)
    assert server.api_key not in everywhere
    assert server.admin_token not in everywhere
    assert server.api_key not in admin.get("/_mock/requests").text
