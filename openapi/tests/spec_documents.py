"""The documents the fidelity tests compare: our spec, the upstream fragments, and what one operation declares.

The schemas are compared in normal form (`llamacloud_conformance.spec.normal_form`): one spelling per constraint.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from llamacloud_conformance.spec.normal_form import Document, normal_form, resolve

OPENAPI = Path(__file__).parents[1]
SPEC_PATH = OPENAPI / "snapshots" / (OPENAPI / "snapshots" / "DEFAULT").read_text().strip() / "extract-api.yaml"
UPSTREAM = OPENAPI / "upstream"

V1_PATH = "/api/v1/extractionv2/runs"
V2_PATH = "/api/v2/extract"
V1_UPSTREAM = "v1-extractionv2-runs-list.openapi-fragment.2025-02-20.json"
V2_UPSTREAM = "v2-extract-list.openapi-fragment.2026-03-28.json"
V2_AFTER_RENAME = "v2-extract-list.openapi-fragment.2026-04-01.json"  # a later snapshot we must NOT match


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
