"""What the generated models do with the hard constructs of the spec: nullables, JSON values, unknown fields
and date-times. Each test names the spec shape it covers; openapi/README.md says why the spec is shaped so."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_conformance.strategies import json_values, rfc3339_datetimes
from llamacloud_extract_api import models
from llamacloud_extract_api.models import (
    ExtractConfiguration,
    ExtractRun,
    ExtractV2Job,
    ExtractV2JobMetadata,
    JsonObject,
)
from llamacloud_extract_api.types import UNSET

RUN: dict[str, Any] = {
    "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "extraction_agent_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "data_schema": {},
    "config": {},
    "file": {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "name": "a.pdf",
        "external_file_id": "ext",
        "project_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    },
    "status": "SUCCESS",
}
JOB: dict[str, Any] = {
    "id": "ext-1",
    "project_id": "prj-1",
    "document_input_value": "dfl-1",
    "status": "COMPLETED",
    "created_at": "2026-03-28T10:00:00+00:00",  # as isoformat() writes it, so that to_dict gives it back
    "updated_at": "2026-03-28T10:00:01+00:00",
}
# Parsed from `{"data_schema": {}}`: absent fields stay UNSET, where the constructor would fill in the defaults.
CONFIGURATION = ExtractConfiguration(
    data_schema=JsonObject(), lang=UNSET, extract_version=UNSET, cite_sources=UNSET, confidence_scores=UNSET
)
GENERATED_CLASSES = tuple(
    cls for name in models.__all__ if isinstance(cls := getattr(models, name), type) and hasattr(cls, "from_dict")
)

# ---- anyOf nullables: absent -> UNSET (omitted again), null -> None (kept), a value -> that value -------------

NULLABLES = [
    (ExtractRun, RUN, "error", "it broke", "it broke"),  # type: [string, 'null']
    (ExtractRun, RUN, "job_id", "3fa85f64-5717-4562-b3fc-2c963f66afa6", UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")),
    (ExtractRun, RUN, "created_at", "2024-07-29T15:51:28Z", dt.datetime(2024, 7, 29, 15, 51, 28, tzinfo=dt.UTC)),
    (ExtractV2Job, JOB, "configuration", {"data_schema": {}}, CONFIGURATION),  # anyOf [$ref, null]
    (ExtractV2Job, JOB, "error_message", "", ""),  # an empty string is a value, not null
]


@pytest.mark.parametrize(("model", "base", "field", "wire", "python"), NULLABLES)
def test_an_absent_field_is_unset_and_stays_absent(
    model: Any, base: dict[str, Any], field: str, wire: Any, python: Any
) -> None:
    parsed = model.from_dict(base)
    assert getattr(parsed, field) is UNSET
    assert field not in parsed.to_dict()


@pytest.mark.parametrize(("model", "base", "field", "wire", "python"), NULLABLES)
def test_null_is_none_and_is_written_back(model: Any, base: dict[str, Any], field: str, wire: Any, python: Any) -> None:
    parsed = model.from_dict({**base, field: None})
    assert getattr(parsed, field) is None
    assert parsed.to_dict()[field] is None


@pytest.mark.parametrize(("model", "base", "field", "wire", "python"), NULLABLES)
def test_a_value_is_parsed_and_written_back(
    model: Any, base: dict[str, Any], field: str, wire: Any, python: Any
) -> None:
    parsed = model.from_dict({**base, field: wire})
    assert getattr(parsed, field) == python
    assert getattr(model.from_dict({**base, field: parsed.to_dict()[field]}), field) == python


# ---- JSON values: `JsonValue` is an empty schema, so nested values stay plain Python data ------------------

json_objects = st.dictionaries(st.text(max_size=6), json_values(max_leaves=12), max_size=5)


def _generated_instances(value: Any) -> list[Any]:
    """Every instance of a generated class anywhere inside `value` (there should be none in JSON values)."""
    if isinstance(value, GENERATED_CLASSES):
        return [value]
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [found for child in children for found in _generated_instances(child)]


@settings(max_examples=200, deadline=None)
@given(json_objects)
def test_a_json_object_keeps_nested_values_as_plain_data(document: dict[str, Any]) -> None:
    parsed = JsonObject.from_dict(document)
    assert parsed.additional_properties == document
    assert _generated_instances(parsed.additional_properties) == []
    assert parsed.to_dict() == document


@settings(max_examples=100, deadline=None)
@given(st.one_of(json_objects, st.lists(json_objects, max_size=3)))
def test_extract_result_is_an_object_or_a_list_of_objects(result: Any) -> None:
    parsed = ExtractV2Job.from_dict({**JOB, "extract_result": result}).extract_result
    if isinstance(result, dict):
        assert isinstance(parsed, JsonObject)
        assert parsed.to_dict() == result
    else:
        assert isinstance(parsed, list)
        assert [item.to_dict() for item in parsed] == result
    assert ExtractV2Job.from_dict({**JOB, "extract_result": result}).to_dict()["extract_result"] == result


# ---- additionalProperties: fields the spec does not know are kept and written back -------------------------


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8).map("new_".__add__), json_values(), min_size=1, max_size=3))
def test_unknown_fields_survive_a_round_trip_at_every_level(extra: dict[str, Any]) -> None:
    job = {**JOB, **extra, "metadata": {**extra, "usage": {**extra}}, "configuration": {"data_schema": {}, **extra}}
    parsed = ExtractV2Job.from_dict(job)
    assert parsed.additional_properties == extra
    assert isinstance(parsed.metadata, ExtractV2JobMetadata)
    assert parsed.metadata.additional_properties == extra
    assert parsed.to_dict() == job
    run = ExtractRun.from_dict({**RUN, **extra, "file": {**RUN["file"], **extra}, "config": extra})
    assert run.to_dict() == {**RUN, **extra, "file": {**RUN["file"], **extra}, "config": extra}


def test_an_unknown_field_named_like_a_python_keyword_is_kept() -> None:
    job = {**JOB, "class": 1, "from": None, "additional_properties": {"x": 1}}
    assert ExtractV2Job.from_dict(job).to_dict() == job


# ---- date-times: the offset is kept, and the instant -----------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "offset"),
    [
        ("2024-07-29T15:51:28.071Z", dt.timedelta(0)),
        ("2024-07-29T15:51:28+05:30", dt.timedelta(hours=5, minutes=30)),
        ("2024-07-29T15:51:28.5-08:00", dt.timedelta(hours=-8)),
    ],
)
def test_a_date_time_keeps_its_offset(wire: str, offset: dt.timedelta) -> None:
    parsed = ExtractV2Job.from_dict({**JOB, "created_at": wire})
    assert parsed.created_at.utcoffset() == offset
    written = parsed.to_dict()["created_at"]
    assert dt.datetime.fromisoformat(written).utcoffset() == offset


RFC3339 = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):(\d\d))")


def _read_rfc3339(wire: str) -> dt.datetime:
    """An independent reading of the wire form (the client uses datetime.fromisoformat)."""
    match = RFC3339.fullmatch(wire)
    assert match, wire
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    micro = int((match[7] or "").ljust(6, "0")[:6])
    sign = -1 if match[9] == "-" else 1
    offset = dt.timedelta(hours=int(match[10] or 0), minutes=int(match[11] or 0)) * sign
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=dt.timezone(offset))


@settings(max_examples=200, deadline=None)
@given(rfc3339_datetimes())
def test_any_rfc3339_date_time_comes_back_as_the_same_instant_and_offset(wire: str) -> None:
    expected = _read_rfc3339(wire)
    job = ExtractV2Job.from_dict({**JOB, "updated_at": wire})
    assert job.updated_at == expected
    assert job.updated_at.utcoffset() == expected.utcoffset()
    written = _read_rfc3339(job.to_dict()["updated_at"])  # isoformat() is RFC 3339 for aware datetimes
    assert written == expected
    assert written.utcoffset() == expected.utcoffset()


# ---- required properties: absent -> UNSET (templates/model.py.jinja), omitted again by to_dict ---------------

REQUIRED = {
    ExtractV2Job: (JOB, ["id", "project_id", "document_input_value", "status", "created_at", "updated_at"]),
    ExtractRun: (RUN, ["id", "extraction_agent_id", "data_schema", "config", "file", "status"]),
}


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(sorted(REQUIRED, key=lambda cls: cls.__name__)).flatmap(
        lambda cls: st.tuples(st.just(cls), st.sets(st.sampled_from(REQUIRED[cls][1]), min_size=1))
    )
)
def test_absent_required_fields_are_unset_and_stay_absent(case: tuple[Any, set[str]]) -> None:
    model, absent = case
    base, _ = REQUIRED[model]
    sent = {key: value for key, value in base.items() if key not in absent}
    parsed = model.from_dict(sent)
    assert [name for name in absent if getattr(parsed, name) is not UNSET] == []
    present = {key: getattr(model.from_dict(base), key) for key in sent}
    assert {key: getattr(parsed, key) for key in sent} == present  # the rest is read as usual
    assert parsed.additional_properties == {}
    assert parsed.to_dict() == sent


def test_a_renamed_required_field_lands_in_additional_properties() -> None:
    sent = {key: value for key, value in JOB.items() if key != "document_input_value"} | {"file_input": "dfl-1"}
    parsed = ExtractV2Job.from_dict(sent)
    assert parsed.document_input_value is UNSET
    assert parsed.additional_properties == {"file_input": "dfl-1"}
    assert parsed.to_dict() == sent
