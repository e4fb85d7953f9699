"""Hypothesis strategies for JSON instances of a JSON Schema (2020-12), for exactly the subset our specs use.

Why not hypothesis-jsonschema: its newest release (0.23.1, 2024-02) drives a private Hypothesis helper that
Hypothesis 6.170 no longer has, so drawing any object schema raises `AttributeError: 'many' object has no
attribute 'more'` (reproduced with the pinned 6.170.15). schemathesis has a working generator, but as private
API. This module is small on purpose: it knows the keywords listed in `_KNOWN` and refuses any other, so a spec
that starts using a new keyword fails loudly here instead of being sampled wrongly.

Objects that do not forbid extra properties also get a few keys the schema does not declare, so that a
schema closing an object that the other side leaves open is caught.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

JsonSchema = Mapping[str, Any]

_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "deprecated", "$schema", "$comment"})
_KNOWN = frozenset(
    {
        "$ref",
        "type",
        "anyOf",
        "enum",
        "format",
        "minLength",
        "maxLength",
        "minimum",
        "properties",
        "required",
        "additionalProperties",
        "items",
    }
)
_ALL_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
_EXTRA_KEY = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8).map("x_".__add__)


def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Any JSON value: what an empty schema (`{}`) admits."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=10)
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
        max_leaves=max_leaves,
    )


def rfc3339_datetimes() -> st.SearchStrategy[str]:
    """RFC 3339 date-times as servers write them: `Z` or a numeric offset, 0 to 6 fraction digits."""
    offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
        lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
    )
    moments = st.datetimes(min_value=dt.datetime(1900, 1, 1), timezones=offsets)

    def spell(moment: dt.datetime, digits: int, zulu: bool) -> str:
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        if digits:
            text += "." + f"{moment.microsecond:06d}"[:digits]
        offset = moment.strftime("%z")  # +hhmm
        if zulu and offset == "+0000":
            return text + "Z"
        return f"{text}{offset[:3]}:{offset[3:]}"

    return st.builds(spell, moments, st.integers(0, 6), st.booleans())


def uuid_strings() -> st.SearchStrategy[str]:
    """UUIDs in the hyphenated form, lower or upper case (RFC 9562 allows both on input)."""
    return st.builds(lambda u, upper: str(u).upper() if upper else str(u), st.uuids(), st.booleans())


_FORMATS: dict[str, st.SearchStrategy[str]] = {"date-time": rfc3339_datetimes(), "uuid": uuid_strings()}


class SchemaStrategies:
    """Builds a strategy for a schema whose `$ref`s point into `root` (an OpenAPI document or a bundle)."""

    def __init__(self, root: JsonSchema) -> None:
        self._root = root
        self._by_ref: dict[str, st.SearchStrategy[Any]] = {}

    def for_schema(self, schema: JsonSchema | bool) -> st.SearchStrategy[Any]:
        if schema is True:
            return json_values()
        if schema is False:
            raise ValueError("the schema `false` admits no instance")
        unknown = {k for k in set(schema) - _KNOWN - _ANNOTATIONS if not k.startswith("x-")}
        if unknown:
            raise ValueError(
                f"jsonschema_strategy does not support the keyword(s) {sorted(unknown)} in {_short(schema)}"
            )
        constraints = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
        if "$ref" in constraints:
            _alone(constraints, "$ref")
            return self._ref(constraints["$ref"])
        if "anyOf" in constraints:
            _alone(constraints, "anyOf")
            return st.one_of([self.for_schema(branch) for branch in constraints["anyOf"]])
        if "enum" in constraints:
            _alone(constraints, "enum", "type")
            return st.sampled_from([v for v in constraints["enum"] if _has_type(v, constraints.get("type"))])
        return self._typed(constraints)

    def _ref(self, ref: str) -> st.SearchStrategy[Any]:
        if ref not in self._by_ref:
            if not ref.startswith("#/"):
                raise ValueError(f"only local $refs are supported, not {ref!r}")
            target: Any = self._root
            for token in ref[2:].split("/"):
                target = target[token.replace("~1", "/").replace("~0", "~")]
            # deferred: a schema may refer to itself, and the target is built only when first drawn
            self._by_ref[ref] = st.deferred(lambda: self.for_schema(target))
        return self._by_ref[ref]

    def _typed(self, schema: JsonSchema) -> st.SearchStrategy[Any]:
        declared = schema.get("type", list(_ALL_TYPES) if schema else None)
        if declared is None:
            return json_values()
        types = [declared] if isinstance(declared, str) else list(declared)
        return st.one_of([self._one_type(t, schema) for t in types])

    def _one_type(self, kind: str, schema: JsonSchema) -> st.SearchStrategy[Any]:
        if kind == "null":
            return st.none()
        if kind == "boolean":
            return st.booleans()
        if kind == "integer":
            return st.integers(min_value=_integer_minimum(schema.get("minimum")))
        if kind == "number":
            low = schema.get("minimum")
            floats = st.floats(min_value=low, allow_nan=False, allow_infinity=False)
            return st.one_of(st.integers(min_value=_integer_minimum(low)), floats)
        if kind == "string":
            return self._string(schema)
        if kind == "array":
            return st.lists(self.for_schema(schema.get("items", True)), max_size=3)
        if kind == "object":
            return self._object(schema)
        raise ValueError(f"unknown JSON type {kind!r}")

    def _string(self, schema: JsonSchema) -> st.SearchStrategy[str]:
        if "format" in schema:
            if schema["format"] not in _FORMATS:
                raise ValueError(f"jsonschema_strategy knows no strategy for format {schema['format']!r}")
            if "minLength" in schema or "maxLength" in schema:
                raise ValueError("format together with minLength/maxLength is not supported")
            return _FORMATS[schema["format"]]
        low = schema.get("minLength", 0)
        return st.text(min_size=low, max_size=schema.get("maxLength", low + 12))

    def _object(self, schema: JsonSchema) -> st.SearchStrategy[dict[str, Any]]:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        undeclared = required - set(properties)
        if undeclared:
            raise ValueError(f"required but not declared in properties: {sorted(undeclared)}")
        declared = st.fixed_dictionaries(
            {name: self.for_schema(sub) for name, sub in properties.items() if name in required},
            optional={name: self.for_schema(sub) for name, sub in properties.items() if name not in required},
        )
        additional = schema.get("additionalProperties", True)
        if additional is False:
            return declared
        keys = _EXTRA_KEY.filter(lambda key: key not in properties) if properties else st.text(max_size=6)
        extras = st.dictionaries(keys, self.for_schema(additional), max_size=2)
        return st.builds(lambda fixed, more: {**more, **fixed}, declared, extras)


def _alone(schema: JsonSchema, keyword: str, *companions: str) -> None:
    """Refuse combinations this builder would sample wrongly (none of our specs uses them)."""
    others = set(schema) - {keyword, *companions}
    if others:
        raise ValueError(f"jsonschema_strategy cannot combine {keyword} with {sorted(others)}: {_short(schema)}")


def _short(schema: Any) -> str:
    text = repr(schema)
    return text if len(text) <= 120 else text[:117] + "..."


def _has_type(value: Any, declared: str | list[str] | None) -> bool:
    if declared is None:
        return True
    kinds = {"null": type(None), "boolean": bool, "string": str, "array": list, "object": dict}
    for kind in [declared] if isinstance(declared, str) else declared:
        if kind in ("integer", "number"):
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if numeric and (kind == "number" or float(value).is_integer()):
                return True
        elif isinstance(value, kinds[kind]):
            return True
    return False


def _integer_minimum(minimum: float | None) -> int | None:
    if minimum is None:
        return None
    whole = int(minimum)
    return whole if whole >= minimum else whole + 1


def from_schema(schema: JsonSchema, root: JsonSchema | None = None) -> st.SearchStrategy[Any]:
    """A strategy for instances of `schema`; `$ref`s resolve against `root` (default: the schema itself)."""
    return SchemaStrategies(schema if root is None else root).for_schema(schema)
