"""Enums keep values the spec does not know yet (openapi/templates/str_enum.py.jinja adds `_missing_` and
`is_known`), so a new status or tier on the server does not make a whole response unreadable."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_extract_api import models
from llamacloud_extract_api.models import ExtractRun, ExtractState

from spec_documents import our_spec

ENUMS = [cls for name in models.__all__ if isinstance(cls := getattr(models, name), type) and issubclass(cls, StrEnum)]
SPEC_ENUMS = {name: s["enum"] for name, s in our_spec()["components"]["schemas"].items() if "enum" in s}


def test_every_enum_of_the_spec_is_generated_with_its_values() -> None:
    assert {cls.__name__: sorted(m.value for m in cls) for cls in ENUMS} == {
        name: sorted(values) for name, values in SPEC_ENUMS.items()
    }


@pytest.mark.parametrize("enum", ENUMS, ids=lambda cls: cls.__name__)
def test_declared_values_are_known(enum: type[StrEnum]) -> None:
    for member in enum:
        assert enum(member.value) is member
        assert member.is_known()  # type: ignore[attr-defined]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda cls: cls.__name__)
@settings(max_examples=50, deadline=None)
@given(value=st.text(max_size=12))
def test_an_unknown_value_is_kept_and_marked(enum: type[StrEnum], value: str) -> None:
    if value in enum._value2member_map_:
        return
    members_before = list(enum)
    kept: Any = enum(value)
    assert isinstance(kept, enum)
    assert kept == value
    assert kept.value == value
    assert str(kept) == value
    assert not kept.is_known()
    assert list(enum) == members_before, "an unknown value must not become a declared member"
    assert value not in enum._value2member_map_


@pytest.mark.parametrize("not_a_string", [None, 3, ["SUCCESS"]])
def test_a_value_that_is_not_a_string_is_refused(not_a_string: Any) -> None:
    with pytest.raises(ValueError, match="ExtractState"):
        ExtractState(not_a_string)


def test_a_run_with_a_new_status_is_read_and_written_back_unchanged() -> None:
    run = {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "extraction_agent_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "data_schema": {},
        "config": {"extraction_mode": "MULTIMODAL"},
        "file": {
            "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "name": "a",
            "external_file_id": "e",
            "project_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        },
        "status": "CANCELLED",
    }
    parsed = ExtractRun.from_dict(run)
    assert parsed.status == "CANCELLED"
    assert not parsed.status.is_known()
    assert parsed.config.extraction_mode == "MULTIMODAL"
    assert parsed.to_dict() == run
