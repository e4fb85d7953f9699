"""The spec is a valid OpenAPI 3.1 document, and its examples are instances of its own schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

SPEC_PATH = (
    Path(__file__).parents[1]
    / "snapshots"
    / (Path(__file__).parents[1] / "snapshots" / "DEFAULT").read_text().strip()
    / "extract-api.yaml"
)
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())


def test_spec_is_valid_openapi_3_1() -> None:
    validate(SPEC)


def _media_examples() -> list[tuple[str, dict[str, Any], Any]]:
    found = []
    responses = [
        (f"{method.upper()} {path} {status}", response)
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        for status, response in operation["responses"].items()
    ]
    responses += [(f"components/responses/{name}", r) for name, r in SPEC["components"]["responses"].items()]
    for where, response in responses:
        for media in response.get("content", {}).values():
            for name, example in media.get("examples", {}).items():
                found.append((f"{where} {name}", media["schema"], example["value"]))
    return found


@pytest.mark.parametrize(("schema", "value"), [e[1:] for e in _media_examples()], ids=[e[0] for e in _media_examples()])
def test_examples_validate_against_their_schema(schema: dict[str, Any], value: Any) -> None:
    resolvable = {**schema, "components": SPEC["components"]}
    jsonschema.Draft202012Validator(resolvable, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        value
    )


def test_both_seed_examples_are_present() -> None:
    names = {e[0] for e in _media_examples()}
    assert "GET /api/v1/extractionv2/runs 200 reference-page" in names
    assert "GET /api/v2/extract 200 reference-page" in names
