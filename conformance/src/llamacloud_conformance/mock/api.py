"""The list endpoints of the spec, as raw ASGI apps: authenticate, validate the query against the spec, answer.

They write pre-serialized bytes straight to the ASGI `send`, because a list page is just the join of stored
JSON fragments and the request rate this server must sustain leaves no room for per-item encoding.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Receive, Send
from starlette.types import Scope as Scope_

from ..spec.document import Operation
from ..spec.meaning import Scope
from ..spec.query import compile_operation, validate_query
from .dataset import Project
from .query import Query
from .state import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, MockState
from .tokens import TokenError, query_digest
from .wire import header, query_pairs, send_body

_NOT_AUTHENTICATED = b'{"detail":"Not authenticated"}'
_INVALID_TOKEN = b'{"detail":"Invalid authentication token"}'


class _Endpoint:
    def __init__(self, state: MockState, operation: Operation) -> None:
        self.state = state
        self.operation = operation
        self.params = compile_operation(operation.spec, operation)

    async def authenticate(self, scope: Scope_, send: Send) -> str | None:
        """The project key of the caller's API key, or None after answering 401 (FastAPI's HTTPBearer words)."""
        authorization = header(scope, b"authorization")
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

    async def admit(self, scope: Scope_, send: Send) -> tuple[str, dict[str, Any]] | None:
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

    async def __call__(self, scope: Scope_, receive: Receive, send: Send) -> None:
        raise NotImplementedError

    def in_scope(self, project: Project | None, values: dict[str, Any]) -> bool:
        """Whether the project and organization filters admit the caller's own project (a key sees no other)."""
        if project is None:
            return False
        for parameter in self.operation.having(Scope):
            given = values.get(parameter.name)
            if given is None or not isinstance(parameter.meaning, Scope):
                continue
            own = project.key if parameter.meaning.kind == "project" else project.organization_id
            if str(given).lower() != own:
                return False
        return True


class PagedListing(_Endpoint):
    """A listing that answers page by page (`GET /api/v2/extract`): keyset pages in the spec's order, tokens,
    filters and `expand` as its parameters' meanings say."""

    def __init__(self, state: MockState, operation: Operation) -> None:
        super().__init__(state, operation)
        listing = operation.listing
        size, token = operation.page_parameter("size"), operation.page_parameter("token")
        expand = operation.expand_parameter()
        self.size_name = size.name if size else None
        self.token_name = token.name if token else None
        self.expand_name = expand.name if expand else None
        self.expandable = frozenset(operation.expandable)
        self.keys = (listing.items or "items", listing.next_page_token, listing.total_size)
        self.empty_page = self._body(b"", b"null", b"0")

    def _body(self, items: bytes, next_token: bytes, total: bytes) -> bytes:
        items_key, next_key, total_key = self.keys
        parts = [b'{"', items_key.encode(), b'":[', items, b"]"]
        if next_key:
            parts += [b',"', next_key.encode(), b'":', next_token]
        if total_key:
            parts += [b',"', total_key.encode(), b'":', total]
        return b"".join([*parts, b"}"])

    async def __call__(self, scope: Scope_, receive: Receive, send: Send) -> None:
        admitted = await self.admit(scope, send)
        if admitted is None:
            return
        project_key, values = admitted
        store = self.state.store
        query = Query.of(self.operation, values)
        digest = query_digest((project_key, query.canonical()))
        after = None
        token = values.get(self.token_name) if self.token_name else None
        if token:  # an empty page_token means the first page, as no token does
            try:
                after = self.state.codec.open(token, digest)
            except TokenError as error:
                problem = {"type": "value_error", "loc": ["query", self.token_name], "msg": f"Value error, {error}"}
                await self.validation_failed(send, [{**problem, "input": token}])
                return
        items = store.paged[self.operation.path].get(project_key)
        if items is None or not self.in_scope(store.projects.get(project_key), values):
            await send_body(send, 200, self.empty_page)
            return
        size = values.get(self.size_name) if self.size_name else None
        size = PAGE_SIZE_DEFAULT if size is None or size <= 0 else min(size, PAGE_SIZE_MAX)
        ranks, more = items.page(query, after, size)
        expand = frozenset(values.get(self.expand_name, ()) if self.expand_name else ()) & self.expandable
        listed = items.listed(ranks, expand)
        if more:
            created_ns, last_id = items.key(ranks[-1])
            next_token = b'"' + self.state.codec.issue(created_ns, last_id, digest).encode() + b'"'
        else:
            next_token = b"null"
        await send_body(send, 200, self._body(listed, next_token, str(items.count(query)).encode()))


class ArrayListing(_Endpoint):
    """A listing that answers with the whole array at once (`GET /api/v1/extractionv2/runs`)."""

    async def __call__(self, scope: Scope_, receive: Receive, send: Send) -> None:
        admitted = await self.admit(scope, send)
        if admitted is None:
            return
        project_key, values = admitted
        arrays = self.state.store.arrays[self.operation.path].get(project_key)
        await send_body(send, 200, arrays.listing(values) if arrays is not None else b"[]")


def endpoint(state: MockState, operation: Operation) -> _Endpoint:
    """The ASGI app that serves one list operation of the spec."""
    return PagedListing(state, operation) if operation.listing.items is not None else ArrayListing(state, operation)
