"""One place of a parameter or a response body, as the differ compares it: `$ref`s followed, null split off.

A JSON Schema spells "this object, or null" in several ways (`type: [T, 'null']`, `anyOf: [$ref, {type: null}]`)
and puts a property's annotations (description, default, deprecated, `x-llamacloud-*`) beside a `$ref` or inside
its target. `field` reads all of that into one `Field`: whether null is allowed, the annotations (the outermost
wins), and the shape of the rest (an object with its properties, an array with its items, or a leaf). A Field
also gives the normal form of what it admits (`normal_form`), so that two spellings compare equal whatever the
components are called.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from typing import Any

from ..normal_form import Document, resolve
from ..normal_form import normal_form as _normal_form

NULL = {"type": "null"}
ANY: dict[str, Any] = {}
EXPANDABLE = "x-llamacloud-expandable"
RENAMED_FROM = "x-llamacloud-renamed-from"
_REQUIRES_EXPAND = re.compile(r"Requires `expand=([A-Za-z0-9_]+)`")


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


@dataclasses.dataclass(frozen=True)
class ObjectShape:
    properties: dict[str, Field]
    required: frozenset[str]
    additional: Field  # what undeclared properties must be (`ANY_FIELD` when anything goes)


@dataclasses.dataclass(frozen=True)
class ArrayShape:
    items: Field


@dataclasses.dataclass(frozen=True)
class LeafShape:
    """Anything else: a scalar, a union of several shapes, or any value; compared by normal form only."""

    enum: tuple[Any, ...] | None  # the allowed values, sorted, when the leaf lists them


Shape = ObjectShape | ArrayShape | LeafShape


@dataclasses.dataclass(frozen=True)
class Field:
    shape: Shape
    null_branch: bool  # null is allowed beside the rest (`type: [T, 'null']`, an `anyOf` branch)
    schema: Any = dataclasses.field(repr=False)  # the rest, as written
    document: Document = dataclasses.field(repr=False, compare=False)
    description: str | None = None
    default: Any = NO_DEFAULT
    deprecated: bool = False
    expandable: bool = False  # x-llamacloud-expandable
    renamed_from: str | None = None  # x-llamacloud-renamed-from

    @functools.cached_property
    def core(self) -> Any:
        """The normal form of what the field admits besides null (computed when a comparison needs it)."""
        return normal_form(self.schema, self.document)

    @property
    def nullable(self) -> bool:
        return self.null_branch or (isinstance(self.shape, LeafShape) and self.core == ANY)

    @property
    def normal(self) -> Any:
        """The normal form of everything the field admits, null included."""
        return _with_null(self.core) if self.nullable else self.core

    @property
    def expand_named(self) -> str | None:
        """The `expand` value a description says fills this field ("Requires `expand=usage`"), if any."""
        match = _REQUIRES_EXPAND.search(self.description or "")
        return match.group(1) if match else None


ANY_FIELD = Field(shape=LeafShape(enum=None), null_branch=False, schema=ANY, document={})


def field(schema: Any, document: Document) -> Field:
    """Read a schema (with its annotations) into a Field; `$ref`s resolve against `document`."""
    layers: list[dict[str, Any]] = []
    null_branch = False
    current = _as_dict(schema)
    seen: set[str] = set()
    while True:
        layers.append(current)
        if "$ref" in current:
            ref = current["$ref"]
            if ref in seen:
                raise ValueError(f"the differ cannot compare recursive schemas ({ref} refers to itself)")
            seen.add(ref)
            current = _as_dict(follow(document, ref))
            continue
        if "anyOf" in current:
            branches = [b for b in current["anyOf"] if normal_form(b, document) != NULL]
            null_branch = null_branch or len(branches) < len(current["anyOf"])
            if len(branches) == 1:
                current = _as_dict(branches[0])
                continue
            rest = {"anyOf": branches} if branches else NULL
            return _build(layers, rest, document, null_branch and bool(branches), _leaf(rest, document))
        kinds = current.get("type")
        if isinstance(kinds, list):
            others = [kind for kind in kinds if kind != "null"]
            null_branch = null_branch or len(others) < len(kinds)
            if len(others) == 1:
                current = {**current, "type": others[0]}
                continue
            rest = {**current, "type": others}
            return _build(layers, rest, document, null_branch, _leaf(rest, document))
        break
    return _build(layers, current, document, null_branch, _shape(current, document))


def _shape(schema: dict[str, Any], document: Document) -> Shape:
    kind = schema.get("type")
    if kind == "object":
        extra = schema.get("additionalProperties", True)
        return ObjectShape(
            properties={name: field(sub, document) for name, sub in sorted(schema.get("properties", {}).items())},
            required=frozenset(schema.get("required", ())),
            additional=ANY_FIELD if normal_form(extra, document) == ANY else field(extra, document),
        )
    if kind == "array":
        return ArrayShape(items=field(schema.get("items", True), document))
    return _leaf(schema, document)


def _leaf(schema: dict[str, Any], document: Document) -> LeafShape:
    core = normal_form(schema, document)
    enum = core.get("enum") if isinstance(core, dict) else None
    return LeafShape(enum=tuple(enum) if enum is not None else None)


def _build(layers: list[dict[str, Any]], rest: Any, document: Document, null_branch: bool, shape: Shape) -> Field:
    """The outermost layer that says something wins: a property's description beats its component's."""

    def first(key: str, absent: Any = None) -> Any:
        return next((layer[key] for layer in layers if key in layer), absent)

    return Field(
        shape=shape,
        null_branch=null_branch,
        schema=rest,
        document=document,
        description=first("description"),
        default=first("default", NO_DEFAULT),
        deprecated=any(layer.get("deprecated", False) for layer in layers),
        expandable=bool(layers[0].get(EXPANDABLE, False)),
        renamed_from=layers[0].get(RENAMED_FROM),
    )


def follow(document: Document, ref: str) -> Any:
    """What a `$ref` points at, or a ValueError naming it."""
    try:
        return resolve(document, ref)
    except (KeyError, IndexError, TypeError):
        raise ValueError(f"the $ref {ref!r} points at nothing") from None


def normal_form(schema: Any, document: Document) -> Any:
    """`normal_form`, with a `$ref` that points at nothing reported as a ValueError."""
    try:
        return _normal_form(schema, document)
    except KeyError as error:
        raise ValueError(f"a $ref points at nothing (no {error} in the document)") from None


def _as_dict(schema: Any) -> dict[str, Any]:
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    if not isinstance(schema, dict):
        raise ValueError(f"a schema must be an object or a boolean, not {schema!r}")
    return schema


def _with_null(core: Any) -> Any:
    return normal_form({"anyOf": [core, NULL]}, {})


def child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def items_of(path: str) -> str:
    return f"{path}[]"


def walk(top: Field, path: str = "") -> Iterator[tuple[str, str, Field]]:
    """Every property under `top` (through arrays and objects) as (path, name, field), parents first."""
    shape = top.shape
    if isinstance(shape, ArrayShape):
        yield from walk(shape.items, items_of(path))
    elif isinstance(shape, ObjectShape):
        for name, sub in shape.properties.items():
            yield child(path, name), name, sub
            yield from walk(sub, child(path, name))
