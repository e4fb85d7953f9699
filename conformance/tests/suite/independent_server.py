"""A second, independent implementation of `GET /api/v2/extract` as it stood on 2026-08-20, written the way the
real service is (FastAPI, pydantic models that allow extra fields, `Query` parameters), sharing no code with the
mock: what the conformance suite must pass when it is told the right snapshot, and flag as drifted when it is
told an older one. Test code only.

It keeps its own small data set, pages with offset tokens bound to the filters, and answers 401 and 422 the way
FastAPI does. v1 is absent, as it is upstream since 2025.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import uuid
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict

API_KEY = "independent-key"
PROJECT = "prj-0c0ffee0-0000-4000-8000-000000000001"
ORGANIZATION = "0c0ffee0-0000-4000-8000-0000000000aa"
Status = Literal["PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]
_EXPANDABLE = ("configuration", "extract_metadata", "usage")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _rfc3339(value: object) -> object:
    """Only an RFC 3339 date-time, as the spec's `format: date-time` says. Left to itself, pydantic also takes a
    number as a Unix time (`created_at_on_or_before=0.5`), which the conformance run rightly flags: a server
    built this way with FastAPI's defaults accepts what its own spec forbids."""
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("Input should be an RFC 3339 date-time with a timezone")
    return value


DateTime = Annotated[AwareDatetime | None, BeforeValidator(_rfc3339)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ExtractV2JobQueryResponse(_Open):
    items: list[dict[str, Any]]
    next_page_token: str | None = None
    total_size: int | None = None


def _jobs() -> list[dict[str, Any]]:
    """120 jobs of one project, newest first, two of them created in the same microsecond."""
    start = dt.datetime(2026, 8, 20, 9, 30, tzinfo=dt.UTC)
    statuses = ("COMPLETED", "COMPLETED", "FAILED", "RUNNING", "PENDING", "CANCELLED", "THROTTLED", "COMPLETED")
    inputs = [f"{'dfl' if n % 3 else 'pjb'}-{uuid.UUID(int=1000 + n, version=4)}" for n in range(40)]
    configs = [f"cfg-{uuid.UUID(int=2000 + n, version=4)}" for n in range(4)]
    jobs = []
    for n in range(120):
        created = start - dt.timedelta(minutes=7 * n - (7 if n == 5 else 0))  # jobs 4 and 5 tie
        status = statuses[n % len(statuses)]
        done = status == "COMPLETED"
        jobs.append(
            {
                "file_input": inputs[n % len(inputs)],
                "id": f"ext-{uuid.UUID(int=n, version=4)}",
                "project_id": PROJECT,
                "configuration_id": configs[n % 4] if n % 5 else None,
                "configuration": {
                    "data_schema": {"type": "object", "properties": {"total": {"type": "number"}}},
                    "tier": ("cost_effective", "agentic", "agentic_plus")[n % 3],
                    "version": "2026-07-01",
                    "extraction_target": "per_doc",
                    "cite_sources": False,
                    "confidence_scores": n % 2 == 0,
                    "spreadsheet_mode": False,
                    "sheet_names": None,
                    "disable_cache": False,
                    "target_pages": None,
                    "max_pages": None,
                    "system_prompt": None,
                    "parse_tier": "fast",
                    "parse_config_id": None,
                },
                "status": status,
                "error_message": "Extraction timed out" if status == "FAILED" else None,
                "extract_result": {"total": 10.5 * n} if done else None,
                "extract_metadata": {"field_metadata": None, "parse_job_id": None, "parse_tier": "fast"}
                if done
                else None,
                "metadata": {"usage": {"num_pages_extracted": 2, "num_pages_billed": 2}} if done else None,
                "usage": {"credits": 30.0, "extract_credits": 20.0, "parse_credits": 10.0} if done else None,
                "created_at": created.isoformat().replace("+00:00", "Z"),
                "updated_at": (created + dt.timedelta(seconds=40)).isoformat().replace("+00:00", "Z"),
            }
        )
    return jobs


JOBS = _jobs()
_bearer = HTTPBearer()


def _key(credentials: Annotated[HTTPAuthorizationCredentials, Depends(_bearer)]) -> str:
    if credentials.credentials != API_KEY:
        raise HTTPException(status_code=401, detail="Invalid authentication token")
    return credentials.credentials


def _token(offset: int, binding: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([offset, binding]).encode()).decode()


def _offset(token: str, binding: str) -> int:
    try:
        offset, bound = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        offset, bound = None, None
    if not isinstance(offset, int) or bound != binding:
        detail = [{"type": "value_error", "loc": ["query", "page_token"], "msg": "Value error, unknown page token"}]
        raise HTTPException(status_code=422, detail=detail)
    return offset


def create_app() -> FastAPI:
    app = FastAPI(title="an independent 2026-08-20 implementation")

    @app.get("/api/v2/extract", response_model=ExtractV2JobQueryResponse)
    def list_extract_jobs(
        _: Annotated[str, Depends(_key)],
        document_input_type: str | None = None,
        file_input: str | None = None,
        document_input_value: Annotated[str | None, Query(deprecated=True)] = None,
        status: Status | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        job_ids: Annotated[list[str] | None, Query()] = None,
        expand: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI's own idiom for a repeated key
        project_id: uuid.UUID | None = None,
        organization_id: uuid.UUID | None = None,
        configuration_id: str | None = None,
        created_at_on_or_after: DateTime = None,
        created_at_on_or_before: DateTime = None,
    ) -> dict[str, Any]:
        given = locals()
        binding = hashlib.sha256(repr(sorted((k, str(v)) for k, v in given.items() if k != "page_token")).encode())
        offset = _offset(page_token, binding.hexdigest()) if page_token else 0
        chosen = JOBS
        if project_id is not None and str(project_id) != PROJECT.removeprefix("prj-"):
            chosen = []
        if organization_id is not None and str(organization_id) != ORGANIZATION:
            chosen = []
        for wanted in (file_input, document_input_value):
            if wanted is not None:
                chosen = [j for j in chosen if j["file_input"] == wanted]
        if document_input_type is not None:
            prefix = {"file_id": "dfl-", "parse_job_id": "pjb-"}.get(document_input_type, "?")
            chosen = [j for j in chosen if j["file_input"].startswith(prefix)]
        if status is not None:
            chosen = [j for j in chosen if j["status"] == status]
        if configuration_id is not None:
            chosen = [j for j in chosen if j["configuration_id"] == configuration_id]
        if job_ids is not None:
            chosen = [j for j in chosen if j["id"] in set(job_ids)]
        if created_at_on_or_after is not None:
            chosen = [j for j in chosen if dt.datetime.fromisoformat(j["created_at"]) >= created_at_on_or_after]
        if created_at_on_or_before is not None:
            chosen = [j for j in chosen if dt.datetime.fromisoformat(j["created_at"]) <= created_at_on_or_before]
        size = min(max(page_size or 50, 1), 100)
        page = chosen[offset : offset + size]
        more = offset + size < len(chosen)
        items = [{k: (v if k not in _EXPANDABLE or k in expand else None) for k, v in job.items()} for job in page]
        return {
            "items": items,
            "next_page_token": _token(offset + size, binding.hexdigest()) if more else None,
            "total_size": len(chosen),
        }

    return app
