"""The admin API under /_mock: re-arm faults, read the request log and serve fresh data over HTTP (for clients
in any language and for `python -m llamacloud_conformance.mock`).

It changes what every client of the server sees, so it has its own token (`Authorization: Bearer
<admin token>`, printed at start-up; API keys do not open it, nor does it open the API). Only
`GET /_mock/health` is open, for readiness probes. Every input is bounded (`llamacloud_conformance.bounds`) and refused with
FastAPI's 422 shape; a new dataset is generated in a worker thread, so the server keeps answering, and stops
on a signal, while it is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import bounds
from ..spec.query import ValueProblem
from .faults import FaultRule, FaultSpecError
from .state import MockState
from .store import Store
from .wire import header, send_body

OPEN_PATHS = frozenset({"/_mock/health"})
_CHALLENGE = [(b"www-authenticate", b"Bearer")]
_DATASET_FIELDS: dict[str, tuple[int, int]] = {  # name: (default, most)
    "seed": (0, bounds.MAX_SEED),
    "jobs": (100, bounds.MAX_JOBS),
    "runs": (20, bounds.MAX_RUNS),
}
_LENGTH = re.compile(r"[0-9]{1,12}", re.ASCII)
T = TypeVar("T")


class _Invalid(Exception):
    """A request body that fails validation, with FastAPI's 422 entries."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _unprocessable(errors: list[dict[str, Any]]) -> Response:
    return JSONResponse({"detail": errors}, status_code=422)


async def _json_body(request: Request, default: Any) -> Any:
    """The body as JSON (`default` when empty); raises _Invalid with FastAPI's words, or returns a 413 response
    for a body past `bounds.MAX_ADMIN_BODY` (read no further than that)."""
    declared = request.headers.get("content-length")
    too_large = JSONResponse(
        {"detail": f"the request body is larger than {bounds.MAX_ADMIN_BODY} bytes"}, status_code=413
    )
    if declared is not None and (not _LENGTH.fullmatch(declared) or int(declared) > bounds.MAX_ADMIN_BODY):
        return too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > bounds.MAX_ADMIN_BODY:
            return too_large
        chunks.append(chunk)
    body = b"".join(chunks)
    if not body.strip():
        return default
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        where, why = error.pos, error.msg
    except (ValueError, RecursionError) as error:  # not UTF-8, an integer past 4300 digits, nesting too deep
        where, why = 0, str(error) or type(error).__name__
    raise _Invalid(
        [
            {
                "type": "json_invalid",
                "loc": ["body", where],
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": why},
            }
        ]
    )


def _dataset_request(payload: Any) -> dict[str, int]:
    """`{"seed", "jobs", "runs"}`, each an integer within its bound."""
    if not isinstance(payload, dict):
        problem = ValueProblem(
            "model_attributes_type", "Input should be a valid dictionary or object to extract fields from"
        )
        raise _Invalid([bounds.error(["body"], payload, problem)])
    errors = [
        bounds.error(["body", name], value, ValueProblem("extra_forbidden", "Extra inputs are not permitted"))
        for name, value in payload.items()
        if name not in _DATASET_FIELDS
    ]
    sizes: dict[str, int] = {}
    for name, (default, most) in _DATASET_FIELDS.items():
        value = payload.get(name, default)
        try:
            sizes[name] = bounds.whole(value, 0, most)
        except ValueProblem as problem:
            errors.append(bounds.error(["body", name], value, problem))
    if errors:
        raise _Invalid(errors)
    return sizes


def _fault_rules(payload: Any) -> list[FaultRule]:
    """A list of rules, or `{"rules": [...]}`; every bad field of every rule named at once."""
    loc: list[str | int] = ["body"]
    rules = payload
    if isinstance(payload, dict):
        loc, rules = ["body", "rules"], payload.get("rules")
    if not isinstance(rules, list):
        raise _Invalid([bounds.error(loc, rules, ValueProblem("list_type", "Input should be a valid list"))])
    if len(rules) > bounds.MAX_ARMED_RULES:
        most = bounds.MAX_ARMED_RULES
        problem = ValueProblem(
            "too_long",
            f"List should have at most {most} items after validation, not {len(rules)}",
            {"field_type": "List", "max_length": most, "actual_length": len(rules)},
        )
        raise _Invalid([bounds.error(loc, f"[{len(rules)} rules]", problem)])
    made, errors = [], []
    for index, rule in enumerate(rules):
        try:
            made.append(FaultRule.from_json(rule))
        except FaultSpecError as error:
            for field, value, problem in error.problems:
                errors.append(bounds.error([*loc, index, *([field] if field else [])], value, problem))
    if errors:
        raise _Invalid(errors)
    return made


async def _in_worker_thread(work: Callable[[], T]) -> T:
    """`work()` in a daemon thread of its own, awaited without blocking the event loop.

    Not the loop's default executor: at shutdown asyncio waits for that executor's threads, so a signal would
    not stop the server until the work was done. A daemon thread is simply abandoned when the server stops."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not done.done():
            outcome()

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # handed to the awaiting request, which answers 500 as any handler would
            failure = error
            call: Callable[[], None] = lambda: done.set_exception(failure)  # noqa: E731
        else:
            call = lambda: done.set_result(result)  # noqa: E731
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped, nobody is waiting
            loop.call_soon_threadsafe(settle, call)

    threading.Thread(target=run, name="llamacloud-mock-dataset", daemon=True).start()
    return await done


def admin_router(state: MockState) -> ASGIApp:
    async def health(request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "snapshot": state.spec.name,
                "jobs": len(state.store.dataset.jobs),
                "runs": len(state.store.dataset.runs),
                "generating": state.generating,
            }
        )

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            try:
                payload = await _json_body(request, [])
                if isinstance(payload, Response):
                    return payload
                state.faults.set(_fault_rules(payload))
            except _Invalid as invalid:
                return _unprocessable(invalid.errors)
        elif request.method == "DELETE":
            state.faults.clear()
        return JSONResponse({"rules": state.faults.snapshot()})

    async def dataset(request: Request) -> Response:
        try:
            payload = await _json_body(request, {})
            if isinstance(payload, Response):
                return payload
            sizes = _dataset_request(payload)
        except _Invalid as invalid:
            return _unprocessable(invalid.errors)
        if state.generating:
            return JSONResponse(
                {"detail": "another dataset is being generated; ask again when it is served"},
                status_code=409,
                headers={"Retry-After": "1"},
            )
        state.generating = True

        def generate() -> Store:
            try:
                made = state.generate(
                    seed=sizes["seed"], jobs=sizes["jobs"], runs=sizes["runs"], snapshot=state.spec.name
                )
                return Store(made)
            finally:
                state.generating = False

        store = await _in_worker_thread(generate)
        state.replace_store(store)
        return JSONResponse({**sizes, "default_project_id": store.dataset.default_project_id})

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            state.log.clear()
        return JSONResponse({"requests": [entry.to_json() for entry in state.log.entries()]})

    router = Router(
        routes=[
            Route("/_mock/health", health, methods=["GET"]),
            Route("/_mock/faults", faults, methods=["GET", "POST", "DELETE"]),
            Route("/_mock/requests", requests, methods=["GET", "DELETE"]),
            Route("/_mock/dataset", dataset, methods=["PUT"]),
        ]
    )
    return _AdminGate(router, state)


class _AdminGate:
    """The admin token, checked before anything else (FastAPI's order: authentication, then the body)."""

    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in OPEN_PATHS:
            scheme, _, credentials = (header(scope, b"authorization") or "").partition(" ")
            credentials = credentials.strip()
            if not (scheme and credentials) or scheme.lower() != "bearer":
                await send_body(send, 401, b'{"detail":"Not authenticated"}', _CHALLENGE)
                return
            if not hmac.compare_digest(credentials.encode("latin-1"), self.state.admin_token.encode("latin-1")):
                await send_body(send, 401, b'{"detail":"Invalid admin token"}', _CHALLENGE)
                return
        await self.app(scope, receive, send)
