"""Servers whose data the tests control, served to the client through `httpx.MockTransport`.

`JobStore` behaves like `GET /api/v2/extract` (filters, newest first with a hidden tie-break, opaque tokens);
`ScriptedPages` plays back a fixed sequence of pages, whatever they say, to test the pager's stopping rules.
Both record every request. `serve` puts either behind a real HTTP server on a loopback port. `bodies` loads
the recorded pages of `bodies/` (in the shapes of two upstream snapshots), and `upstream_validator` checks a
body against the upstream fragment of its snapshot. The helpers are handed out by session fixtures (test
modules cannot import each other under `--import-mode=importlib`).
"""

from __future__ import annotations

import asyncio
import datetime
import json
import random
import re
import secrets
import threading
import uuid
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs
import httpx
import jsonschema
import pytest

from llamacloud_extract import AsyncExtractClient, ExtractClient

API_KEY = "llx-test-SECRET-0123456789"
BASE_URL = "http://api.test"
T0 = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)

Responder = Callable[[httpx.Request], httpx.Response]


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def job(index: int, created_at: datetime.datetime | None = None, **extra: Any) -> dict[str, Any]:
    """A valid job as the server sends it; `extra` adds or overrides fields."""
    created = created_at if created_at is not None else T0 - datetime.timedelta(seconds=index)
    return {
        "id": f"ext-{index:08d}",
        "project_id": "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "document_input_value": f"dfl-{index:08d}",
        "status": "COMPLETED",
        "created_at": iso(created),
        "updated_at": iso(created + datetime.timedelta(seconds=5)),
        **extra,
    }


def run(index: int, **extra: Any) -> dict[str, Any]:
    """A valid v1 extraction run."""
    ident = str(uuid.UUID(int=index))
    return {
        "id": ident,
        "extraction_agent_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "data_schema": {"type": "object"},
        "config": {"extraction_mode": "PER_DOC", "handle_missing": False},
        "file": {"id": ident, "name": "a.pdf", "external_file_id": "x", "project_id": ident},
        "status": "SUCCESS",
        "created_at": iso(T0),
        **extra,
    }


@attrs.define
class JobStore:
    """An in-memory List Extract Jobs: `jobs` are kept newest first; equal timestamps keep a hidden, arbitrary
    order (the `rank` each job was given), as a real database's tie-break would."""

    jobs: list[dict[str, Any]]
    default_page_size: int = 10
    max_url_length: int | None = None
    """Longer request URLs are answered 414, as a server with that limit would."""
    totals: bool = False
    """Whether pages carry `total_size` (the number of matching jobs), as a server that populates it does."""
    requests: list[httpx.Request] = attrs.field(factory=list)
    # Called before the store answers; a response it returns is sent instead (fault injection).
    fault: Callable[[httpx.Request, int], httpx.Response | None] | None = None
    _tokens: dict[str, int] = attrs.field(factory=dict)

    @classmethod
    def with_ranks(cls, jobs: list[dict[str, Any]], seed: int = 0, **kwargs: Any) -> JobStore:
        rng = random.Random(seed)
        ranked = [(job, rng.random()) for job in jobs]
        ranked.sort(key=lambda pair: (-nanos(pair[0]["created_at"]), pair[1]))
        return cls([job for job, _ in ranked], **kwargs)

    def matching(self, params: httpx.QueryParams) -> list[dict[str, Any]]:
        after, before = params.get("created_at_on_or_after"), params.get("created_at_on_or_before")
        low = nanos(after) if after else None
        high = nanos(before) if before else None
        wanted = set(params.get_list("job_ids")) if "job_ids" in params else None
        found = []
        for item in self.jobs:
            moment = nanos(item["created_at"])
            if low is not None and moment < low:
                continue
            if high is not None and moment > high:
                continue
            if "status" in params and item["status"] != params["status"]:
                continue
            if wanted is not None and item["id"] not in wanted:
                continue
            found.append(item)
        return found

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fault is not None:
            injected = self.fault(request, len(self.requests))
            if injected is not None:
                return injected
        if self.max_url_length is not None and len(str(request.url)) > self.max_url_length:
            return httpx.Response(414, json={"detail": "URI Too Long"})
        params = request.url.params
        token = params.get("page_token")
        offset = self._tokens[token] if token else 0
        size = int(params.get("page_size") or self.default_page_size)
        found = self.matching(params)
        page = found[offset : offset + size]
        following = None
        if offset + size < len(found):
            following = secrets.token_urlsafe(8)
            self._tokens[following] = offset + size
        total = len(found) if self.totals else None
        return httpx.Response(200, json={"items": page, "next_page_token": following, "total_size": total})


_STAMP = re.compile(r"(?P<base>[^.]+?)(?:\.(?P<fraction>\d+))?(?P<offset>Z|[+-]\d\d:\d\d)")


def nanos(text: str) -> int:
    """An RFC 3339 timestamp as integer nanoseconds: the store compares at nanosecond precision, finer than
    Python's datetime, as a server in another language could."""
    match = _STAMP.fullmatch(text)
    assert match is not None, text
    whole = datetime.datetime.fromisoformat(match["base"] + match["offset"].replace("Z", "+00:00"))
    seconds = (whole - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)) // datetime.timedelta(seconds=1)
    return seconds * 10**9 + int((match["fraction"] or "").ljust(9, "0")[:9])


@attrs.define
class ScriptedPages:
    """Plays back `pages` in order, one per request, whatever tokens they hold, and notes any request whose
    `page_token` is not the token the previous page gave (which would be a pager bug)."""

    pages: list[dict[str, Any]]
    requests: list[httpx.Request] = attrs.field(factory=list)
    wrong_tokens: list[tuple[str | None, str | None]] = attrs.field(factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        number = len(self.requests)
        self.requests.append(request)
        expected = self.pages[number - 1].get("next_page_token") if number else None
        if request.url.params.get("page_token") != expected:
            self.wrong_tokens.append((request.url.params.get("page_token"), expected))
        if number >= len(self.pages):
            return httpx.Response(500, json={"detail": "the script has no more pages"})
        return httpx.Response(200, json=self.pages[number])


def serve(responder: Responder) -> tuple[ThreadingHTTPServer, str]:
    """`responder` behind a real HTTP server on an ephemeral loopback port; shut it down when done."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            request = httpx.Request("GET", f"http://127.0.0.1{self.path}", headers=dict(self.headers))
            response = responder(request)
            body = response.read()
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


BODIES = Path(__file__).parent / "bodies"
UPSTREAM = Path(__file__).parents[2] / "openapi" / "upstream"
SNAPSHOTS = ("2026-03-28", "2026-08-20")
"""The v2 snapshots the recorded bodies follow: the client's own, and the newest upstream spec we hold."""


def bodies(snapshot: str, expanded: bool = False) -> list[dict[str, Any]]:
    """The recorded pages of List Extract Jobs in the shape of `snapshot` (a fresh copy each time)."""
    name = f"v2-jobs.{snapshot}{'.expanded' if expanded else ''}.json"
    pages: list[dict[str, Any]] = json.loads((BODIES / name).read_text())["pages"]
    return pages


@cache
def upstream_validator(snapshot: str) -> jsonschema.Draft202012Validator:
    """The 200 body of List Extract Jobs in upstream's fragment of `snapshot`: Draft 2020-12 (the dialect of
    OpenAPI 3.1) with formats checked, as openapi/tests/spec_documents.py does."""
    fragment = json.loads((UPSTREAM / f"v2-extract-list.openapi-fragment.{snapshot}.json").read_text())
    response = fragment["paths"]["/api/v2/extract"]["get"]["responses"]["200"]
    schema = {**response["content"]["application/json"]["schema"], "components": fragment["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


class SleepLog:
    """Stands in for `time.sleep` / `asyncio.sleep` in the transport: records each delay, waits for none."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


@attrs.frozen
class Kit:
    """What the test modules use: the servers, the sample payloads and client factories."""

    JobStore: type[JobStore] = JobStore
    ScriptedPages: type[ScriptedPages] = ScriptedPages
    job: Callable[..., dict[str, Any]] = job
    run: Callable[..., dict[str, Any]] = run
    iso: Callable[[datetime.datetime], str] = iso
    nanos: Callable[[str], int] = nanos
    serve: Callable[[Responder], tuple[ThreadingHTTPServer, str]] = serve
    bodies: Callable[..., list[dict[str, Any]]] = bodies
    upstream_validator: Callable[[str], jsonschema.Draft202012Validator] = upstream_validator
    SNAPSHOTS: tuple[str, ...] = SNAPSHOTS
    T0: datetime.datetime = T0
    API_KEY: str = API_KEY
    BASE_URL: str = BASE_URL

    def client(self, responder: Responder, **kwargs: Any) -> tuple[ExtractClient, SleepLog]:
        """A client that talks to `responder` and records its retry sleeps instead of sleeping."""
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        client = ExtractClient(http_client=httpx.Client(transport=httpx.MockTransport(responder)), **kwargs)
        sleeps = SleepLog()
        client._sender.sleep = sleeps
        return client, sleeps

    def async_client(self, responder: Responder, **kwargs: Any) -> tuple[AsyncExtractClient, SleepLog]:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        transport = httpx.MockTransport(responder)
        client = AsyncExtractClient(http_client=httpx.AsyncClient(transport=transport), **kwargs)
        sleeps = SleepLog()
        client._sender.sleep = sleeps.async_sleep
        return client, sleeps


@pytest.fixture(scope="session")
def kit() -> Kit:
    return Kit()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No LlamaCloud variables from the machine running the tests."""
    for name in ("LLAMA_CLOUD_API_KEY", "LLAMA_PARSE_API_KEY", "LLAMA_CLOUD_BASE_URL", "LLAMA_CLOUD_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch
