"""Query validation compiled from the spec's parameter schemas, with FastAPI's 422 error shape.

Running a JSON Schema validator per parameter per request would cost more than the rest of a list request, so
each parameter schema is compiled once into a small converter from the wire string. The compiler knows only
the constructs this spec uses (string, integer, the `uuid` and `date-time` formats, string enums, arrays of
strings, each optionally nullable) and refuses anything else at startup, so a spec change cannot be silently
ignored. The tests check the converters against jsonschema itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .document import Operation, Spec
from .timestamps import TimestampError, parse_ns

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", re.ASCII)
_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
# Beyond this many digits int() is slow (and refuses past 4300); such a page_size is clamped anyway.
_MAX_DIGITS = 18
_HUGE = 1_000_000_000_000_000_000  # stands for any integer with more digits (only its sign matters then)


class UnsupportedSchema(ValueError):
    """The spec uses a parameter schema this compiler does not understand."""


class ValueProblem(ValueError):
    """One wire value the schema rejects, named as pydantic would name it."""

    def __init__(self, type: str, msg: str, ctx: dict[str, Any] | None = None) -> None:
        super().__init__(msg)
        self.type = type
        self.msg = msg
        self.ctx = ctx


Converter = Callable[[str], object]


@attrs.frozen
class Param:
    """One compiled parameter: where it lives, whether it repeats, and how a wire string becomes a value."""

    name: str
    location: str
    is_array: bool
    convert: Converter


def _big_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        return -_HUGE if text.startswith("-") else _HUGE
    return int(text)


def _integer(text: str) -> object:
    if not _INTEGER.fullmatch(text):
        raise ValueProblem("int_parsing", "Input should be a valid integer, unable to parse string as an integer")
    return _big_int(text)


def _uuid(text: str) -> object:
    if not _UUID.fullmatch(text):
        raise ValueProblem("uuid_parsing", "Input should be a valid UUID in its 8-4-4-4-12 hexadecimal form")
    return text.lower()


def _date_time(text: str) -> object:
    try:
        parse_ns(text)
    except TimestampError as error:
        if error.naive:
            raise ValueProblem("timezone_aware", "Input should have timezone info") from None
        raise ValueProblem("datetime_parsing", f"Input should be a valid datetime, {error}") from None
    return text


def _string(text: str) -> object:
    return text


def _enum(values: Sequence[str]) -> Converter:
    allowed = frozenset(values)
    quoted = [f"'{v}'" for v in values]
    expected = ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]

    def convert(text: str) -> object:
        if text not in allowed:
            raise ValueProblem("enum", f"Input should be {expected}", {"expected": expected})
        return text

    return convert


_FORMATS: dict[str, Converter] = {"uuid": _uuid, "date-time": _date_time}


def _branches(spec: Spec, schema: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a schema: `type: [X, 'null']` and `anyOf: [..., {type: 'null'}]` alike."""
    return [dict(b) for b in spec.branches(schema) if b.get("type") != "null"]


def _scalar(schema: dict[str, Any], where: str) -> Converter:
    kind = schema.get("type")
    known = {"type", "format", "enum", "title", "description", "examples", "deprecated"}
    if extra := {k for k in set(schema) - known if not k.startswith("x-")}:
        raise UnsupportedSchema(f"{where}: keywords {sorted(extra)} are not supported")
    if "enum" in schema:
        if kind != "string":
            raise UnsupportedSchema(f"{where}: only string enums are supported")
        return _enum(list(schema["enum"]))
    if kind == "integer":
        if "format" in schema:
            raise UnsupportedSchema(f"{where}: integer formats are not supported")
        return _integer
    if kind == "string":
        fmt = schema.get("format")
        if fmt is None:
            return _string
        if fmt not in _FORMATS:
            raise UnsupportedSchema(f"{where}: format {fmt!r} is not supported")
        return _FORMATS[fmt]
    raise UnsupportedSchema(f"{where}: type {kind!r} is not supported")


def compile_param(spec: Spec, spec_param: Mapping[str, Any]) -> Param:
    """Compile one OpenAPI parameter object (its `$ref` resolved)."""
    name, location = spec_param["name"], spec_param["in"]
    where = f"parameter {name!r} ({location})"
    if spec_param.get("required"):
        raise UnsupportedSchema(f"{where}: required parameters are not supported")
    if spec_param.get("style", "form") != "form" or spec_param.get("explode", True) is not True:
        raise UnsupportedSchema(f"{where}: only form style with explode is supported")
    branches = _branches(spec, spec_param["schema"])
    if len(branches) != 1:
        raise UnsupportedSchema(f"{where}: exactly one non-null alternative is supported")
    (schema,) = branches
    if schema.get("type") == "array":
        items = _branches(spec, schema.get("items", {}))
        if len(items) != 1 or (items[0].get("type") != "string") or len(items[0]) > 1 + ("title" in items[0]):
            raise UnsupportedSchema(f"{where}: only arrays of plain strings are supported")
        return Param(name, location, True, _string)
    return Param(name, location, False, _scalar(schema, where))


def compile_operation(spec: Spec, operation: Operation) -> list[Param]:
    """Every parameter of the operation, compiled, in the spec's order."""
    return [compile_param(spec, p.declared) for p in operation.parameters]


def validate_query(
    params: Sequence[Param], pairs: Iterable[tuple[str, str]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The converted query values by name (absent ones left out), and FastAPI-shaped errors for the rest.

    A scalar parameter sent more than once is an error: the spec declares one value, and taking the first or
    the last would hide a client bug.
    """
    received: dict[str, list[str]] = {}
    for key, value in pairs:
        received.setdefault(key, []).append(value)
    values: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for param in params:
        if param.location != "query" or param.name not in received:
            continue
        raw = received[param.name]
        if param.is_array:
            values[param.name] = [param.convert(v) for v in raw]
            continue
        if len(raw) > 1:
            errors.append(
                {
                    "type": "too_many_values",
                    "loc": ["query", param.name],
                    "msg": "Input should be a single value; the parameter was sent more than once",
                    "input": raw,
                }
            )
            continue
        try:
            values[param.name] = param.convert(raw[0])
        except ValueProblem as problem:
            error: dict[str, Any] = {
                "type": problem.type,
                "loc": ["query", param.name],
                "msg": problem.msg,
                "input": raw[0],
            }
            if problem.ctx:
                error["ctx"] = problem.ctx
            errors.append(error)
    return values, errors
