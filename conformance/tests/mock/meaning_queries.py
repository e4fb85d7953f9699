"""Random queries of a listing, drawn by what each parameter means (its `x-llamacloud-meaning`), with values taken
from the dataset's items so that some match: what the mock's property tests send, whatever the snapshot."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from llamacloud_conformance.mock import Dataset
from llamacloud_conformance.spec.document import Operation, field_value
from llamacloud_conformance.spec.meaning import Filter, Scope

STAMPS = ["2026-03-01T00:00:00Z", "2026-03-01T00:00:00.000001Z", "2026-03-01T01:00:00+01:00", "2026-08-02T10:00:00Z"]
"""Instants a time filter is drawn from besides an item's own: equal, a microsecond apart, or in another offset."""


@st.composite
def queries(draw: st.DrawFn, operation: Operation, dataset: Dataset) -> dict[str, Any]:
    """Random filters of the operation, each value taken from a random item (so that some match), by meaning."""
    items = dataset.select(operation.path)
    project = dataset.default_project
    query: dict[str, Any] = {}
    for parameter in operation.parameters:
        meaning = parameter.meaning
        if not draw(st.booleans()):
            continue
        item = draw(st.sampled_from(items)) if items else {}
        if isinstance(meaning, Filter) and meaning.kind == "one-of":
            picked = draw(st.lists(st.sampled_from(items), max_size=4)) if items else []
            query[parameter.name] = [i["id"] for i in picked] + draw(st.lists(st.just("ext-nowhere"), max_size=1))
        elif isinstance(meaning, Filter) and meaning.kind == "input-type":
            query[parameter.name] = draw(st.sampled_from([*meaning.types, "url"]))
        elif isinstance(meaning, Filter) and meaning.kind in ("at-or-after", "at-or-before"):
            query[parameter.name] = draw(st.sampled_from([*STAMPS, field_value(item, meaning.field) or STAMPS[0]]))
        elif isinstance(meaning, Filter) and field_value(item, meaning.field) is not None:
            value = field_value(item, meaning.field)
            query[parameter.name] = value.upper() if draw(st.booleans()) and isinstance(value, str) else value
        elif isinstance(meaning, Scope):
            own = project.key if meaning.kind == "project" else project.organization_id
            query[parameter.name] = draw(st.sampled_from([own, str(draw(st.uuids()))]))
    return {name: value for name, value in query.items() if value != []}
