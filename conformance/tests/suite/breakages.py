"""Servers that break the API on purpose, as ASGI middleware in front of the mock (never in its own paths).

Each breakage rewrites a request on its way in, or a JSON body on its way out, for the v2 list endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

JOBS_PATH = "/api/v2/extract"
Body = Any


class Breakage:
    """Middleware: `inbound` may change the scope (query, headers); `outbound` may change the JSON body."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        inbound: Callable[[Scope], Scope] | None = None,
        outbound: Callable[[Scope, Body], Body] | None = None,
        status: Callable[[Scope], int | None] | None = None,
    ) -> None:
        self.app, self.inbound, self.outbound, self.status = app, inbound, outbound, status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != JOBS_PATH:
            await self.app(scope, receive, send)
            return
        if self.inbound is not None:
            scope = self.inbound(dict(scope))
        if self.status is not None and (code := self.status(scope)) is not None:
            await send(
                {"type": "http.response.start", "status": code, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": b'{"detail": "Internal Server Error"}'})
            return
        if self.outbound is None:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = b"".join(chunks)
                    if start.get("status") == 200:
                        body = json.dumps(self.outbound(scope, json.loads(body))).encode()  # type: ignore[misc]
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def _query(scope: Scope) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)


def _with_query(scope: Scope, pairs: list[tuple[str, str]]) -> Scope:
    return {**scope, "query_string": urlencode(pairs).encode()}


def _items(change: Callable[[dict[str, Any]], None]) -> Callable[[Scope, Body], Body]:
    def outbound(scope: Scope, body: Body) -> Body:
        for item in body["items"]:
            change(item)
        return body

    return outbound


def _authorize(key: str) -> Callable[[Scope], Scope]:
    def inbound(scope: Scope) -> Scope:
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
        return {**scope, "headers": [*headers, (b"authorization", f"Bearer {key}".encode())]}

    return inbound


def _skip_first_on_later_pages(scope: Scope, body: Body) -> Body:
    if any(k == "page_token" and v for k, v in _query(scope)):
        body["items"] = body["items"][1:]
    return body


def _old_first(scope: Scope, body: Body) -> Body:
    body["items"].reverse()
    return body


def _wrong_total(scope: Scope, body: Body) -> Body:
    body["total_size"] = str(body.get("total_size"))
    return body


# Each breakage, the middleware options that make it, and a test of the suite that must catch it.
BREAKAGES: dict[str, Callable[[str], dict[str, Any]]] = {
    "required field missing": lambda key: {"outbound": _items(lambda job: job.pop("status"))},
    "wrong type": lambda key: {"outbound": _wrong_total},
    "old-first ordering": lambda key: {"outbound": _old_first},
    "status filter ignored": lambda key: {
        "inbound": lambda s: _with_query(s, [p for p in _query(s) if p[0] != "status"])
    },
    "item skipped between pages": lambda key: {"outbound": _skip_first_on_later_pages},
    "500 on some input": lambda key: {"status": lambda s: 500 if ("status", "CANCELLED") in _query(s) else None},
    "auth not enforced": lambda key: {"inbound": _authorize(key)},
    "expand ignored": lambda key: {"inbound": lambda s: _with_query(s, [p for p in _query(s) if p[0] != "expand"])},
}

CAUGHT_BY = {
    "required field missing": "test_jobs_conform_to_spec",
    "wrong type": "test_jobs_conform_to_spec",
    "old-first ordering": "test_jobs_newest_first",
    "status filter ignored": "test_jobs_filter_keeps_exactly_what_matches[status]",
    "item skipped between pages": "test_jobs_pages_join_without_gaps_or_repeats",
    "500 on some input": "test_jobs_conform_to_spec",
    "auth not enforced": "test_auth_is_enforced",
    "expand ignored": "test_jobs_expand_only_adds_fields",
}
