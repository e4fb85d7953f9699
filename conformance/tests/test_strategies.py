"""The strategy builder the fidelity tests rely on: it only draws valid instances, reaches every branch, and
refuses what it does not know."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.strategies import from_schema

from spec_documents import validator

UUID = {"type": "string", "format": "uuid"}
DATE_TIME = {"type": "string", "format": "date-time"}
OBJECT = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": UUID, "note": {"type": ["string", "null"], "minLength": 2, "maxLength": 4}},
}
ROOT = {"components": {"schemas": {"Object": OBJECT, "Self": {"anyOf": [{"$ref": "#/components/schemas/Self"}]}}}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "empty": {},
    "type list": {"type": ["integer", "null"]},
    "anyOf": {"anyOf": [{"type": "boolean"}, {"type": "number", "minimum": 0.5}]},
    "enum": {"type": "string", "enum": ["A", "B"]},
    "integer minimum": {"type": "integer", "minimum": 1.0},
    "string lengths": {"type": "string", "minLength": 1, "maxLength": 3},
    "uuid": UUID,
    "date-time": DATE_TIME,
    "object": OBJECT,
    "closed object": {**OBJECT, "additionalProperties": False},
    "map of JSON values": {"type": "object", "additionalProperties": {}},
    "array of $ref": {"type": "array", "items": {"$ref": "#/components/schemas/Object"}},
}
QUICK = settings(phases=[Phase.generate], database=None, max_examples=500)  # for `find`: no shrinking needed


def _draw(name: str) -> st.SearchStrategy[Any]:
    return from_schema(SCHEMAS[name], root=ROOT)


@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_instance_is_valid(name: str, data: st.DataObject) -> None:
    instance = data.draw(_draw(name))
    validator(SCHEMAS[name], ROOT).validate(instance)


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("type list", lambda v: v is None),
        ("type list", lambda v: isinstance(v, int)),
        ("anyOf", lambda v: isinstance(v, bool)),
        ("anyOf", lambda v: isinstance(v, float)),
        ("enum", lambda v: v == "B"),
        ("object", lambda v: "note" not in v),
        ("object", lambda v: v.get("note") is None and "note" in v),
        ("object", lambda v: isinstance(v.get("note"), str)),
        ("object", lambda v: any(key.startswith("x_") for key in v)),  # undeclared keys for open objects
        ("uuid", lambda v: v != v.lower()),
        ("date-time", lambda v: v.endswith("Z")),
        ("date-time", lambda v: re.search(r"[+-]\d\d:\d\d$", v) is not None),
        ("date-time", lambda v: re.search(r"\.\d{6}", v) is not None),
        ("map of JSON values", lambda v: any(isinstance(x, dict) for x in v.values())),
        ("map of JSON values", lambda v: any(isinstance(x, list) for x in v.values())),
        ("array of $ref", lambda v: len(v) >= 2),
    ],
)
def test_every_branch_is_reached(name: str, wanted: Any) -> None:
    find(_draw(name), wanted, settings=QUICK)


def test_closed_objects_get_no_undeclared_keys() -> None:
    @settings(max_examples=100, deadline=None)
    @given(_draw("closed object"))
    def check(instance: dict[str, Any]) -> None:
        assert set(instance) <= {"id", "note"}

    check()


def test_a_self_referencing_schema_builds_lazily() -> None:
    from_schema({"$ref": "#/components/schemas/Self"}, root=ROOT)  # building must not recurse forever


@pytest.mark.parametrize(
    ("schema", "named"),
    [
        ({"type": "string", "pattern": "^a"}, "pattern"),
        ({"oneOf": [{"type": "string"}]}, "oneOf"),
        ({"type": "string", "format": "email"}, "email"),
        ({"$ref": "other.json#/X"}, "other.json"),
        ({"$ref": "#/components/schemas/Object", "type": "object"}, "$ref"),
        ({"type": "object", "required": ["a"]}, "'a'"),
    ],
)
def test_what_it_does_not_know_is_refused_by_name(schema: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        from_schema(schema, root=ROOT)
