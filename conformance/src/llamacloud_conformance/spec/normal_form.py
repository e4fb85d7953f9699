"""A canonical spelling of a JSON Schema, so that two spellings of the same constraint compare equal.

`$ref` inlined, `type: [T, 'null']` spelled as `anyOf`, annotations (title, description, examples, default,
deprecated, and every `x-` extension) dropped, defaults of JSON Schema made explicit (`additionalProperties: true`,
`items: {}`) dropped, `1.0` as `1`, and the "any JSON value" union written out upstream as seven branches equal to
the empty schema. Two schemas with the same normal form admit the same instances; the fidelity tests check the
same claim a second way (by example). The keywords it knows are the ones these specs use; any other is refused,
so a spec that starts using a new one fails loudly instead of being compared wrongly.
"""

from __future__ import annotations

import json
from typing import Any

Document = dict[str, Any]
ANNOTATIONS = frozenset({"title", "description", "examples", "default", "deprecated"})


def is_annotation(keyword: str) -> bool:
    """Keywords that say something about a schema without constraining its instances."""
    return keyword in ANNOTATIONS or keyword.startswith("x-")


def resolve(document: Document, ref: str) -> Any:
    """What a local `$ref` (`#/components/...`) points at in `document`."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, not {ref!r}")
    target: Any = document
    for token in ref[2:].split("/"):
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target


_FOR_TYPE = {
    "string": ("format", "minLength", "maxLength", "enum"),
    "integer": ("minimum", "enum"),
    "number": ("minimum", "enum"),
    "boolean": ("enum",),
    "null": (),
    "array": ("items",),
    "object": ("properties", "required", "additionalProperties"),
}
_JSON_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})


def normal_form(schema: Any, document: Document) -> Any:
    """A canonical spelling of `schema` (see the module docstring); `$ref`s resolve against `document`."""
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    rest = {k: v for k, v in schema.items() if not is_annotation(k)}
    if "$ref" in rest:
        target = resolve(document, rest.pop("$ref"))
        if rest:
            raise ValueError(f"normal_form cannot merge $ref with {sorted(rest)}")
        return normal_form(target, document)
    if "anyOf" in rest:
        branches = rest.pop("anyOf")
        if rest:
            raise ValueError(f"normal_form cannot merge anyOf with {sorted(rest)}")
        return _any_of([normal_form(b, document) for b in branches])
    if not rest:
        return {}
    kinds = rest.pop("type", None)
    if kinds is None:
        raise ValueError(f"normal_form needs a `type` next to {sorted(rest)}")
    if isinstance(kinds, list):
        return _any_of([normal_form({**rest, "type": kind}, document) for kind in kinds])
    return _one_type(kinds, rest, document)


def _one_type(kind: str, keywords: dict[str, Any], document: Document) -> dict[str, Any]:
    unknown = set(keywords) - {k for ks in _FOR_TYPE.values() for k in ks}
    if unknown:
        raise ValueError(f"normal_form does not know the keyword(s) {sorted(unknown)}")
    out: dict[str, Any] = {"type": kind}
    for key in _FOR_TYPE[kind]:
        if key not in keywords:
            continue
        value = keywords[key]
        if key == "properties":
            value = {name: normal_form(sub, document) for name, sub in sorted(value.items())}
        elif key in ("required", "enum"):
            value = sorted(value, key=json.dumps)
        elif key in ("items", "additionalProperties"):
            value = normal_form(value, document)
            if value == {}:  # the default: any value
                continue
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = value
    return out


def _any_of(branches: list[Any]) -> Any:
    flat: list[Any] = []
    for branch in branches:
        flat.extend(branch["anyOf"] if set(branch) == {"anyOf"} else [branch])
    if {} in flat:
        return {}
    unique = sorted({json.dumps(b, sort_keys=True): b for b in flat}.values(), key=lambda b: json.dumps(b))
    unconstrained = {b["type"] for b in unique if set(b) == {"type"}}
    if unconstrained | {"integer"} >= _JSON_TYPES:  # every JSON value (an integer is also a number)
        return {}
    return unique[0] if len(unique) == 1 else {"anyOf": unique}
