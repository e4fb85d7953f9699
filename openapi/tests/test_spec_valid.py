"""Every snapshot's spec is a valid OpenAPI 3.1 document, and its examples are instances of its own schemas."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from spec_documents import our_spec, snapshot_names

SPECS = {name: our_spec(name) for name in snapshot_names()}


@pytest.mark.parametrize("snapshot", SPECS)
def test_spec_is_valid_openapi_3_1(snapshot: str) -> None:
    validate(SPECS[snapshot])


def _responses(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [
        (f"{method.upper()} {path} {status}", response)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        for status, response in operation["responses"].items()
    ]
    return found + [(f"components/responses/{name}", r) for name, r in spec["components"]["responses"].items()]


def _media_examples() -> list[tuple[str, str, dict[str, Any], Any]]:
    found = []
    for snapshot, spec in SPECS.items():
        for where, response in _responses(spec):
            for media in response.get("content", {}).values():
                for name, example in media.get("examples", {}).items():
                    found.append((snapshot, f"{snapshot} {where} {name}", media["schema"], example["value"]))
    return found


@pytest.mark.parametrize(
    ("snapshot", "schema", "value"), [(e[0], *e[2:]) for e in _media_examples()], ids=[e[1] for e in _media_examples()]
)
def test_examples_validate_against_their_schema(snapshot: str, schema: dict[str, Any], value: Any) -> None:
    resolvable = {**schema, "components": SPECS[snapshot]["components"]}
    jsonschema.Draft202012Validator(resolvable, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        value
    )


@pytest.mark.parametrize("snapshot", SPECS)
def test_every_successful_response_carries_an_example(snapshot: str) -> None:
    """The reference pages' examples where upstream has them (2026-03-28), ours where it has none."""
    examples = {e[1] for e in _media_examples() if e[0] == snapshot}
    for where, _ in _responses(SPECS[snapshot]):
        if where.endswith(" 200"):
            assert any(name.startswith(f"{snapshot} {where} ") for name in examples), where
