"""Walk two OpenAPI documents side by side, operation by operation, and list every change between them.

Operations are matched by method and path; parameters by location and name; responses by status and media
type; everything below by what it admits (`fields`), so a component that is renamed, inlined or split out
with the same content is no change at all. Descriptions, examples, titles, tags, servers and security are not
compared.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..normal_form import Document
from .compare import Found, Side, compare, pair_renames
from .fields import EXPANDABLE, RENAMED_FROM, Field, field, follow, normal_form, walk
from .rules import Change
from .widening import describe

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"
OPERATION = "(operation)"  # where a change to the operation as a whole is
MEANING_EXTENSIONS = frozenset({"x-llamacloud-meaning", EXPANDABLE})
_LISTED_EXPANSIONS = re.compile(r"include:\s*(.+)$", re.IGNORECASE)


def diff_documents(old: Document, new: Document) -> list[Change]:
    """Every change from `old` to `new`, operation by operation (sorted by path, then method)."""
    changes: list[Change] = []
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(old_ops.keys() | new_ops.keys(), key=lambda k: (k[1], METHODS.index(k[0]))):
        name = f"{key[0].upper()} {key[1]}"
        if key not in new_ops:
            changes.append(Change(name, "api-removed", OPERATION, _deprecated_note(old_ops[key])))
        elif key not in old_ops:
            changes.append(Change(name, "endpoint-added", OPERATION))
        else:
            changes.extend(_operation_changes(name, old, old_ops[key], new, new_ops[key]))
    return changes


def _operations(document: Document) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) -> the operation, with the path item's parameters merged in."""
    found = {}
    for path, item in document.get("paths", {}).items():
        item = _deref(document, item)
        for method in METHODS:
            if method in item:
                operation = dict(item[method])
                overridden = {_param_key(document, p) for p in operation.get("parameters", [])}
                inherited = [p for p in item.get("parameters", []) if _param_key(document, p) not in overridden]
                operation["parameters"] = [*inherited, *operation.get("parameters", [])]
                found[method, path] = operation
    return found


def _operation_changes(
    name: str, old_doc: Document, old: dict[str, Any], new_doc: Document, new: dict[str, Any]
) -> Iterator[Change]:
    if bool(old.get("deprecated")) != bool(new.get("deprecated")):
        yield Change(name, "endpoint-deprecated" if new.get("deprecated") else "endpoint-reactivated", OPERATION)
    if _request_body(old_doc, old) != _request_body(new_doc, new):
        yield Change(name, "request-body-changed", "request body")
    yield from _parameter_changes(name, old_doc, old, new_doc, new)
    was, now = _responses(old_doc, old), _responses(new_doc, new)
    yield from _response_changes(name, was, now)
    yield from _expand_changes(name, expand_values(old_doc, old, was), expand_values(new_doc, new, now))


# ---- parameters ---------------------------------------------------------------------------------------------


def _param_key(document: Document, parameter: dict[str, Any]) -> tuple[str, str]:
    parameter = _deref(document, parameter)
    return parameter["in"], parameter["name"]


class Parameter(NamedTuple):
    field: Field
    required: bool


def _parameters(document: Document, operation: dict[str, Any]) -> dict[str, Parameter]:
    """Each parameter by "location name" (`query status`), in the operation's order.

    A parameter's own description, deprecation and `x-llamacloud-renamed-from` (a name in the same location)
    beat its schema's."""
    found = {}
    for raw in operation.get("parameters", []):
        parameter = _deref(document, raw)
        location = parameter["in"]
        schema = field(parameter.get("schema", True), document)
        renamed_from = parameter.get(RENAMED_FROM, schema.renamed_from)
        described = dataclasses.replace(
            schema,
            description=parameter.get("description", schema.description),
            deprecated=bool(parameter.get("deprecated")) or schema.deprecated,
            renamed_from=f"{location} {renamed_from}" if renamed_from else None,
        )
        found[f"{location} {parameter['name']}"] = Parameter(described, bool(parameter.get("required")))
    return found


def _parameter_changes(
    name: str, old_doc: Document, old: dict[str, Any], new_doc: Document, new: dict[str, Any]
) -> Iterator[Change]:
    was, now = _parameters(old_doc, old), _parameters(new_doc, new)
    removed = {key: p.field for key, p in was.items() if key not in now}
    added = {key: p.field for key, p in now.items() if key not in was}
    required_before = frozenset(key for key in removed if was[key].required)
    required_now = frozenset(key for key in added if now[key].required)
    renames = {new: (old, how) for old, new, how in pair_renames(removed, required_before, added, required_now)}
    for key, parameter in now.items():
        if key in renames:
            old_key, how = renames[key]
            detail = f"`{_name(old_key)}` → `{_name(key)}` ({how})"
            yield Change(name, "request-parameter-renamed", key, detail)
            yield from _parameter(name, key, was[old_key], parameter)
        elif key in was:
            yield from _parameter(name, key, was[key], parameter)
        else:
            kind = "new-required-request-parameter" if parameter.required else "new-optional-request-parameter"
            yield Change(name, kind, key, describe(parameter.field.normal))
    renamed = {old_key for old_key, _ in renames.values()}
    for key, parameter in was.items():
        if key not in now and key not in renamed:
            kind = "required-request-parameter-removed" if parameter.required else "request-parameter-removed"
            note = "; it was deprecated" if parameter.field.deprecated else ""
            yield Change(name, kind, key, describe(parameter.field.normal) + note)


def _parameter(name: str, key: str, old: Parameter, new: Parameter) -> Iterator[Change]:
    if old.required != new.required:
        yield Change(name, f"request-parameter-became-{'required' if new.required else 'optional'}", key)
    location, path = key.split(" ", 1)
    for found in compare(old.field, new.field, path, Side.REQUEST):
        yield _place(name, location, found)


def _name(key: str) -> str:
    return key.split(" ", 1)[1]


# ---- responses ----------------------------------------------------------------------------------------------

Responses = dict[str, dict[str, Field]]  # status -> media type -> the body


def _responses(document: Document, operation: dict[str, Any]) -> Responses:
    """status -> media type -> the body's field."""
    found = {}
    for status, raw in operation.get("responses", {}).items():
        response = _deref(document, raw)
        found[str(status)] = {
            media: field(content.get("schema", True), document)
            for media, content in response.get("content", {}).items()
        }
    return found


def _response_changes(name: str, was: Responses, now: Responses) -> Iterator[Change]:
    for status in sorted(was.keys() | now.keys()):
        success = "success" if status.startswith("2") else "non-success"
        if status not in now:
            yield Change(name, f"response-{success}-status-removed", status)
        elif status not in was:
            yield Change(name, f"response-{success}-status-added", status)
        else:
            for media in sorted(was[status].keys() | now[status].keys()):
                where = status if media == JSON else f"{status} {media}"
                if media not in now[status]:
                    yield Change(name, "response-media-type-removed", where, media)
                elif media not in was[status]:
                    yield Change(name, "response-media-type-added", where, media)
                else:
                    for found in compare(was[status][media], now[status][media], "", Side.RESPONSE):
                        yield _place(name, where, found)


# ---- expand -------------------------------------------------------------------------------------------------


def expand_values(document: Document, operation: dict[str, Any], responses: Responses) -> dict[str, str]:
    """Each value `expand=` takes -> the body field it fills (empty when only its name is known).

    A spec that declares meaning with extensions marks each such property `x-llamacloud-expandable: true` (the
    value is its name). A spec without them, as upstream's, says it in prose: a property's description ends
    "Requires `expand=NAME`", and the `expand` parameter's description lists values ("...to include: a, b")."""
    fields = [
        (f"{status} {path}", name, f)
        for status, bodies in responses.items()
        if status.startswith("2")
        for body in bodies.values()
        for path, name, f in walk(body)
    ]
    if _declares_meaning(document):
        return {name: where for where, name, f in fields if f.expandable}
    values = {f.expand_named: where for where, _, f in fields if f.expand_named}
    for listed in _listed_expansions(document, operation):
        values.setdefault(listed, next((where for where, name, _ in fields if name == listed), ""))
    return dict(sorted(values.items()))


def _listed_expansions(document: Document, operation: dict[str, Any]) -> list[str]:
    for raw in operation.get("parameters", []):
        parameter = _deref(document, raw)
        if parameter.get("name") == "expand" and parameter.get("in") == "query":
            match = _LISTED_EXPANSIONS.search(parameter.get("description", ""))
            if match:
                return [value.strip(" .`'") for value in re.split(r",|\band\b", match.group(1)) if value.strip(" .`'")]
    return []


def _expand_changes(name: str, was: dict[str, str], now: dict[str, str]) -> Iterator[Change]:
    for value in sorted(now.keys() - was.keys()):
        yield Change(name, "expand-value-added", "query expand", _fills(value, now[value]))
    for value in sorted(was.keys() - now.keys()):
        yield Change(name, "expand-value-removed", "query expand", _fills(value, was[value]))


def _fills(value: str, where: str) -> str:
    return f"`{value}` (fills {where})" if where else f"`{value}`"


# ---- helpers ------------------------------------------------------------------------------------------------


def _place(operation: str, prefix: str, found: Found) -> Change:
    return Change(operation, found.kind, f"{prefix} {found.path or '(body)'}", found.detail)


def _deref(document: Document, item: Any) -> Any:
    seen = set()
    while isinstance(item, dict) and "$ref" in item:
        if item["$ref"] in seen:
            raise ValueError(f"{item['$ref']} refers to itself")
        seen.add(item["$ref"])
        item = follow(document, item["$ref"])
    return item


def _request_body(document: Document, operation: dict[str, Any]) -> str:
    body = _deref(document, operation.get("requestBody", {}))
    content = {media: normal_form(c.get("schema", True), document) for media, c in body.get("content", {}).items()}
    return json.dumps([bool(body.get("required")), content], sort_keys=True)


def _deprecated_note(operation: dict[str, Any]) -> str:
    return "it was deprecated" if operation.get("deprecated") else ""


def _declares_meaning(document: Any) -> bool:
    """The document says what its parameters and fields mean with extensions (as this kit's snapshots do)."""
    if isinstance(document, dict):
        return any(k in MEANING_EXTENSIONS or _declares_meaning(v) for k, v in document.items())
    if isinstance(document, list):
        return any(_declares_meaning(v) for v in document)
    return False
