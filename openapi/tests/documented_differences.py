"""Every way our spec may differ from the upstream fragments, each with its source. Nothing else may differ.

The v1 fragment (2025-02-20) is a few weeks newer than the snapshot the v1 reference page shows. The seed-era
differences are written as RFC 6902 JSON Patches that turn the upstream fragment into the seed era; each patch
`test`s the upstream value before changing it, so a patch that no longer fits the fragment fails loudly.
Sources are sections of shared/reference/api-ground-truth.md. The fidelity tests also check that each patch
is needed: leaving any one out makes the comparison fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jsonpatch

from spec_documents import V1_PATH, V1_UPSTREAM, Document, upstream

_V1_GET = "/paths/" + V1_PATH.replace("/", "~1") + "/get"
_SCHEMAS = "/components/schemas"


@dataclass(frozen=True)
class Difference:
    what: str
    source: str
    patch: tuple[dict[str, Any], ...]  # RFC 6902 operations on the upstream fragment


def _optional_uuid_query(name: str, title: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}], "title": title},
    }


V1_SEED_ERA: tuple[Difference, ...] = (
    Difference(
        what="ExtractMode is PER_DOC | PER_PAGE with default PER_DOC (upstream: FAST | ACCURATE, default ACCURATE)",
        source="api-ground-truth.md §1 (v1 row), §1a (Jan-Feb 2025), §2.3 ExtractConfig table, §7.3",
        patch=(
            {"op": "test", "path": f"{_SCHEMAS}/ExtractMode/enum", "value": ["FAST", "ACCURATE"]},
            {"op": "replace", "path": f"{_SCHEMAS}/ExtractMode/enum", "value": ["PER_DOC", "PER_PAGE"]},
            {"op": "test", "path": f"{_SCHEMAS}/ExtractConfig/properties/extraction_mode/default", "value": "ACCURATE"},
            {
                "op": "replace",
                "path": f"{_SCHEMAS}/ExtractConfig/properties/extraction_mode/default",
                "value": "PER_DOC",
            },
        ),
    ),
    Difference(
        what="ExtractConfig has no extraction_target (and so no ExtractTarget enum)",
        source="api-ground-truth.md §1 (v1 row), §1a (2025-02-20 row), §2.3 ExtractConfig table",
        patch=(
            {"op": "test", "path": f"{_SCHEMAS}/ExtractTarget/enum", "value": ["PER_DOC", "PER_PAGE"]},
            {"op": "remove", "path": f"{_SCHEMAS}/ExtractConfig/properties/extraction_target"},
            {"op": "remove", "path": f"{_SCHEMAS}/ExtractTarget"},
        ),
    ),
    Difference(
        what="ExtractRun.data is an object or null (upstream: also an array of objects)",
        source="api-ground-truth.md §1 (v1 row), §2.3 `data` row, §7.4",
        patch=(
            {"op": "test", "path": f"{_SCHEMAS}/ExtractRun/properties/data/anyOf/1/type", "value": "array"},
            {"op": "remove", "path": f"{_SCHEMAS}/ExtractRun/properties/data/anyOf/1"},
        ),
    ),
    Difference(
        what=(
            "query parameters extraction_agent_id, run_id, job_id, all optional uuid-or-null "
            "(upstream: extraction_agent_id alone, required); the uuid format of the three is inferred"
        ),
        source="api-ground-truth.md §1 (v1 row), §1a, §2.2 (DOC-v1, F09), §7.2",
        patch=(
            {"op": "test", "path": f"{_V1_GET}/parameters/0/name", "value": "extraction_agent_id"},
            {"op": "test", "path": f"{_V1_GET}/parameters/0/required", "value": True},
            {
                "op": "replace",
                "path": f"{_V1_GET}/parameters/0",
                "value": _optional_uuid_query("extraction_agent_id", "Extraction Agent Id"),
            },
            {"op": "add", "path": f"{_V1_GET}/parameters/1", "value": _optional_uuid_query("run_id", "Run Id")},
            {"op": "add", "path": f"{_V1_GET}/parameters/2", "value": _optional_uuid_query("job_id", "Job Id")},
        ),
    ),
)

# Responses our spec declares that upstream leaves out, on both operations.
ADDED_RESPONSES = {
    "401": "the service answers 401 {detail: string} without a valid key; upstream declares only 200 and 422 "
    "(api-ground-truth.md §4 'Declared errors' and '401 body', §7.11)"
}


def v1_seed_era(differences: tuple[Difference, ...] = V1_SEED_ERA) -> Document:
    """The 2025-02-20 v1 fragment with the given seed-era differences applied (all of them by default)."""
    operations = [op for difference in differences for op in difference.patch]
    patched: Document = jsonpatch.apply_patch(upstream(V1_UPSTREAM), operations)
    return patched
