"""normal_form makes two spellings of one constraint equal, and keeps every real difference."""

from __future__ import annotations

from typing import Any

import pytest

from spec_documents import normal_form

DOC = {"components": {"schemas": {"Id": {"type": "string", "format": "uuid", "title": "Id"}}}}
UPSTREAM_JSON_VALUE = {
    "anyOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {}},
        {"type": "string"},
        {"type": "integer"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
    ]
}


def _nf(schema: Any) -> Any:
    return normal_form(schema, DOC)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            {"type": ["string", "null"], "format": "uuid"},
            {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Id"}]},
        ),
        ({"type": "integer", "minimum": 1.0, "title": "A"}, {"type": "integer", "minimum": 1, "description": "B"}),
        (UPSTREAM_JSON_VALUE, {}),
        ({"type": "object", "additionalProperties": {}}, {"type": "object"}),
        ({"type": "array", "items": True}, {"type": "array"}),
        ({"type": "string", "enum": ["A", "B"]}, {"type": "string", "enum": ["B", "A"]}),
        ({"anyOf": [{"anyOf": [{"type": "string"}, {"type": "null"}]}]}, {"type": ["null", "string"]}),
    ],
)
def test_spellings_of_one_constraint_are_equal(one: Any, other: Any) -> None:
    assert _nf(one) == _nf(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"type": "string"}, {"type": ["string", "null"]}),
        ({"type": "string", "format": "uuid"}, {"type": "string", "format": "date-time"}),
        ({"type": "string", "enum": ["A", "B"]}, {"type": "string", "enum": ["A"]}),
        ({"type": "object", "required": ["a"]}, {"type": "object"}),
        ({"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "object", "properties": {}}),
        ({"type": "object", "additionalProperties": False}, {"type": "object"}),
        ({"type": "integer"}, {"type": "number"}),
        ({"anyOf": UPSTREAM_JSON_VALUE["anyOf"][1:]}, {}),  # without objects it is not "any value"
    ],
)
def test_real_differences_are_kept(one: Any, other: Any) -> None:
    assert _nf(one) != _nf(other)


@pytest.mark.parametrize(
    "schema", [{"type": "string", "pattern": "x"}, {"$ref": "#/components/schemas/Id", "minLength": 1}]
)
def test_unknown_keywords_are_refused(schema: Any) -> None:
    with pytest.raises(ValueError, match="normal_form"):
        _nf(schema)
