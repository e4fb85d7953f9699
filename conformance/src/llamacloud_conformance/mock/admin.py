"""The admin API under /_mock: re-arm faults and read the request log over HTTP (for clients in any language
and for `python -m llamacloud_conformance.mock`). It needs no API key: it exists only on the mock."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router

from .dataset import Dataset
from .faults import FaultRule, FaultSpecError
from .state import MockState


def admin_router(state: MockState) -> Router:
    async def health(request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "snapshot": state.spec.name,
                "jobs": len(state.store.dataset.jobs),
                "runs": len(state.store.dataset.runs),
            }
        )

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            try:
                payload: Any = json.loads(await request.body() or b"[]")
            except json.JSONDecodeError as error:
                return JSONResponse({"detail": f"the body is not JSON: {error}"}, status_code=400)
            rules = payload.get("rules") if isinstance(payload, dict) else payload
            if not isinstance(rules, list):
                return JSONResponse({"detail": 'send a list of fault rules, or {"rules": [...]}'}, status_code=400)
            try:
                state.faults.set([FaultRule.from_json(rule) for rule in rules])
            except FaultSpecError as error:
                return JSONResponse({"detail": f"bad fault rule: {error}"}, status_code=400)
        elif request.method == "DELETE":
            state.faults.clear()
        return JSONResponse({"rules": state.faults.snapshot()})

    async def dataset(request: Request) -> Response:
        try:
            asked: Any = json.loads(await request.body() or b"{}")
            sizes = {
                name: int(asked.get(name, default)) for name, default in (("seed", 0), ("jobs", 100), ("runs", 20))
            }
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError):
            return JSONResponse({"detail": 'send {"seed": int, "jobs": int, "runs": int}'}, status_code=400)
        if sizes["jobs"] < 0 or sizes["runs"] < 0:
            return JSONResponse({"detail": "jobs and runs cannot be negative"}, status_code=400)
        generated = Dataset.generate(
            seed=sizes["seed"], jobs=sizes["jobs"], runs=sizes["runs"], snapshot=state.spec.name
        )
        state.replace_dataset(generated)
        return JSONResponse({**sizes, "default_project_id": generated.default_project_id})

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            state.log.clear()
        return JSONResponse({"requests": [entry.to_json() for entry in state.log.entries()]})

    return Router(
        routes=[
            Route("/_mock/health", health, methods=["GET"]),
            Route("/_mock/faults", faults, methods=["GET", "POST", "DELETE"]),
            Route("/_mock/requests", requests, methods=["GET", "DELETE"]),
            Route("/_mock/dataset", dataset, methods=["PUT"]),
        ]
    )
