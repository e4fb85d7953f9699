"""A seeded generator of realistic jobs and runs, in the API's JSON wire shape (full, expanded form).

Everything comes from one `random.Random(seed)`, so a seed always gives the same records. The data exercises
what a client must cope with: every status (THROTTLED too), object results for `per_doc` and array results for
`per_page` / `per_table_row`, saved and ad-hoc configurations, null wherever the spec allows it, extra keys where
it allows them, and identical `created_at` values (ties) that the ordering must break deterministically.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from typing import Any

JsonDict = dict[str, Any]

JOB_STATUSES = ("PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")
_JOB_STATUS_WEIGHTS = (8, 4, 6, 66, 9, 7)
RUN_STATES = ("CREATED", "PENDING", "SUCCESS", "ERROR")
_RUN_STATE_WEIGHTS = (5, 10, 70, 15)
TARGETS = ("per_doc", "per_page", "per_table_row")
JOBS_EPOCH = dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC)  # the v2 snapshot the spec describes
RUNS_EPOCH = dt.datetime(2025, 2, 5, 12, 0, tzinfo=dt.UTC)  # the v1 snapshot
TIE_RATE = 0.08  # share of records created in the same microsecond as the one before them

_VENDORS = ("Acme Corp", "Globex", "Initech", "Umbrella Ltd", "Stark Industries", "Wayne Enterprises", "Hooli")
_NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov")
_ERRORS = (
    "Document could not be parsed: the file is encrypted",
    "Extraction timed out after 600 seconds",
    "The data schema is not valid: 'properties' must be an object",
    "Page limit exceeded: the document has 812 pages, the maximum is 500",
)
_PROMPTS = (
    "Extract all monetary values in USD. If a currency is not specified, assume USD.",
    "Dates must be ISO 8601. Leave a field empty rather than guessing.",
)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _money(rng: random.Random) -> float:
    return round(rng.uniform(5, 25_000), 2)


def _date(rng: random.Random) -> str:
    return (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(450))).isoformat()


def _invoice(rng: random.Random) -> JsonDict:
    return {
        "vendor": rng.choice(_VENDORS),
        "invoice_number": f"INV-{rng.randrange(10**6):06d}",
        "total": _money(rng),
        "currency": rng.choice(("USD", "EUR", "GBP")),
        "due_date": _date(rng) if rng.random() < 0.9 else None,
    }


def _line_item(rng: random.Random) -> JsonDict:
    return {
        "description": rng.choice(("Consulting", "Licence", "Support plan", "Hardware", "Travel")),
        "quantity": rng.randrange(1, 20),
        "unit_price": _money(rng),
    }


def _resume(rng: random.Random) -> JsonDict:
    return {
        "name": rng.choice(_NAMES),
        "email": f"candidate{rng.randrange(10_000)}@example.com",
        "years_experience": rng.randrange(0, 35),
        "skills": rng.sample(["python", "sql", "rust", "go", "typescript", "kubernetes", "ml"], rng.randrange(1, 5)),
    }


def _job_history(rng: random.Random) -> JsonDict:
    return {"company": rng.choice(_VENDORS), "title": rng.choice(("Engineer", "Manager", "Analyst")), "years": 2}


def _receipt(rng: random.Random) -> JsonDict:
    return {"merchant": rng.choice(_VENDORS), "date": _date(rng), "amount": _money(rng), "paid": rng.random() < 0.8}


_STR = {"type": "string"}
_NUM = {"type": "number"}
# name -> (data_schema, a document's object, a table row's object)
_TEMPLATES: dict[str, tuple[JsonDict, Callable[[random.Random], JsonDict], Callable[[random.Random], JsonDict]]] = {
    "invoice": (
        {
            "type": "object",
            "properties": {
                "vendor": _STR,
                "invoice_number": _STR,
                "total": _NUM,
                "currency": _STR,
                "due_date": {"type": ["string", "null"], "format": "date"},
            },
            "required": ["vendor", "total"],
        },
        _invoice,
        _line_item,
    ),
    "resume": (
        {
            "type": "object",
            "properties": {
                "name": _STR,
                "email": _STR,
                "years_experience": {"type": "integer"},
                "skills": {"type": "array", "items": _STR},
            },
        },
        _resume,
        _job_history,
    ),
    "receipt": (
        {
            "type": "object",
            "properties": {"merchant": _STR, "date": _STR, "amount": _NUM, "paid": {"type": "boolean"}},
        },
        _receipt,
        _line_item,
    ),
}


def _configuration(rng: random.Random, template: str) -> JsonDict:
    """An ExtractConfiguration, with every optional field sometimes null and defaults sometimes left out."""
    schema = _TEMPLATES[template][0]
    config: JsonDict = {"data_schema": schema, "extraction_target": rng.choices(TARGETS, (6, 3, 2))[0]}
    config["tier"] = rng.choice(("cost_effective", "agentic"))
    if rng.random() < 0.8:  # a service that omits defaults sometimes leaves these out
        config.update(lang=rng.choice(("en", "en", "de", "fr", "zh")), extract_version="latest")
        config.update(cite_sources=rng.random() < 0.4, confidence_scores=rng.random() < 0.5)
    config["target_pages"] = rng.choice((None, None, "1,3,5-7", "1-3,8-10"))
    config["max_pages"] = rng.choice((None, None, 10, 50))
    config["system_prompt"] = rng.choice((None, *_PROMPTS))
    config["parse_tier"] = rng.choice((None, "fast", "cost_effective", "agentic"))
    config["parse_config_id"] = None if rng.random() < 0.7 else f"cfg-{_uuid(rng)}"
    return config


def _field_confidences(rng: random.Random, fields: JsonDict) -> JsonDict:
    return {
        name: {"confidence": round(rng.uniform(0.5, 1.0), 3), "citation": [{"page": 1 + rng.randrange(3)}]}
        for name in fields
    }


def _outcome(rng: random.Random, status: str, config: JsonDict, template: str) -> JsonDict:
    """extract_result, extract_metadata, metadata and error_message for a job in `status`."""
    _, document, row = _TEMPLATES[template]
    target = config["extraction_target"]
    out: JsonDict = {"error_message": None, "extract_result": None, "extract_metadata": None, "metadata": None}
    if status == "FAILED":
        out["error_message"] = rng.choice(_ERRORS)
    if status in ("FAILED", "CANCELLED", "RUNNING") and rng.random() < 0.5:
        out["extract_metadata"] = {"field_metadata": None, "parse_job_id": f"pjb-{_uuid(rng)}", "parse_tier": "fast"}
    if status != "COMPLETED":
        return out
    pages = 1 + rng.randrange(4)
    field_metadata: JsonDict = {"document_metadata": None, "page_metadata": None, "row_metadata": None}
    if target == "per_doc":
        single = document(rng)
        field_metadata["document_metadata"] = _field_confidences(rng, single)
        out["extract_result"] = single
    else:
        many = (
            [document(rng) for _ in range(pages)]
            if target == "per_page"
            else [row(rng) for _ in range(1 + rng.randrange(6))]
        )
        field_metadata["page_metadata" if target == "per_page" else "row_metadata"] = [
            _field_confidences(rng, item) for item in many
        ]
        out["extract_result"] = many
    out["extract_metadata"] = {
        "field_metadata": field_metadata,
        "parse_job_id": f"pjb-{_uuid(rng)}" if rng.random() < 0.9 else None,
        "parse_tier": config.get("parse_tier") or "cost_effective",
    }
    usage = {
        "num_pages_extracted": pages,
        "num_document_tokens": pages * rng.randrange(300, 1500),
        "num_output_tokens": rng.randrange(50, 800) if rng.random() < 0.9 else None,
    }
    metadata: JsonDict = {"usage": usage}
    if rng.random() < 0.1:  # ExtractV2JobMetadata allows extra keys (enterprise custom metadata)
        metadata["customer_reference"] = f"PO-{rng.randrange(10**5)}"
    out["metadata"] = metadata
    return out


def _timeline(rng: random.Random, count: int, end: dt.datetime, mean_gap: float) -> list[dt.datetime]:
    """`count` creation times, newest first, ending at `end`, with ties at TIE_RATE."""
    moments, now = [], end
    for _ in range(count):
        moments.append(now)
        if rng.random() >= TIE_RATE:
            now -= dt.timedelta(microseconds=1 + int(rng.expovariate(1 / mean_gap) * 1e6))
    return moments


def generate_jobs(rng: random.Random, project_id: str, count: int) -> list[JsonDict]:
    """`count` ExtractV2Job records of one project (`prj-...`), newest first."""
    saved = {f"cfg-{_uuid(rng)}": rng.choice(list(_TEMPLATES)) for _ in range(6)}
    configs = {cfg_id: _configuration(rng, template) for cfg_id, template in saved.items()}
    inputs = [f"{'dfl' if rng.random() < 0.7 else 'pjb'}-{_uuid(rng)}" for _ in range(max(1, count // 3))]
    jobs = []
    for created in _timeline(rng, count, JOBS_EPOCH, mean_gap=240.0):
        status = rng.choices(JOB_STATUSES, _JOB_STATUS_WEIGHTS)[0]
        configuration_id: str | None = None
        if rng.random() < 0.65:
            saved_id = rng.choice(list(saved))
            configuration_id, template, config = saved_id, saved[saved_id], configs[saved_id]
        else:
            template = rng.choice(list(_TEMPLATES))
            config = _configuration(rng, template)
        finished = status in ("COMPLETED", "FAILED", "CANCELLED")
        updated = created + dt.timedelta(seconds=rng.uniform(2, 900)) if finished else created
        job: JsonDict = {
            "id": f"ext-{_uuid(rng)}",
            "project_id": project_id,
            "configuration_id": configuration_id,
            "document_input_value": rng.choice(inputs),
            "status": status,
            "configuration": config,
        }
        job.update(_outcome(rng, status, config, template))
        job.update(created_at=_stamp(created), updated_at=_stamp(updated))
        jobs.append(job)
    return jobs


def generate_runs(rng: random.Random, project_uuid: str, count: int) -> list[JsonDict]:
    """`count` ExtractRun records (v1, bare UUIDs) of one project, newest first."""
    agents = [_uuid(rng) for _ in range(4)]
    job_ids = [_uuid(rng) for _ in range(max(1, count // 2))]
    data_source = _uuid(rng)
    runs = []
    for number, created in enumerate(_timeline(rng, count, RUNS_EPOCH, mean_gap=900.0)):
        template = rng.choice(list(_TEMPLATES))
        schema, document, _ = _TEMPLATES[template]
        state = rng.choices(RUN_STATES, _RUN_STATE_WEIGHTS)[0]
        file_type = rng.choice(("pdf", "pdf", "docx", "png", None))
        file: JsonDict = {
            "id": _uuid(rng),
            "created_at": _stamp(created - dt.timedelta(minutes=5)),
            "updated_at": _stamp(created - dt.timedelta(minutes=5)),
            "name": f"{template}-{number:05d}.{file_type or 'bin'}",
            "external_file_id": f"uploads/{template}-{number:05d}",
            "file_size": rng.randrange(2_000, 9_000_000) if rng.random() < 0.9 else None,
            "file_type": file_type,
            "project_id": project_uuid,
            "last_modified_at": None if rng.random() < 0.5 else _stamp(created - dt.timedelta(days=3)),
            "resource_info": {"file_size": "1024", "last_modified_at": _stamp(created)} if rng.random() < 0.6 else None,
            "permission_info": None,
            "data_source_id": data_source if rng.random() < 0.3 else None,
        }
        stamped = rng.random() >= 0.03  # created_at / updated_at are nullable in v1
        run: JsonDict = {
            "id": _uuid(rng),
            "created_at": _stamp(created) if stamped else None,
            "updated_at": _stamp(created + dt.timedelta(seconds=rng.uniform(1, 120))) if stamped else None,
            "extraction_agent_id": rng.choice(agents),
            "data_schema": schema,
            "config": {
                "extraction_mode": rng.choice(("PER_DOC", "PER_PAGE")),
                "handle_missing": rng.random() < 0.3,
                "system_prompt": rng.choice((None, *_PROMPTS)),
            },
            "file": file,
            "status": state,
            "error": rng.choice(_ERRORS) if state == "ERROR" else None,
            "job_id": rng.choice(job_ids) if rng.random() < 0.9 else None,
            "data": document(rng) if state == "SUCCESS" else None,
            "extraction_metadata": {"confidence": round(rng.uniform(0.6, 1), 3)} if state == "SUCCESS" else None,
        }
        runs.append(run)
    return runs
