"""No request makes the mock fail: whatever the query, the answer is 200 or 422, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock import MockServer

NAMES = st.sampled_from(
    [
        "configuration_id",
        "document_input_type",
        "document_input_value",
        "status",
        "page_size",
        "page_token",
        "created_at_on_or_after",
        "created_at_on_or_before",
        "job_ids",
        "expand",
        "project_id",
        "organization_id",
        "extraction_agent_id",
        "run_id",
        "job_id",
        "other",
    ]
)
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "99999999999999999999999", "COMPLETED", "2026-01-01T00:00:00Z", "%", "%zz", "%ff"]),
    st.uuids().map(str),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/api/v2/extract", "/api/v1/extractionv2/runs"]),
    pairs=st.lists(st.tuples(NAMES, VALUES), max_size=6),
    raw_escapes=st.booleans(),
)
def test_any_query_gets_200_or_422(
    server: MockServer, client: httpx.Client, path: str, pairs: list[tuple[str, str]], raw_escapes: bool
) -> None:
    """(`client` checks each body against the spec too.)"""
    encode = (lambda s: s) if raw_escapes else (lambda s: quote(s, safe=""))
    query = "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)
    url = f"{server.base_url}{path}?{query}" if query else f"{server.base_url}{path}"
    try:
        response = client.get(httpx.URL(url))
    except httpx.InvalidURL:
        return  # httpx refuses to send it (e.g. a bare control character); nothing reached the server
    assert response.status_code in (200, 422), (url, response.status_code, response.text)
