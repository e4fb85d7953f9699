"""Every parameter says what it does, and a spec that does not is refused at load, naming what is missing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import JOBS_PATH, Spec, shipped
from llamacloud_conformance.spec.meaning import Expand, Filter, Ignored, MeaningError, Page, Scope, parse


def _document() -> dict[str, Any]:
    return copy.deepcopy(dict(Spec.load().document))


def _jobs(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][JOBS_PATH]["get"]
    return found


@pytest.mark.parametrize("name", snapshots.names())
def test_every_shipped_snapshot_declares_every_meaning(name: str) -> None:
    spec = Spec.load(name)
    for operation in spec:
        assert operation.parameters, operation.label
        for parameter in operation.parameters:
            assert isinstance(parameter.meaning, Filter | Scope | Page | Expand | Ignored)


def test_the_default_snapshot_is_shipped() -> None:
    assert snapshots.default_name() in snapshots.names()
    assert [spec.name for spec in shipped()] == snapshots.names()


def test_a_parameter_without_a_meaning_is_refused_by_name() -> None:
    document = _document()
    _jobs(document)["parameters"].append(
        {"name": "colour", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    with pytest.raises(MeaningError, match=r"query parameter 'colour' declares no meaning \(x-llamacloud-meaning\)"):
        Spec("with-colour", document)


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"filter": "like", "field": "status"}, "unknown filter 'like'"),
        ({"filter": "equals"}, "names the item field"),
        ({"filter": "equals", "field": "colour"}, "names the item field 'colour', which ExtractV2Job lacks"),
        ({"filter": "input-type", "field": "id"}, "maps each type to its id prefix"),
        ({"filter": "one-of", "field": "id"}, "must be an array"),
        ({"sort": "asc"}, "not in the vocabulary"),
        ("equals", "must be a mapping"),
    ],
)
def test_a_meaning_outside_the_vocabulary_or_the_schema_is_refused(declared: object, message: str) -> None:
    document = _document()
    _jobs(document)["parameters"][0]["x-llamacloud-meaning"] = declared
    with pytest.raises(MeaningError, match=message):
        Spec("broken", document)


def test_a_field_that_says_it_needs_expand_must_be_expandable() -> None:
    document = _document()
    job = document["components"]["schemas"]["ExtractV2Job"]["properties"]
    job["usage"] = {"type": ["object", "null"], "description": "Usage recorded. Requires `expand=usage`."}
    with pytest.raises(MeaningError, match=r"ExtractV2Job\.usage says it needs expand=usage"):
        Spec("usage-unmarked", document)
    job["usage"]["x-llamacloud-expandable"] = True
    assert "usage" in Spec("usage-marked", document).operations[JOBS_PATH].expandable


def test_an_expandable_field_must_be_nullable() -> None:
    document = _document()
    job = document["components"]["schemas"]["ExtractV2Job"]["properties"]
    job["status"]["x-llamacloud-expandable"] = True
    with pytest.raises(MeaningError, match="'status' must be optional and nullable"):
        Spec("status-expandable", document)


def test_the_listing_must_say_where_an_items_project_is() -> None:
    document = _document()
    del _jobs(document)["x-llamacloud-listing"]["project_by"]
    with pytest.raises(MeaningError, match="project_by"):
        Spec("no-project", document)


def test_input_type_reads_the_prefix() -> None:
    meaning = parse({"filter": "input-type", "field": "f", "types": {"file_id": "dfl-", "parse_job_id": "pjb-"}}, "p")
    assert isinstance(meaning, Filter)
    assert meaning.type_of("dfl-1") == "file_id"
    assert meaning.type_of("pjb-1") == "parse_job_id"
    assert meaning.type_of("url") is None
    assert meaning.type_of(None) is None
