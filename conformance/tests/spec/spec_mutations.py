"""Every single edit of a few kinds that can be made to a spec, each with the one change a differ must report.

`inline` first replaces every `$ref` by a copy of its target, so that each place of the document is written
once and an edit changes exactly one place. The expectations here are written from the edit, independently of
the differ: a removed required property must come back as `response-required-property-removed` at its path,
and as `response-required-property-added` the other way round.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Json = Any
Locator = tuple[str | int, ...]
NULL = {"type": "null"}
NEW = "zz_added"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ANNOTATIONS = ("title", "description", "examples", "default", "deprecated")


@dataclass(frozen=True)
class Mutation:
    label: str
    operation: str
    forward: tuple[str, str]  # (kind, where) the differ reports from the original to the edited spec
    backward: tuple[str, str] | None  # and from the edited spec back (None: not a single change)
    edit: Callable[[Json], None]  # applied to a copy of the inlined document


def inline(document: Json) -> Json:
    """The document with every `$ref` replaced by its target (siblings of the `$ref` kept on top)."""

    def resolve(node: Json, seen: tuple[str, ...]) -> Json:
        if isinstance(node, list):
            return [resolve(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            target: Json = document
            for token in ref[2:].split("/"):
                target = target[token]
            siblings = {k: resolve(v, seen) for k, v in node.items() if k != "$ref"}
            return {**resolve(copy.deepcopy(target), (*seen, ref)), **siblings}
        return {k: resolve(v, seen) for k, v in node.items()}

    inlined = resolve({k: v for k, v in document.items() if k != "components"}, ())
    inlined["components"] = {k: v for k, v in document.get("components", {}).items() if k == "securitySchemes"}
    return inlined


def at(document: Json, locator: Locator) -> Json:
    node = document
    for key in locator:
        node = node[key]
    return node


def mutations(document: Json) -> list[Mutation]:
    """Every edit this module knows for `document` (an inlined one)."""
    extensions = _declares_meaning(document)
    found: list[Mutation] = []
    for path, item in document["paths"].items():
        for method in (m for m in METHODS if m in item):
            operation = item[method]
            found += _operation(f"{method.upper()} {path}", ("paths", path, method), operation, extensions)
    return found


# ---- operations ---------------------------------------------------------------------------------------------


def _operation(name: str, loc: Locator, operation: Json, extensions: bool) -> Iterator[Mutation]:
    def remove(doc: Json) -> None:
        item = at(doc, loc[:-1])
        del item[loc[-1]]
        if not any(m in item for m in METHODS):
            del doc["paths"][loc[1]]

    yield Mutation(f"{name} removed", name, ("api-removed", "(operation)"), ("endpoint-added", "(operation)"), remove)
    kinds = ("endpoint-deprecated", "endpoint-reactivated")
    forward, backward = kinds if not operation.get("deprecated") else kinds[::-1]
    yield Mutation(f"{name} {forward}", name, (forward, "(operation)"), (backward, "(operation)"), _toggle_flag(loc))
    for required in (False, True):
        added = {"name": NEW, "in": "query", "required": required, "schema": {"type": "string"}}
        kind = "new-required-request-parameter" if required else "new-optional-request-parameter"
        back = "required-request-parameter-removed" if required else "request-parameter-removed"

        def add(doc: Json, added: Json = added) -> None:
            at(doc, loc).setdefault("parameters", []).append(added)

        yield Mutation(f"{name} {kind}", name, (kind, f"query {NEW}"), (back, f"query {NEW}"), add)
    has_expand = any(p.get("name") == "expand" for p in operation.get("parameters", []))
    for index, parameter in enumerate(operation.get("parameters", [])):
        yield from _parameter(
            name, (*loc, "parameters", index), parameter, removable=extensions or parameter["name"] != "expand"
        )
    for status, response in operation.get("responses", {}).items():
        success = "success" if str(status).startswith("2") else "non-success"
        if success == "non-success" or not has_expand:  # the body of a 2xx declares what `expand` fills
            yield Mutation(
                f"{name} {status} removed", name, (f"response-{success}-status-removed", str(status)),
                (f"response-{success}-status-added", str(status)), _delete((*loc, "responses", status)),
            )  # fmt: skip
        for media, content in response.get("content", {}).items():
            body = (*loc, "responses", status, "content", media, "schema")
            for path, node_loc, node in _objects(content.get("schema", {}), body, ""):
                yield from _object(name, str(status), path, node_loc, node, extensions and success == "success")


# ---- parameters ---------------------------------------------------------------------------------------------


def _parameter(operation: str, loc: Locator, parameter: Json, removable: bool) -> Iterator[Mutation]:
    where = f"{parameter['in']} {parameter['name']}"
    label = f"{operation} {where}"
    required = bool(parameter.get("required"))
    if removable:
        kind = "required-request-parameter-removed" if required else "request-parameter-removed"
        back = "new-required-request-parameter" if required else "new-optional-request-parameter"
        yield Mutation(f"{label} removed", operation, (kind, where), (back, where), _delete(loc))
        renamed = f"{parameter['name']}_renamed"

        def rename(doc: Json) -> None:
            at(doc, loc).update({"name": renamed, "x-llamacloud-renamed-from": parameter["name"]})

        kind = "request-parameter-renamed"
        yield Mutation(f"{label} renamed", operation, (kind, f"{parameter['in']} {renamed}"), None, rename)
    kinds = ("request-parameter-became-required", "request-parameter-became-optional")
    forward, backward = kinds if not required else kinds[::-1]
    yield Mutation(f"{label} {forward}", operation, (forward, where), (backward, where), _toggle_flag(loc, "required"))
    schema_loc = (*loc, "schema")
    deprecated = bool(parameter.get("deprecated")) or _deprecated_anywhere(parameter.get("schema", {}))
    kinds = ("request-parameter-deprecated", "request-parameter-reactivated")
    forward, backward = kinds if not deprecated else kinds[::-1]

    def deprecation(doc: Json) -> None:
        if deprecated:
            at(doc, loc).pop("deprecated", None)
            _undeprecate(at(doc, schema_loc))
        else:
            at(doc, loc)["deprecated"] = True

    yield Mutation(f"{label} {forward}", operation, (forward, where), (backward, where), deprecation)
    yield from _schema(operation, "request-parameter", where, schema_loc, parameter.get("schema", {}))


# ---- response bodies ----------------------------------------------------------------------------------------


def _objects(schema: Json, loc: Locator, path: str) -> Iterator[tuple[str, Locator, Json]]:
    """Every object a body holds, with the path the differ names it by and where it is in the document."""
    node, node_loc = schema, loc
    while "anyOf" in node:
        rest = [(i, b) for i, b in enumerate(node["anyOf"]) if b != NULL]
        if len(rest) != 1:
            return
        node_loc, node = (*node_loc, "anyOf", rest[0][0]), rest[0][1]
    kinds = node.get("type")
    if isinstance(kinds, list):
        kinds = [k for k in kinds if k != "null"]
        kinds = kinds[0] if len(kinds) == 1 else None
    if kinds == "object":
        yield path, node_loc, node
        for name, sub in node.get("properties", {}).items():
            yield from _objects(sub, (*node_loc, "properties", name), f"{path}.{name}" if path else name)
    elif kinds == "array":
        yield from _objects(node.get("items", {}), (*node_loc, "items"), f"{path}[]")


def _object(
    operation: str, status: str, path: str, loc: Locator, node: Json, expand_by_flag: bool
) -> Iterator[Mutation]:
    def where(name: str) -> str:
        return f"{status} {path}.{name}" if path else f"{status} {name}"

    required = list(node.get("required", []))
    for needed in (False, True):
        kind = f"response-{'required' if needed else 'optional'}-property-added"
        back = f"response-{'required' if needed else 'optional'}-property-removed"

        def add(doc: Json, needed: bool = needed) -> None:
            target = at(doc, loc)
            target.setdefault("properties", {})[NEW] = {"type": "string"}
            if needed:
                target.setdefault("required", []).append(NEW)

        yield Mutation(f"{operation} {where(NEW)} {kind}", operation, (kind, where(NEW)), (back, where(NEW)), add)
    for name, schema in node.get("properties", {}).items():
        yield from _property(
            operation, where(name), (*loc, "properties", name), name in required, schema, expand_by_flag
        )


def _property(
    operation: str, where: str, loc: Locator, required: bool, schema: Json, expand_by_flag: bool
) -> Iterator[Mutation]:
    label = f"{operation} {where}"
    parent, name = loc[:-2], str(loc[-1])
    needed = "required" if required else "optional"
    text = json.dumps(schema)
    fills_expand = "x-llamacloud-expandable" in text or "expand=" in text  # here or below
    if not fills_expand:
        kind, back = f"response-{needed}-property-removed", f"response-{needed}-property-added"

        def remove(doc: Json) -> None:
            del at(doc, parent)["properties"][name]
            if required:
                at(doc, parent)["required"].remove(name)

        yield Mutation(f"{label} removed", operation, (kind, where), (back, where), remove)
        renamed = f"{name}_renamed"
        new_where = where[: -len(name)] + renamed

        def rename(doc: Json, declare: bool) -> None:
            properties = at(doc, parent)["properties"]
            properties[renamed] = properties.pop(name)
            if declare:
                properties[renamed]["x-llamacloud-renamed-from"] = name
            if required:
                needs = at(doc, parent)["required"]
                needs[needs.index(name)] = renamed

        kind = "response-property-renamed"
        yield Mutation(f"{label} renamed", operation, (kind, new_where), None, lambda doc: rename(doc, True))
        if required and schema.get("description"):  # the differ should guess this one, both ways
            yield Mutation(
                f"{label} probably renamed", operation, (kind, new_where), (kind, where), lambda doc: rename(doc, False)
            )
    kinds = ("response-property-became-required", "response-property-became-optional")
    forward, backward = kinds if not required else kinds[::-1]

    def requiredness(doc: Json) -> None:
        target = at(doc, parent)
        if required:
            target["required"].remove(name)
        else:
            target.setdefault("required", []).append(name)

    yield Mutation(f"{label} {forward}", operation, (forward, where), (backward, where), requiredness)
    kinds = ("response-property-deprecated", "response-property-reactivated")
    deprecated = _deprecated_anywhere(schema)
    forward, backward = kinds if not deprecated else kinds[::-1]

    def deprecation(doc: Json) -> None:
        if deprecated:
            _undeprecate(at(doc, loc))
        else:
            at(doc, loc)["deprecated"] = True

    yield Mutation(f"{label} {forward}", operation, (forward, where), (backward, where), deprecation)
    if expand_by_flag:
        flagged = bool(schema.get("x-llamacloud-expandable"))
        kinds = ("expand-value-added", "expand-value-removed")
        forward, backward = kinds if not flagged else kinds[::-1]

        def flag(doc: Json) -> None:
            if flagged:
                del at(doc, loc)["x-llamacloud-expandable"]
            else:
                at(doc, loc)["x-llamacloud-expandable"] = True

        yield Mutation(f"{label} {forward}", operation, (forward, "query expand"), (backward, "query expand"), flag)
    yield from _schema(operation, "response-property", where, loc, schema)


# ---- one schema: nullability, enum values, type, default ----------------------------------------------------


def _schema(operation: str, prefix: str, where: str, loc: Locator, schema: Json) -> Iterator[Mutation]:
    label = f"{operation} {where}"

    def one(name: str, forward: str, backward: str, edit: Callable[[Json], None]) -> Mutation:
        return Mutation(
            f"{label} {name}", operation, (f"{prefix}-{forward}", where), (f"{prefix}-{backward}", where), edit
        )

    if _admits_anything(schema):
        return
    if (isinstance(schema.get("type"), list) and "null" in schema["type"]) or NULL in schema.get("anyOf", []):

        def not_null(doc: Json) -> None:
            target = at(doc, loc)
            if "anyOf" in target:
                target["anyOf"] = [b for b in target["anyOf"] if b != NULL]
            else:
                target["type"] = [k for k in target["type"] if k != "null"]

        yield one("not nullable", "became-not-nullable", "became-nullable", not_null)
    else:

        def nullable(doc: Json) -> None:
            target = at(doc, loc)
            constraints = {k: target.pop(k) for k in list(target) if k not in _ANNOTATIONS and not k.startswith("x-")}
            target["anyOf"] = [constraints, NULL]

        yield one("nullable", "became-nullable", "became-not-nullable", nullable)
    core_loc, core = _core(schema, loc)
    if core_loc is None:
        return
    if "enum" in core:
        values = core["enum"]
        yield one("enum+", "enum-value-added", "enum-value-removed", lambda doc: at(doc, core_loc)["enum"].append(NEW))
        if len(values) > 1:
            yield one("enum-", "enum-value-removed", "enum-value-added", lambda doc: at(doc, core_loc)["enum"].pop())
    if {k for k in core if k not in _ANNOTATIONS and not k.startswith("x-")} == {"type"}:
        kinds = core["type"] if isinstance(core["type"], list) else [core["type"]]
        for old, new, how, undo in (
            ("string", "integer", "changed", "changed"),
            ("integer", "number", "generalized", "specialized"),
        ):
            if old in kinds:

                def retype(doc: Json, old: str = old, new: str = new) -> None:
                    target = at(doc, core_loc)
                    spelled = target["type"]
                    target["type"] = [new if k == old else k for k in spelled] if isinstance(spelled, list) else new

                yield one(f"{old} to {new}", f"type-{how}", f"type-{undo}", retype)
    if "default" not in schema:
        yield one(
            "default added",
            "default-value-added",
            "default-value-removed",
            lambda doc: at(doc, loc).update(default=NEW),
        )
    elif isinstance(schema["default"], bool | int | str):
        value = schema["default"]
        other = (not value) if isinstance(value, bool) else value + 1 if isinstance(value, int) else value + "_changed"
        yield one(
            "default changed",
            "default-value-changed",
            "default-value-changed",
            lambda doc: at(doc, loc).update(default=other),
        )
        yield one(
            "default removed", "default-value-removed", "default-value-added", lambda doc: at(doc, loc).pop("default")
        )


def _core(schema: Json, loc: Locator) -> tuple[Locator | None, Json]:
    """Where the non-null part of a schema is, and what it is, when it is one schema."""
    while "anyOf" in schema:
        rest = [(i, b) for i, b in enumerate(schema["anyOf"]) if b != NULL]
        if len(rest) != 1:
            return None, None
        loc, schema = (*loc, "anyOf", rest[0][0]), rest[0][1]
    return loc, schema


def _admits_anything(schema: Json) -> bool:
    return not any(k not in _ANNOTATIONS and not k.startswith("x-") for k in schema)


def _deprecated_anywhere(schema: Json) -> bool:
    return bool(schema.get("deprecated")) or any(_deprecated_anywhere(b) for b in schema.get("anyOf", []))


def _undeprecate(schema: Json) -> None:
    schema.pop("deprecated", None)
    for branch in schema.get("anyOf", []):
        _undeprecate(branch)


def _toggle_flag(loc: Locator, flag: str = "deprecated") -> Callable[[Json], None]:
    def toggle(doc: Json) -> None:
        target = at(doc, loc)
        target[flag] = not target.get(flag, False)

    return toggle


def _delete(loc: Locator) -> Callable[[Json], None]:
    def delete(doc: Json) -> None:
        del at(doc, loc[:-1])[loc[-1]]

    return delete


def _declares_meaning(node: Json) -> bool:
    """The spec says what `expand` fills with x-llamacloud-expandable, not in prose."""
    text = json.dumps(node)
    return '"x-llamacloud-meaning"' in text or '"x-llamacloud-expandable"' in text
