"""The documents the fidelity tests compare: our specs (one per snapshot), the upstream fragments, and what one
operation declares.

The schemas are compared in normal form (`llamacloud_conformance.spec.normal_form`): one spelling per constraint.
Which folders are snapshots, and which is the default, is `llamacloud_conformance.spec.snapshots`'s to say.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.normal_form import Document, normal_form, resolve

OPENAPI = Path(__file__).parents[1]
SNAPSHOTS = OPENAPI / "snapshots"
UPSTREAM = OPENAPI / "upstream"
DEFAULT = snapshots.default_name()

V1_PATH = "/api/v1/extractionv2/runs"  # for the generated-client tests, which know the endpoints by name
V2_PATH = "/api/v2/extract"


def snapshot_names() -> list[str]:
    """Every snapshot folder under openapi/snapshots/, oldest first."""
    return snapshots.names()


def spec_path(snapshot: str) -> Path:
    return SNAPSHOTS / snapshot / snapshots.SPEC_FILE


@cache
def _load_spec(snapshot: str) -> str:
    return spec_path(snapshot).read_text()


def our_spec(snapshot: str = DEFAULT) -> Document:
    """A fresh copy of a snapshot's spec (the default one unless named), so that a test may change it."""
    loaded: Document = yaml.safe_load(_load_spec(snapshot))
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


def _parameter_list(document: Document, path: str) -> list[Document]:
    return [
        resolve(document, parameter["$ref"]) if "$ref" in parameter else parameter
        for parameter in operation(document, path)["parameters"]
    ]


def parameters(document: Document, path: str) -> dict[tuple[str, str], Document]:
    """(name, in) -> {required, deprecated, schema in normal form} for every parameter, in declared order."""
    return {
        (parameter["name"], parameter["in"]): {
            "required": parameter.get("required", False),
            "deprecated": bool(parameter.get("deprecated") or parameter["schema"].get("deprecated")),
            "schema": normal_form(parameter["schema"], document),
        }
        for parameter in _parameter_list(document, path)
    }


def parameter_annotations(document: Document, path: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(name, in) -> the parameter's description and its schema's examples (None where it gives none)."""
    return {
        (p["name"], p["in"]): {"description": p.get("description"), "examples": p["schema"].get("examples")}
        for p in _parameter_list(document, path)
    }


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
