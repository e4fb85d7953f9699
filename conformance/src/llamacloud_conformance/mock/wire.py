"""The bytes of ASGI: reading a request's query and headers, writing a complete JSON response. Shared by the
endpoints and the front door, which must not depend on each other."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.types import Scope, Send

QUERY_SCOPE_KEY = "llamacloud_mock.query"
_JSON = (b"content-type", b"application/json")


async def send_body(send: Send, status: int, body: bytes, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    """One complete JSON response."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [_JSON, (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


def query_pairs(scope: Scope) -> list[tuple[str, str]]:
    """The query as (name, value) pairs, parsed as Starlette parses it (once per request)."""
    pairs = scope.get(QUERY_SCOPE_KEY)
    if pairs is None:
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        scope[QUERY_SCOPE_KEY] = pairs
    return list(pairs)


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None
