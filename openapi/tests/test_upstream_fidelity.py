"""Every snapshot's spec says what its upstream fragments say, apart from the differences its fidelity.yaml
documents.

The snapshots are the folders under openapi/snapshots/; each one's fidelity.yaml names, per path, the upstream
fragment and the documented differences (fidelity.py reads it). Two independent checks per response: the
property tests draw instances from one side and validate them against the other (both directions), and the
structural tests compare normal forms (spec_documents.normal_form) plus what each property says about itself.
Parameters and operation metadata are compared structurally. The comparison must also be able to fail: each
documented difference is needed, and each spec is told apart from the fragments of the other dates.
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
from hypothesis.errors import NoSuchExample
from openapi_spec_validator import validate

from llamacloud_conformance.strategies import from_schema

import fidelity
from spec_documents import (
    SNAPSHOTS,
    UPSTREAM,
    Document,
    normal_form,
    operation,
    our_spec,
    parameter_annotations,
    parameters,
    property_annotations,
    response_schema,
    snapshot_names,
    upstream,
    validator,
)

NAMES = snapshot_names()
OURS = {name: our_spec(name) for name in NAMES}
FIDELITY = {name: fidelity.load(SNAPSHOTS / name) for name in NAMES}
REFERENCES = {(name, path): FIDELITY[name].reference(path) for name in NAMES for path in FIDELITY[name].paths}
OPERATIONS = list(REFERENCES)  # (snapshot, path)


def _statuses(snapshot: str, path: str) -> list[str]:
    """The responses upstream declares: the ones compared."""
    return sorted(operation(REFERENCES[snapshot, path], path)["responses"])


COMPARED = [(name, path, status) for name, path in OPERATIONS for status in _statuses(name, path)]


def _ids(cases: list[tuple[Any, ...]]) -> list[str]:
    return [" ".join(str(part) for part in case) for case in cases]


EXAMPLES = settings(
    max_examples=300,
    deadline=None,  # no timed assertions: the machine is shared
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _document(side: str, snapshot: str, path: str) -> Document:
    return OURS[snapshot] if side == "ours" else REFERENCES[snapshot, path]


# Built once: a strategy or validator built per example would cost more than the example itself.
STRATEGIES = {
    (side, *case): from_schema(response_schema(_document(side, *case[:2]), *case[1:]), root=_document(side, *case[:2]))
    for side in ("ours", "upstream")
    for case in COMPARED
}
VALIDATORS = {
    (side, *case): validator(response_schema(_document(side, *case[:2]), *case[1:]), _document(side, *case[:2]))
    for side in ("ours", "upstream")
    for case in COMPARED
}


def _assert_valid(side: str, snapshot: str, path: str, status: str, instance: Any) -> None:
    errors = list(VALIDATORS[side, snapshot, path, status].iter_errors(instance))
    assert not errors, "\n".join(f"at {e.json_path}: {e.message}" for e in errors)


def test_every_snapshot_folder_is_a_snapshot() -> None:
    """A folder the listing skips (a misspelt date, say) would be proved by nothing."""
    assert sorted(p.name for p in SNAPSHOTS.iterdir() if p.is_dir()) == NAMES


@pytest.mark.parametrize("snapshot", NAMES)
def test_every_operation_of_the_spec_has_an_upstream_fragment(snapshot: str) -> None:
    ours = OURS[snapshot]["paths"]
    assert set(ours) == set(FIDELITY[snapshot].paths)
    for path in ours:
        assert set(ours[path]) == set(REFERENCES[snapshot, path]["paths"][path]), f"methods of {path}"


# ---- both directions, by example ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("drawn", "checked"), [("upstream", "ours"), ("ours", "upstream")], ids=["upstream-in-ours", "ours-in-upstream"]
)
@pytest.mark.parametrize(("snapshot", "path", "status"), COMPARED, ids=_ids(COMPARED))
@EXAMPLES
@given(data=st.data())
def test_instances_of_one_side_validate_against_the_other(
    drawn: str, checked: str, snapshot: str, path: str, status: str, data: st.DataObject
) -> None:
    instance = data.draw(STRATEGIES[drawn, snapshot, path, status], label=f"{drawn} instance")
    _assert_valid(checked, snapshot, path, status, instance)


# ---- both directions, by structure -------------------------------------------------------------------------


@pytest.mark.parametrize(("snapshot", "path", "status"), COMPARED, ids=_ids(COMPARED))
def test_response_schemas_have_the_same_normal_form(snapshot: str, path: str, status: str) -> None:
    ours, reference = OURS[snapshot], REFERENCES[snapshot, path]
    our_form = normal_form(response_schema(ours, path, status), ours)
    their_form = normal_form(response_schema(reference, path, status), reference)
    assert our_form == their_form, _diff(their_form, our_form)


def _diff(upstream_form: Any, our_form: Any) -> str:
    lines = [json.dumps(form, indent=1, sort_keys=True).splitlines(keepends=True) for form in (upstream_form, our_form)]
    return "normal forms differ:\n" + "".join(difflib.unified_diff(*lines, "upstream", "ours", n=6))


@pytest.mark.parametrize(("snapshot", "path", "status"), COMPARED, ids=_ids(COMPARED))
def test_every_property_has_the_upstream_description_default_and_examples(
    snapshot: str, path: str, status: str
) -> None:
    """Titles are left out: they only name the generated classes, and ours name components instead."""
    ours, reference = OURS[snapshot], REFERENCES[snapshot, path]
    our_notes = property_annotations(response_schema(ours, path, status), ours)
    their_notes = property_annotations(response_schema(reference, path, status), reference)
    differing = {
        p: {"ours": our_notes.get(p), "upstream": their_notes.get(p)} for p in our_notes.keys() | their_notes.keys()
    }
    assert {p: both for p, both in differing.items() if both["ours"] != both["upstream"]} == {}


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_query_and_cookie_parameters_match(snapshot: str, path: str) -> None:
    """Names, `in`, `required`, `deprecated` and schema (normal form), in upstream order."""
    ours, theirs = parameters(OURS[snapshot], path), parameters(REFERENCES[snapshot, path], path)
    assert list(ours.items()) == list(theirs.items())


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_parameters_say_what_upstream_says_of_them(snapshot: str, path: str) -> None:
    """Upstream's description wherever it gives one (ours may describe a parameter it leaves bare), and the
    same examples."""
    ours = parameter_annotations(OURS[snapshot], path)
    theirs = parameter_annotations(REFERENCES[snapshot, path], path)
    assert {k: v["examples"] for k, v in ours.items()} == {k: v["examples"] for k, v in theirs.items()}
    described = {k: v["description"] for k, v in theirs.items() if v["description"] is not None}
    assert {k: ours[k]["description"] for k in described} == described


def _metadata(document: Document, path: str) -> dict[str, Any]:
    op = operation(document, path)
    schemes = {name for requirement in op["security"] for name in requirement}  # v1 lists HTTPBearer twice
    declared = {name: document["components"]["securitySchemes"][name] for name in schemes}
    return {
        "operationId": op["operationId"],
        "summary": op["summary"],
        "description": op.get("description"),
        "tags": op["tags"],
        "deprecated": op.get("deprecated", False),
        "security": {n: {k: v for k, v in s.items() if k != "description"} for n, s in declared.items()},
    }


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_operation_metadata_matches(snapshot: str, path: str) -> None:
    assert _metadata(OURS[snapshot], path) == _metadata(REFERENCES[snapshot, path], path)


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_responses_are_upstreams_plus_the_documented_additions(snapshot: str, path: str) -> None:
    ours = set(operation(OURS[snapshot], path)["responses"])
    theirs = set(operation(REFERENCES[snapshot, path], path)["responses"])
    assert ours - theirs == {added.status for added in FIDELITY[snapshot].added_responses}
    assert theirs <= ours


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_the_401_body_is_fastapis_plain_detail(snapshot: str, path: str) -> None:
    body = normal_form(response_schema(OURS[snapshot], path, "401"), OURS[snapshot])
    assert body == {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}


# ---- the comparison can fail: each documented difference is needed ----------------------------------------


def _comparison(document: Document, path: str, statuses: list[str]) -> list[Any]:
    """Everything the structural tests compare for one operation, as one value."""
    return [
        list(parameters(document, path).items()),  # in order
        _metadata(document, path),
        *(normal_form(response_schema(document, path, status), document) for status in statuses),
        *(property_annotations(response_schema(document, path, status), document) for status in statuses),
    ]


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_with_every_documented_difference_the_operation_matches(snapshot: str, path: str) -> None:
    statuses = _statuses(snapshot, path)
    assert _comparison(OURS[snapshot], path, statuses) == _comparison(REFERENCES[snapshot, path], path, statuses)


DIFFERENCES = [(name, path, d) for name, path in OPERATIONS for d in FIDELITY[name].paths[path].differences]


@pytest.mark.parametrize(
    ("snapshot", "path", "left_out"),
    DIFFERENCES,
    ids=[f"{name} {path} {d.what.split(' (')[0]}" for name, path, d in DIFFERENCES],
)
def test_each_documented_difference_is_needed(snapshot: str, path: str, left_out: fidelity.Difference) -> None:
    entry = FIDELITY[snapshot].paths[path]
    others = tuple(d for d in entry.differences if d is not left_out)
    statuses = _statuses(snapshot, path)
    without = FIDELITY[snapshot].reference(path, others)
    assert _comparison(OURS[snapshot], path, statuses) != _comparison(without, path, statuses)


# ---- the comparison can fail: each spec is told apart from the fragments of the other dates ---------------

OTHER_DATES = [
    (name, path, fragment.name)
    for name, path in OPERATIONS
    for fragment in sorted(UPSTREAM.glob("*.json"))
    if path in upstream(fragment.name)["paths"] and fragment.name != FIDELITY[name].paths[path].upstream
]


@pytest.mark.parametrize(("snapshot", "path", "fragment"), OTHER_DATES, ids=_ids(OTHER_DATES))
def test_a_fragment_of_another_date_is_told_apart_by_structure(snapshot: str, path: str, fragment: str) -> None:
    other = upstream(fragment)
    statuses = _statuses(snapshot, path)
    assert _comparison(OURS[snapshot], path, statuses) != _comparison(other, path, statuses)


@pytest.mark.parametrize(("snapshot", "path", "fragment"), OTHER_DATES, ids=_ids(OTHER_DATES))
def test_a_fragment_of_another_date_is_told_apart_by_example(snapshot: str, path: str, fragment: str) -> None:
    """Some body one of the two admits, the other refuses (for fragments whose 200 differs in shape). Either
    way round: a snapshot may admit only a subset of another's bodies (2026-04-01's jobs are valid 2026-08-20
    jobs, never the other way round)."""
    other = upstream(fragment)
    ours = OURS[snapshot]
    if normal_form(response_schema(ours, path, "200"), ours) == normal_form(response_schema(other, path, "200"), other):
        pytest.skip(f"{fragment} admits the same 200 bodies; only the structural comparison tells it apart")
    theirs_check = validator(response_schema(other, path, "200"), other)
    ours_check = validator(response_schema(ours, path, "200"), ours)
    theirs_strategy = from_schema(response_schema(other, path, "200"), root=other)
    # the first one will do (no shrinking); derandomized so that the test never depends on luck
    once = settings(phases=[Phase.generate], database=None, derandomize=True, max_examples=2000)
    try:
        counterexample = find(
            STRATEGIES["ours", snapshot, path, "200"], lambda i: not theirs_check.is_valid(i), settings=once
        )
        assert not theirs_check.is_valid(counterexample)
    except NoSuchExample:
        counterexample = find(theirs_strategy, lambda i: not ours_check.is_valid(i), settings=once)
        assert not ours_check.is_valid(counterexample)


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
