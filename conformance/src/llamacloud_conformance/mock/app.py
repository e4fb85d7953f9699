"""The ASGI application: the front door (faults, log), the admin API, and the list operations of the dataset's
spec routed as the real service routes them (FastAPI's JSON `{"detail": ...}` for 404 and 405, no implicit
HEAD). An operation the snapshot does not have (v1 after 2025) is a 404, as it is upstream."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from .admin import admin_router
from .api import endpoint
from .frontdoor import FrontDoor
from .state import MockState


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def create_app(state: MockState) -> ASGIApp:
    routes = [Route(op.path, endpoint(state, op), methods=["GET"]) for op in state.spec.operations.values()]
    for route in routes:
        route.methods = {"GET"}  # Starlette adds HEAD to GET routes; FastAPI, which the real service runs, does not
    api = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    return FrontDoor(api, admin_router(state), state)
