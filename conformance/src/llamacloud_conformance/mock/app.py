"""The ASGI application: the front door (faults, log), the admin API, and the two endpoints routed as the real
service routes them (FastAPI's JSON `{"detail": ...}` for 404 and 405, and no implicit HEAD)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from .admin import admin_router
from .api import ListJobs, ListRuns
from .frontdoor import FrontDoor
from .spec import JOBS_PATH, RUNS_PATH
from .state import MockState


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def create_app(state: MockState) -> ASGIApp:
    routes = [Route(JOBS_PATH, ListJobs(state), methods=["GET"]), Route(RUNS_PATH, ListRuns(state), methods=["GET"])]
    for route in routes:
        route.methods = {"GET"}  # Starlette adds HEAD to GET routes; FastAPI, which the real service runs, does not
    api = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    return FrontDoor(api, admin_router(state), state)
