"""A job's file input, whichever name the server gave it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llamacloud_extract_api.models import ExtractV2Job

from .renames import RENAMES

_SPECIFIED = "document_input_value"
_NOW = RENAMES[("ExtractV2Job", _SPECIFIED)]


def file_input(job: ExtractV2Job | Mapping[str, Any]) -> str | None:
    """The File ID (`dfl-...`) or parse job ID (`pjb-...`) a job extracted, or None if it names neither.

    Works on an `ExtractV2Job` and on a job as a dict (`raw=True`), from a server of the client's spec (which
    calls it `document_input_value`) or a newer one (`file_input`, since 2026-04-01). The newer name wins
    when both are there. A typed job read from a newer server has `document_input_value` filled already; this
    is the one spelling that needs no thought about which server answered.
    """
    if isinstance(job, ExtractV2Job):
        fields: Mapping[str, Any] = job.additional_properties
        specified: object = job.document_input_value
    elif isinstance(job, Mapping):
        fields = job
        specified = job.get(_SPECIFIED)
    else:
        raise TypeError(f"file_input() takes an ExtractV2Job or a job as a dict, got {type(job).__name__}")
    newer = fields.get(_NOW)
    if isinstance(newer, str):
        return newer
    return specified if isinstance(specified, str) else None
