"""How a response departs from a spec, finding by finding: what a drift report is made of.

A JSON Schema validator says whether a body is valid; a drift report says how a server has moved away from the
spec: which required field it no longer sends, which field it sends that the spec does not know, which enum
value is new. So this walks the body along its schema and names each departure by the schema it is in
(`ExtractV2Job.document_input_value`, `ExtractConfiguration.tier`), which is the same for every item of every
page: a thousand jobs lacking one field are one finding with a count, not a thousand errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from .document import Operation, Spec
from .timestamps import TimestampError, parse_ns

Kind = Literal[
    "missing operation",
    "undocumented status",
    "missing required field",
    "undeclared field",
    "enum value outside the spec",
    "wrong type",
    "invalid value",
    "parameter refused",
    "parameter ignored",
]
FAILING: frozenset[str] = frozenset(
    {
        "missing operation",
        "undocumented status",
        "missing required field",
        "enum value outside the spec",
        "wrong type",
        "invalid value",
        "parameter refused",
        "parameter ignored",
    }
)
"""Kinds that break the spec. An undeclared field does not (the schemas leave objects open): it is reported
because it is usually the other half of a rename, and it names what a newer snapshot added."""

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_JSON_TYPE = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


@attrs.frozen
class Drift:
    """One way a server departs from the spec, named so that equal departures compare equal."""

    kind: str
    operation: str
    where: str
    detail: str = ""

    @property
    def failing(self) -> bool:
        return self.kind in FAILING

    def headline(self) -> str:
        return f"{self.kind}: {self.where}" + (f" ({self.detail})" if self.detail else "")


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return _JSON_TYPE.get(type(value), type(value).__name__)


class _Walk:
    def __init__(self, spec: Spec, operation: str, *, undeclared: bool) -> None:
        self.spec = spec
        self.operation = operation
        self.undeclared = undeclared
        self.found: list[Drift] = []

    def add(self, kind: str, where: str, detail: str = "") -> None:
        self.found.append(Drift(kind, self.operation, where, detail))

    def branches(self, schema: Mapping[str, Any], owner: str) -> list[tuple[Mapping[str, Any], str]]:
        """A schema's alternatives, each with the name of the component schema it comes from."""
        ref = schema.get("$ref")
        if isinstance(ref, str):
            named = ref.rsplit("/", 1)[1] if ref.startswith("#/components/schemas/") else owner
            return self.branches(self.spec.resolve({"$ref": ref}), named)
        if "anyOf" in schema:
            return [found for branch in schema["anyOf"] for found in self.branches(branch, owner)]
        declared = schema.get("type")
        if isinstance(declared, list):
            return [({**schema, "type": kind}, owner) for kind in declared]
        return [(schema, owner)]

    def value(self, value: Any, schema: Mapping[str, Any], where: str, owner: str) -> None:
        """Check `value` against `schema`; `where` names it in a report (`Schema.field`); `owner` is the nearest
        component schema, which names the fields of the objects below it."""
        branches = self.branches(schema, owner)
        if not branches or any(not _constrains(b) for b, _ in branches):
            return  # the empty schema: any JSON value
        kind = _type_of(value)
        fitting = [
            (b, name)
            for b, name in branches
            if b.get("type") == kind or (kind == "integer" and b.get("type") == "number")
        ]
        if not fitting and kind == "object":
            fitting = [(b, name) for b, name in branches if b.get("type") is None and "properties" in b]
        if not fitting:
            wanted = sorted({str(b.get("type", "object")) for b, _ in branches})
            self.add("wrong type", where, f"{' or '.join(wanted)} expected, got {kind}")
            return
        branch, owner = fitting[0]
        if kind == "object":
            self.object(value, branch, where, owner)
        elif kind == "array":
            items = branch.get("items")
            if isinstance(items, Mapping):
                for element in value:
                    self.value(element, items, f"{where}[]", owner)
        else:
            self.scalar(value, branch, where)

    def object(self, value: Mapping[str, Any], schema: Mapping[str, Any], where: str, owner: str) -> None:
        properties: Mapping[str, Any] = schema.get("properties", {})
        for name in schema.get("required", ()):
            if name not in value:
                self.add("missing required field", f"{owner}.{name}")
        extra = schema.get("additionalProperties")
        for name, child in value.items():
            if name in properties:
                self.value(child, properties[name], f"{owner}.{name}", owner)
            elif isinstance(extra, Mapping):
                self.value(child, extra, f"{owner}.*", owner)
            elif properties and extra is None and self.undeclared:
                self.add("undeclared field", f"{owner}.{name}")

    def scalar(self, value: Any, schema: Mapping[str, Any], where: str) -> None:
        if "enum" in schema and value not in schema["enum"]:
            self.add("enum value outside the spec", where, repr(value))
            return
        fmt = schema.get("format")
        if fmt == "date-time" and isinstance(value, str):
            try:
                parse_ns(value)
            except TimestampError:
                self.add("invalid value", where, f"{value!r} is not an RFC 3339 date-time")
        elif fmt == "uuid" and isinstance(value, str) and not _UUID.fullmatch(value):
            self.add("invalid value", where, f"{value!r} is not a UUID")
        minimum = schema.get("minimum")
        if minimum is not None and isinstance(value, int | float) and value < minimum:
            self.add("invalid value", where, f"{value!r} is below the minimum {minimum}")


def _constrains(schema: Mapping[str, Any]) -> bool:
    return any(
        not (k in ("title", "description", "examples", "default", "deprecated") or k.startswith("x-")) for k in schema
    )


def body(spec: Spec, operation: Operation | None, path: str, status: int, payload: Any) -> list[Drift]:
    """Every departure of a response from what `spec` declares for `GET path`: an operation the spec lacks is
    not looked into (the caller knows it), an undocumented status is one finding, a body is walked."""
    label = f"GET {path}"
    if operation is None:
        return []
    responses = spec.document["paths"][path]["get"]["responses"]
    if str(status) not in responses:
        return [Drift("undocumented status", label, str(status))]
    declared = spec.resolve(responses[str(status)]).get("content", {}).get("application/json", {}).get("schema")
    if declared is None:
        return []
    walk = _Walk(spec, label, undeclared=200 <= status < 300)
    walk.value(payload, declared, "(body)", "(body)")
    return walk.found


def missing_operation(path: str, status: int) -> Drift:
    return Drift("missing operation", f"GET {path}", f"GET {path}", f"answers {status}")
