"""What the generated data talks about: documents, their schemas and extracted values, prompts, errors, how
often each state occurs. Content only; the shape of every record comes from the spec (see `generate`).

Values here are keyed by the names the API uses (a field called `extract_result`, a status `COMPLETED`). A
snapshot that renames one of them still gets valid data, generated from its schema alone; only this realism
is lost until the name is added here.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from typing import Any

JsonDict = dict[str, Any]

JOBS_EPOCH = dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC)  # the first v2 snapshot
RUNS_EPOCH = dt.datetime(2025, 2, 5, 12, 0, tzinfo=dt.UTC)  # the v1 snapshot (v1 was gone by mid-2025)
TIE_RATE = 0.08  # share of records created in the same microsecond as the one before them
MEAN_GAP_SECONDS = {"ExtractV2Job": 240.0}
DEFAULT_MEAN_GAP_SECONDS = 900.0

# How often each value of an enum occurs; a value not listed here (a new one) gets DEFAULT_WEIGHT.
WEIGHTS: Mapping[str, float] = {
    # job statuses
    "PENDING": 8, "THROTTLED": 4, "RUNNING": 6, "COMPLETED": 66, "FAILED": 9, "CANCELLED": 7,
    # run states
    "CREATED": 5, "SUCCESS": 70, "ERROR": 15,
    # extraction targets
    "per_doc": 6, "per_page": 3, "per_table_row": 2,
}  # fmt: skip
DEFAULT_WEIGHT = 3.0
SUCCEEDED = frozenset({"COMPLETED", "SUCCESS"})
FAILED = frozenset({"FAILED", "ERROR"})
STOPPED = frozenset({"FAILED", "CANCELLED", "ERROR"})  # ended without a result
UNSTARTED = frozenset({"PENDING", "THROTTLED", "CREATED"})

VENDORS = ("Acme Corp", "Globex", "Initech", "Umbrella Ltd", "Stark Industries", "Wayne Enterprises", "Hooli")
_NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov")
ERRORS = (
    "Document could not be parsed: the file is encrypted",
    "Extraction timed out after 600 seconds",
    "The data schema is not valid: 'properties' must be an object",
    "Page limit exceeded: the document has 812 pages, the maximum is 500",
)
PROMPTS = (
    "Extract all monetary values in USD. If a currency is not specified, assume USD.",
    "Dates must be ISO 8601. Leave a field empty rather than guessing.",
)
FILE_TYPES = ("pdf", "pdf", "docx", "png")
PARSE_TIERS = ("fast", "cost_effective", "agentic")


def epoch(snapshot: str) -> dt.datetime:
    """When the newest generated job was created: noon of the snapshot's date (a spec file: JOBS_EPOCH)."""
    try:
        return dt.datetime.fromisoformat(snapshot).replace(hour=12, tzinfo=dt.UTC)
    except ValueError:
        return JOBS_EPOCH


_CLEARLY_BELOW_HALF, _CLEARLY_ABOVE_HALF = 0.5 - 1e-7, 0.5 + 1e-7
"""Fractions that round the same way however the last bits of a product fall (see `confidences`)."""


def _money(rng: random.Random) -> float:
    return round(rng.uniform(5, 25_000), 2)


_DATES = tuple((dt.date(2025, 1, 1) + dt.timedelta(days=n)).isoformat() for n in range(450))


def _date(rng: random.Random) -> str:
    return rng.choice(_DATES)


def _invoice(rng: random.Random) -> JsonDict:
    return {
        "vendor": rng.choice(VENDORS),
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
        "skills": _skills(rng, rng.randrange(1, 5)),
    }


_SKILLS = ("python", "sql", "rust", "go", "typescript", "kubernetes", "ml")


def _skills(rng: random.Random, count: int) -> list[str]:
    """`rng.sample(_SKILLS, count)` with `random.Random`'s draws: for so few it picks from a pool, each pick
    `randbelow(left)` (bit_length bits, redrawn while too big) and the last one moved into the gap. The
    standard `sample` checks its arguments first, which costs more than the picks (the tests compare the two)."""
    pool, bits, picked = list(_SKILLS), rng.getrandbits, []
    for left in range(len(pool), len(pool) - count, -1):
        width = left.bit_length()
        index = bits(width)
        while index >= left:
            index = bits(width)
        picked.append(pool[index])
        pool[index] = pool[left - 1]
    return picked


def _job_history(rng: random.Random) -> JsonDict:
    return {"company": rng.choice(VENDORS), "title": rng.choice(("Engineer", "Manager", "Analyst")), "years": 2}


def _receipt(rng: random.Random) -> JsonDict:
    return {"merchant": rng.choice(VENDORS), "date": _date(rng), "amount": _money(rng), "paid": rng.random() < 0.8}


_STR = {"type": "string"}
_NUM = {"type": "number"}


class Template:
    """A kind of document: the data schema a user writes for it, and what extraction finds in one (per document,
    and per table row)."""

    def __init__(
        self,
        name: str,
        schema: JsonDict,
        document: Callable[[random.Random], JsonDict],
        row: Callable[[random.Random], JsonDict],
    ) -> None:
        self.name, self.schema, self.document, self.row = name, schema, document, row

    def result(self, rng: random.Random, target: object, pages: int) -> JsonDict | list[JsonDict]:
        """The extracted data for an extraction target: one object per document, page or table row."""
        if target == "per_page":
            return [self.document(rng) for _ in range(pages)]
        if target == "per_table_row":
            return [self.row(rng) for _ in range(1 + rng.randrange(6))]
        return self.document(rng)


TEMPLATES = (
    Template(
        "invoice",
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
    Template(
        "resume",
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
    Template(
        "receipt",
        {"type": "object", "properties": {"merchant": _STR, "date": _STR, "amount": _NUM, "paid": {"type": "boolean"}}},
        _receipt,
        _line_item,
    ),
)


def confidences(rng: random.Random, fields: JsonDict) -> JsonDict:
    """Per-field metadata as extraction reports it: a confidence and a citation for each field."""
    # A million jobs make tens of millions of these, so the draws are spelled out: 0.5 + 0.5 * random() is
    # uniform(0.5, 1), and the page is choice((1, 2, 3)) as `random.Random` makes it (2 bits, 3 redrawn).
    # And `round(confidence, 3)`, a fifth of the time of a job's metadata, is computed the fast way where the
    # answer is clear: the product with 1000 is within 1e-13 of the exact one, so a fraction clearly on one side
    # of a half rounds the exact value the same way, and `n / 1000` is the double nearest the decimal n/1000,
    # which is what `round` returns. Only a near-tie goes to `round` (the tests compare the two).
    random, bits = rng.random, rng.getrandbits
    made: JsonDict = {}
    for name in fields:
        confidence = 0.5 + 0.5 * random()
        scaled = confidence * 1000.0
        whole = int(scaled)
        part = scaled - whole
        if part < _CLEARLY_BELOW_HALF:
            confidence = whole / 1000
        elif part > _CLEARLY_ABOVE_HALF:
            confidence = (whole + 1) / 1000
        else:
            confidence = round(confidence, 3)
        page = bits(2)
        while page == 3:
            page = bits(2)
        made[name] = {"confidence": confidence, "citation": [{"page": page + 1}]}
    return made
