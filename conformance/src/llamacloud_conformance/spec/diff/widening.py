"""Whether one schema admits every instance of another, and a short English name for a schema.

Both work on normal forms (`normal_form`), so they only meet the keywords it knows. `admits` is sound but not
complete: when it says yes, every instance of the narrower schema is one of the wider (the tests check that by
example); when it cannot tell, it says no, and the differ then reports a plain type change, which breaks both
sides. That errs on the side of reporting too much.
"""

from __future__ import annotations

import json
from typing import Any

NOTHING: dict[str, Any] = {"not": {}}


def admits(general: Any, specific: Any) -> bool:
    """Every instance of `specific` is an instance of `general` (both in normal form)."""
    if general == {} or specific == NOTHING:
        return True
    if "anyOf" in specific:
        return all(admits(general, branch) for branch in specific["anyOf"])
    if "anyOf" in general:
        return any(admits(branch, specific) for branch in general["anyOf"])
    if specific == {} or "type" not in general or "type" not in specific:
        return False
    if general["type"] != specific["type"] and (general["type"], specific["type"]) != ("number", "integer"):
        return False
    return _keywords_admit(general, specific)


def _keywords_admit(general: dict[str, Any], specific: dict[str, Any]) -> bool:
    if "enum" in general and not _subset(specific.get("enum"), general["enum"]):
        return False
    if "format" in general and specific.get("format") != general["format"]:
        return False
    if specific.get("minLength", 0) < general.get("minLength", 0):
        return False
    if "maxLength" in general and specific.get("maxLength", general["maxLength"] + 1) > general["maxLength"]:
        return False
    if "minimum" in general and specific.get("minimum", general["minimum"] - 1) < general["minimum"]:
        return False
    if general["type"] == "array":
        return admits(general.get("items", {}), specific.get("items", {}))
    if general["type"] == "object":
        return _object_admits(general, specific)
    return True


def _object_admits(general: dict[str, Any], specific: dict[str, Any]) -> bool:
    if not set(general.get("required", ())) <= set(specific.get("required", ())):
        return False
    general_extra, specific_extra = general.get("additionalProperties", {}), specific.get("additionalProperties", {})
    names = set(general.get("properties", {})) | set(specific.get("properties", {}))
    for name in names:
        wide = general.get("properties", {}).get(name, general_extra)
        narrow = specific.get("properties", {}).get(name, specific_extra)
        if not admits(wide, narrow):
            return False
    return admits(general_extra, specific_extra)


def _subset(values: list[Any] | None, allowed: list[Any]) -> bool:
    if values is None:
        return False
    spelled = {json.dumps(value, sort_keys=True) for value in allowed}
    return all(json.dumps(value, sort_keys=True) in spelled for value in values)


def describe(schema: Any) -> str:
    """`string (uuid)`, `integer ≥ 1`, `array of string`, `object`, `string or null`, `any value`."""
    if schema == {}:
        return "any value"
    if schema == NOTHING:
        return "nothing"
    if "anyOf" in schema:
        branches = sorted(schema["anyOf"], key=lambda branch: branch == {"type": "null"})  # null last
        return " or ".join(describe(branch) for branch in branches)
    kind = schema["type"]
    if kind == "array":
        return f"array of {describe(schema.get('items', {}))}"
    if kind == "object":
        names = sorted(schema.get("properties", {}))
        return f"object ({', '.join(names)})" if names else "object"
    text = kind
    if "enum" in schema:
        text += " " + "/".join(json.dumps(value) for value in schema["enum"])
    qualifiers = [schema["format"]] if "format" in schema else []
    qualifiers += [f"{word} {schema[key]}" for key, word in _BOUNDS if key in schema]
    return f"{text} ({', '.join(qualifiers)})" if qualifiers else text


_BOUNDS = (("minLength", "min length"), ("maxLength", "max length"), ("minimum", "≥"))
