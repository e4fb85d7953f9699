"""The outermost layer: logs each API request and acts out the faults chosen for it.

Faults happen here, before authentication and routing, because they stand for what a proxy, a load balancer
or an overloaded service does to a request, whatever the request is.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .faults import FAULT_HEADER, FaultRule, FaultSpecError, parse_fault_header
from .requestlog import LoggedRequest
from .state import MockState
from .wire import query_pairs, send_body

ADMIN_PREFIX = "/_mock"
_INJECTED = b"x-mock-fault-injected"
_REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class ConnectionDropped(RuntimeError):
    """Raised where a fault should cut the connection but the server gives no access to it (an in-process
    transport such as httpx.ASGITransport): the client sees an error either way."""


def _transport(send: Send) -> Any:
    """The connection's transport, reached through uvicorn's `send` (a bound method of its request cycle).

    ASGI gives an app no way to close a connection without answering; uvicorn keeps the transport on the
    object whose method `send` is. uvloop's transports are not asyncio.BaseTransport subclasses, hence the
    duck typing.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    return transport if callable(getattr(transport, "close", None)) else None


async def _cut(send: Send, receive: Receive) -> None:
    """Close the connection now, and wait until the server has noticed (so it does not answer on it)."""
    transport = _transport(send)
    if transport is None:
        raise ConnectionDropped("the mock dropped this connection (fault injection)")
    transport.close()
    async with asyncio.timeout(5):
        while (await receive())["type"] != "http.disconnect":
            pass


class FrontDoor:
    """Routes /_mock/ to the admin API; every other request is faulted as the plan says, served, and logged."""

    def __init__(self, api: ASGIApp, admin: ASGIApp, state: MockState) -> None:
        self.api = api
        self.admin = admin
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.api(scope, receive, send)
            return
        path = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self.admin(scope, receive, send)
            return
        status: list[int | None] = [None]
        applied: tuple[str, ...] = ()

        async def observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                if applied:
                    message = {**message, "headers": [*message["headers"], (_INJECTED, ", ".join(applied).encode())]}
            await send(message)

        try:
            header = next((v.decode("latin-1") for k, v in scope["headers"] if k == FAULT_HEADER.encode()), None)
            try:
                per_request = parse_fault_header(header) if header is not None else []
            except FaultSpecError as error:
                await send_body(observed, 400, json.dumps({"detail": f"X-Mock-Fault: {error}"}).encode())
                return
            decision = self.state.faults.decide(path, per_request)
            applied = decision.applied
            if decision.delay:
                await self.state.sleep(decision.delay)
            outcome = decision.outcome
            if outcome is None:
                await self.api(scope, receive, observed)
            elif outcome.kind == "status":
                await _answer_with_status(observed, outcome)
            elif outcome.kind == "drop":
                await _cut(send, receive)
            else:
                await self._truncated(scope, receive, send, observed, outcome)
        finally:
            self.state.log.add(LoggedRequest(scope["method"], path, tuple(query_pairs(scope)), status[0], applied))

    async def _truncated(self, scope: Scope, receive: Receive, send: Send, observed: Send, rule: FaultRule) -> None:
        """The real response's headers (announcing the full length) and part of its body, then a cut."""
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.api(scope, receive, keep)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        cut_at = len(body) // 2 if rule.truncate_at is None else min(rule.truncate_at, max(0, len(body) - 1))
        await observed(start)
        await send({"type": "http.response.body", "body": body[:cut_at], "more_body": True})
        await _cut(send, receive)


async def _answer_with_status(send: Send, rule: FaultRule) -> None:
    detail: dict[str, Any] = {"detail": _REASONS.get(rule.status_code, "Injected fault")}
    headers = []
    retry_after = rule.retry_after_header()
    if retry_after is not None:
        headers.append((b"retry-after", retry_after.encode("latin-1")))
    await send_body(send, rule.status_code, json.dumps(detail).encode(), headers)
