"""Our spec says what the upstream fragments say, apart from the differences in documented_differences.py.

Two independent checks per response: the property tests draw instances from one side and validate them against
the other (both directions), and the structural tests compare normal forms (spec_documents.normal_form) plus
what each property says about itself. Parameters and operation metadata are compared structurally.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from llamacloud_conformance.strategies import from_schema

from documented_differences import ADDED_RESPONSES, V1_SEED_ERA, v1_seed_era
from spec_documents import (
    UPSTREAM,
    V1_PATH,
    V2_AFTER_RENAME,
    V2_PATH,
    V2_UPSTREAM,
    Document,
    normal_form,
    operation,
    our_spec,
    parameters,
    property_annotations,
    response_schema,
    upstream,
    validator,
)

OURS = our_spec()
REFERENCES = {V2_PATH: upstream(V2_UPSTREAM), V1_PATH: v1_seed_era()}
COMPARED = [(path, status) for path in (V2_PATH, V1_PATH) for status in ("200", "422")]
IDS = [f"{'v2' if path == V2_PATH else 'v1'}-{status}" for path, status in COMPARED]

EXAMPLES = settings(
    max_examples=300,
    deadline=None,  # no timed assertions: the machine is shared
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _document(side: str, path: str) -> Document:
    return OURS if side == "ours" else REFERENCES[path]


# Built once: a strategy or validator built per example would cost more than the example itself.
STRATEGIES = {
    (side, path, status): from_schema(response_schema(_document(side, path), path, status), root=_document(side, path))
    for side in ("ours", "upstream")
    for path, status in COMPARED
}
VALIDATORS = {
    (side, path, status): validator(response_schema(_document(side, path), path, status), _document(side, path))
    for side in ("ours", "upstream")
    for path, status in COMPARED
}


def _assert_valid(side: str, path: str, status: str, instance: Any) -> None:
    errors = list(VALIDATORS[side, path, status].iter_errors(instance))
    assert not errors, "\n".join(f"at {e.json_path}: {e.message}" for e in errors)


# ---- both directions, by example ---------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), COMPARED, ids=IDS)
@EXAMPLES
@given(data=st.data())
def test_upstream_instances_validate_against_ours(path: str, status: str, data: st.DataObject) -> None:
    instance = data.draw(STRATEGIES["upstream", path, status], label="upstream instance")
    _assert_valid("ours", path, status, instance)


@pytest.mark.parametrize(("path", "status"), COMPARED, ids=IDS)
@EXAMPLES
@given(data=st.data())
def test_our_instances_validate_against_upstream(path: str, status: str, data: st.DataObject) -> None:
    instance = data.draw(STRATEGIES["ours", path, status], label="our instance")
    _assert_valid("upstream", path, status, instance)


def test_a_later_upstream_snapshot_is_told_apart() -> None:
    """The comparison can fail: our (seed-era) jobs lack `file_input`, which 2026-04-01 requires."""
    later = upstream(V2_AFTER_RENAME)
    schema = response_schema(later, V2_PATH, "200")
    check = validator(schema, later)
    counterexample = find(
        STRATEGIES["ours", V2_PATH, "200"],
        lambda instance: not check.is_valid(instance),
        settings=settings(phases=[Phase.generate], database=None),  # the first one will do; no shrinking
    )
    assert any("file_input" in e.message for e in check.iter_errors(counterexample))


# ---- both directions, by structure -------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), COMPARED, ids=IDS)
def test_response_schemas_have_the_same_normal_form(path: str, status: str) -> None:
    reference = REFERENCES[path]
    ours = normal_form(response_schema(OURS, path, status), OURS)
    theirs = normal_form(response_schema(reference, path, status), reference)
    assert ours == theirs, _diff(theirs, ours)


def _diff(upstream_form: Any, our_form: Any) -> str:
    lines = [json.dumps(form, indent=1, sort_keys=True).splitlines(keepends=True) for form in (upstream_form, our_form)]
    return "normal forms differ:\n" + "".join(difflib.unified_diff(*lines, "upstream", "ours", n=6))


@pytest.mark.parametrize(("path", "status"), COMPARED, ids=IDS)
def test_every_property_has_the_upstream_description_default_and_examples(path: str, status: str) -> None:
    """Titles are left out: they only name the generated classes, and ours name components instead."""
    reference = REFERENCES[path]
    ours = property_annotations(response_schema(OURS, path, status), OURS)
    theirs = property_annotations(response_schema(reference, path, status), reference)
    differing = {p: {"ours": ours.get(p), "upstream": theirs.get(p)} for p in ours.keys() | theirs.keys()}
    assert {p: both for p, both in differing.items() if both["ours"] != both["upstream"]} == {}


@pytest.mark.parametrize("path", [V2_PATH, V1_PATH])
def test_query_and_cookie_parameters_match(path: str) -> None:
    """Names, `in`, `required` and schema (normal form), in upstream order."""
    ours, theirs = parameters(OURS, path), parameters(REFERENCES[path], path)
    assert list(ours.items()) == list(theirs.items())


@pytest.mark.parametrize("path", [V2_PATH, V1_PATH])
def test_operation_metadata_matches(path: str) -> None:
    def metadata(document: Document) -> dict[str, Any]:
        op = operation(document, path)
        schemes = {name for requirement in op["security"] for name in requirement}  # v1 lists HTTPBearer twice
        declared = {name: document["components"]["securitySchemes"][name] for name in schemes}
        return {
            "operationId": op["operationId"],
            "summary": op["summary"],
            "description": op.get("description"),
            "tags": op["tags"],
            "security": {n: {k: v for k, v in s.items() if k != "description"} for n, s in declared.items()},
        }

    assert metadata(OURS) == metadata(REFERENCES[path])


@pytest.mark.parametrize("path", [V2_PATH, V1_PATH])
def test_responses_are_upstreams_plus_the_documented_additions(path: str) -> None:
    ours = set(operation(OURS, path)["responses"])
    theirs = set(operation(REFERENCES[path], path)["responses"])
    assert ours - theirs == set(ADDED_RESPONSES)
    assert theirs <= ours


def test_the_401_body_is_fastapis_plain_detail() -> None:
    body = normal_form(response_schema(OURS, V2_PATH, "401"), OURS)
    assert body == {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
    assert response_schema(OURS, V1_PATH, "401") == response_schema(OURS, V2_PATH, "401")


# ---- the documented differences are all needed -------------------------------------------------------------


def _comparison(reference: Document) -> list[Any]:
    """Everything the structural tests compare for v1, as one value."""
    return [
        parameters(reference, V1_PATH),
        *(normal_form(response_schema(reference, V1_PATH, status), reference) for status in ("200", "422")),
        property_annotations(response_schema(reference, V1_PATH, "200"), reference),
    ]


def test_with_every_seed_era_difference_v1_matches() -> None:
    assert _comparison(OURS) == _comparison(v1_seed_era())


@pytest.mark.parametrize("left_out", V1_SEED_ERA, ids=[d.what.split(" (")[0] for d in V1_SEED_ERA])
def test_each_seed_era_difference_is_needed(left_out: Any) -> None:
    others = tuple(d for d in V1_SEED_ERA if d is not left_out)
    assert _comparison(OURS) != _comparison(v1_seed_era(others))


def test_each_difference_names_its_source() -> None:
    assert all(d.source.startswith("api-ground-truth.md §") for d in V1_SEED_ERA)


# ---- the fixtures are the shared reference, unchanged ------------------------------------------------------

SHARED_RAW = Path(__file__).parents[3] / "shared" / "reference" / "raw"


@pytest.mark.parametrize("name", sorted(p.name for p in UPSTREAM.glob("*.json")))
def test_fixture_is_a_verbatim_copy_of_the_shared_reference(name: str) -> None:
    fixture = json.loads((UPSTREAM / name).read_text())
    assert fixture["_source"]["commit"], "every fixture names the upstream commit it was cut from"
    shared = SHARED_RAW / name
    if not shared.exists():
        pytest.skip(f"{SHARED_RAW} is not beside this checkout")
    assert (UPSTREAM / name).read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("name", sorted(p.name for p in UPSTREAM.glob("*.json")))
def test_fixture_is_valid_openapi(name: str) -> None:
    validate({k: v for k, v in upstream(name).items() if k != "_source"})


def test_format_checking_is_on() -> None:
    """Without rfc3339-validator jsonschema passes every date-time; the comparisons would then miss formats."""
    schema = {"type": "string", "format": "date-time"}
    with pytest.raises(jsonschema.ValidationError):
        validator(schema, {"components": {}}).validate("2025-02-30T00:00:00Z")
    with pytest.raises(jsonschema.ValidationError):
        validator({"type": "string", "format": "uuid"}, {"components": {}}).validate("not-a-uuid")
