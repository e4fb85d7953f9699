"""The fields and query parameters the API has renamed since the spec this client is generated from: the tables
the client reads them from.

`RENAMES[(schema, field)]` is the field's newer name. When an item lacks `field`, which the spec requires of
`schema`, and carries the newer name instead, the client reads the value from there (and says so in a
`SpecDriftWarning`); the newer key stays in `additional_properties`, so `to_dict()` keeps what the server sent.
Names are the JSON names of the spec (`components.schemas` and their `properties`).

Upstream renamed `ExtractV2Job.document_input_value` to `file_input` on 2026-04-01 (LlamaCloud's OpenAPI spec
at that date): the same File ID (`dfl-...`) or parse job ID (`pjb-...`), under a new name. The list endpoint's
query parameter that filters on it was renamed with it, and the old one kept as a deprecated alias: a server of
either age understands the parameter's old name or both, so `jobs.list` takes the newer name too and sends both.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

RENAMES: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("ExtractV2Job", "document_input_value"): "file_input",
    }
)
"""(schema, field as the client's spec names it) -> the field's newer name."""

PARAMETER_RENAMES: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("/api/v2/extract", "document_input_value"): "file_input",
    }
)
"""(path of the operation, query parameter as the client's spec names it) -> the parameter's newer name, which the
client's method takes as well (the spec's name stays, deprecated) and sends alongside the spec's."""
