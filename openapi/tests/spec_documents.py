"""The documents the fidelity tests compare: our spec, the upstream fragments, and what one operation declares.

Also `normal_form`, which rewrites a schema so that two spellings of the same constraint compare equal: `$ref`
inlined, `type: [T, 'null']` spelled as `anyOf`, annotations (title, description, examples, default) dropped,
defaults of JSON Schema made explicit (`additionalProperties: true`, `items: {}`) dropped, `1.0` as `1`, and the
"any JSON value" union written out upstream as seven branches equal to the empty schema. Two schemas with the
same normal form admit the same instances; the property tests check the same claim a second way.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

TESTS = Path(__file__).parent
SPEC_PATH = TESTS.parent / "extract-api.yaml"
UPSTREAM = TESTS / "upstream"

V1_PATH = "/api/v1/extractionv2/runs"
V2_PATH = "/api/v2/extract"
V1_UPSTREAM = "v1-extractionv2-runs-list.openapi-fragment.2025-02-20.json"
V2_UPSTREAM = "v2-extract-list.openapi-fragment.2026-03-28.json"
V2_AFTER_RENAME = "v2-extract-list.openapi-fragment.2026-04-01.json"  # a later snapshot we must NOT match

Document = dict[str, Any]
ANNOTATIONS = frozenset({"title", "description", "examples", "default", "deprecated"})


@cache
def _load_spec() -> str:
    return SPEC_PATH.read_text()


def our_spec() -> Document:
    """A fresh copy of the spec, so that a test may change it."""
    loaded: Document = yaml.safe_load(_load_spec())
    return loaded


def upstream(name: str) -> Document:
    loaded: Document = json.loads((UPSTREAM / name).read_text())
    return loaded


def operation(document: Document, path: str) -> Document:
    found: Document = document["paths"][path]["get"]
    return found


def response_schema(document: Document, path: str, status: str) -> Document:
    """The JSON body schema of one response (its `$ref`s point into `document`)."""
    response = operation(document, path)["responses"][status]
    if "$ref" in response:
        response = resolve(document, response["$ref"])
    found: Document = response["content"]["application/json"]["schema"]
    return found


def bundle(schema: Document, document: Document) -> Document:
    """`schema` as a standalone JSON Schema: with the components its `$ref`s point to."""
    return {**schema, "components": document["components"]}


def validator(schema: Document, document: Document) -> jsonschema.Draft202012Validator:
    """Draft 2020-12, the dialect of OpenAPI 3.1, with format checking (date-time needs rfc3339-validator)."""
    return jsonschema.Draft202012Validator(
        bundle(schema, document), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def resolve(document: Document, ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, not {ref!r}")
    target: Any = document
    for token in ref[2:].split("/"):
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target


def parameters(document: Document, path: str) -> dict[tuple[str, str], Document]:
    """(name, in) -> {required, schema in normal form} for every parameter of the operation."""
    found = {}
    for parameter in operation(document, path)["parameters"]:
        if "$ref" in parameter:
            parameter = resolve(document, parameter["$ref"])
        found[parameter["name"], parameter["in"]] = {
            "required": parameter.get("required", False),
            "schema": normal_form(parameter["schema"], document),
        }
    return found


# ---- normal form ------------------------------------------------------------------------------------------

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
    rest = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
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


# ---- what each property says about itself -----------------------------------------------------------------


def property_annotations(schema: Any, document: Document, at: str = "$") -> dict[str, dict[str, Any]]:
    """JSON path of every declared property -> its description, default and examples (titles excluded)."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = resolve(document, schema["$ref"])
    if not isinstance(schema, dict):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for name, prop in schema.get("properties", {}).items():
        found[f"{at}.{name}"] = {k: prop[k] for k in ("description", "default", "examples") if k in prop}
        found.update(property_annotations(prop, document, f"{at}.{name}"))
    for branch in schema.get("anyOf", []):
        found.update(property_annotations(branch, document, at))
    found.update(property_annotations(schema.get("items"), document, f"{at}[]"))
    found.update(property_annotations(schema.get("additionalProperties"), document, f"{at}.*"))
    return found
