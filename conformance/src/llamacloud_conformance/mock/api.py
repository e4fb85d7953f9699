"""The two list endpoints, as raw ASGI apps: authenticate, validate the query against the spec, answer.

They write pre-serialized bytes straight to the ASGI `send`, because a list page is just the join of stored
JSON fragments and the request rate this server must sustain leaves no room for per-item encoding.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

from .dataset import EXPANDABLE, Project
from .params import compile_operation, validate_query
from .spec import JOBS_PATH, RUNS_PATH
from .state import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, MockState
from .store import JobQuery
from .timestamps import parse_ns
from .tokens import TokenError, query_digest

QUERY_SCOPE_KEY = "llamacloud_mock.query"
_JSON = (b"content-type", b"application/json")
_NOT_AUTHENTICATED = b'{"detail":"Not authenticated"}'
_INVALID_TOKEN = b'{"detail":"Invalid authentication token"}'
_EMPTY_PAGE = b'{"items":[],"next_page_token":null,"total_size":0}'


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


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


class _Endpoint:
    def __init__(self, state: MockState, path: str) -> None:
        self.state = state
        self.params = compile_operation(path)

    async def authenticate(self, scope: Scope, send: Send) -> str | None:
        """The project key of the caller's API key, or None after answering 401 (FastAPI's HTTPBearer words)."""
        authorization = _header(scope, b"authorization")
        scheme, _, credentials = (authorization or "").partition(" ")
        credentials = credentials.strip()
        challenge = [(b"www-authenticate", b"Bearer")]
        if not (scheme and credentials) or scheme.lower() != "bearer":
            await send_body(send, 401, _NOT_AUTHENTICATED, challenge)
            return None
        project = self.state.keys.get(credentials)
        if project is None:
            await send_body(send, 401, _INVALID_TOKEN, challenge)
            return None
        return project

    async def validation_failed(self, send: Send, errors: list[dict[str, Any]]) -> None:
        await send_body(send, 422, json.dumps({"detail": errors}, ensure_ascii=False).encode())

    async def admit(self, scope: Scope, send: Send) -> tuple[str, dict[str, Any]] | None:
        """The caller's project and the converted query, or None once a 401 or 422 has been sent (FastAPI's
        order: authentication before validation)."""
        project_key = await self.authenticate(scope, send)
        if project_key is None:
            return None
        values, errors = validate_query(self.params, query_pairs(scope))
        if errors:
            await self.validation_failed(send, errors)
            return None
        return project_key, values


class ListJobs(_Endpoint):
    """`GET /api/v2/extract`."""

    def __init__(self, state: MockState) -> None:
        super().__init__(state, JOBS_PATH)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        admitted = await self.admit(scope, send)
        if admitted is None:
            return
        project_key, values = admitted
        store = self.state.store
        query = _job_query(values)
        digest = query_digest((project_key, query.canonical()))
        after = None
        token = values.get("page_token")
        if token:  # an empty page_token means the first page, as no token does
            try:
                after = self.state.codec.open(token, digest)
            except TokenError as error:
                problem = {"type": "value_error", "loc": ["query", "page_token"], "msg": f"Value error, {error}"}
                await self.validation_failed(send, [{**problem, "input": token}])
                return
        project = store.projects.get(project_key)
        jobs = store.jobs.get(project_key)
        if project is None or jobs is None or not _in_scope(project, query):
            await send_body(send, 200, _EMPTY_PAGE)
            return
        size = values.get("page_size")
        size = PAGE_SIZE_DEFAULT if size is None or size <= 0 else min(size, PAGE_SIZE_MAX)
        ranks, more = jobs.page(query, after, size)
        expand = frozenset(values.get("expand", ())) & frozenset(EXPANDABLE)
        items = b",".join([jobs.item_bytes(rank, expand) for rank in ranks])
        if more:
            created_ns, last_id = jobs.keys[ranks[-1]]
            next_token = b'"' + self.state.codec.issue(created_ns, last_id, digest).encode() + b'"'
        else:
            next_token = b"null"
        total = str(jobs.count(query)).encode()
        body = b"".join((b'{"items":[', items, b'],"next_page_token":', next_token, b',"total_size":', total, b"}"))
        await send_body(send, 200, body)


def _job_query(values: dict[str, Any]) -> JobQuery:
    after = values.get("created_at_on_or_after")
    before = values.get("created_at_on_or_before")
    job_ids = values.get("job_ids")
    return JobQuery(
        configuration_id=values.get("configuration_id"),
        document_input_type=values.get("document_input_type"),
        document_input_value=values.get("document_input_value"),
        status=values.get("status"),
        after_ns=None if after is None else parse_ns(after, round_up=True),
        before_ns=None if before is None else parse_ns(before),
        job_ids=None if job_ids is None else frozenset(job_ids),
        project_id=values.get("project_id"),
        organization_id=values.get("organization_id"),
    )


def _in_scope(project: Project, query: JobQuery) -> bool:
    """Whether the project_id / organization_id filters admit the caller's own project (a key sees no other)."""
    if query.project_id is not None and query.project_id != project.key:
        return False
    return query.organization_id is None or query.organization_id == project.organization_id


class ListRuns(_Endpoint):
    """`GET /api/v1/extractionv2/runs`."""

    def __init__(self, state: MockState) -> None:
        super().__init__(state, RUNS_PATH)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        admitted = await self.admit(scope, send)
        if admitted is None:
            return
        project_key, values = admitted
        body = self.state.store.list_runs(
            project_key, values.get("extraction_agent_id"), values.get("run_id"), values.get("job_id")
        )
        await send_body(send, 200, body)
