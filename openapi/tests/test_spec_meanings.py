"""Every snapshot declares its meanings in the `x-llamacloud` vocabulary that openapi/README.md describes, and
each names fields that exist: a typo in a snapshot fails here, naming the parameter, not later in the mock."""

from __future__ import annotations

from typing import Any

import pytest

from spec_documents import Document, our_spec, resolve, response_schema, snapshot_names

SPECS = {name: our_spec(name) for name in snapshot_names()}
OPERATIONS = [(name, path) for name, spec in SPECS.items() for path in spec["paths"]]

# The forms of x-llamacloud-meaning: the keys each one has, and the values of its first key.
FORMS: list[tuple[frozenset[str], str, frozenset[Any]]] = [
    (frozenset({"filter", "field"}), "filter", frozenset({"equals", "at-or-after", "at-or-before", "one-of"})),
    (frozenset({"filter", "field", "types"}), "filter", frozenset({"input-type"})),
    (frozenset({"scope", "field"}), "scope", frozenset({"project"})),
    (frozenset({"scope"}), "scope", frozenset({"organization"})),
    (frozenset({"page"}), "page", frozenset({"size", "token"})),
    (frozenset({"expand"}), "expand", frozenset({True})),
    (frozenset({"ignored"}), "ignored", frozenset()),  # any reason, as text
]


def _deref(document: Document, schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = resolve(document, schema["$ref"])
    return schema


def _object(document: Document, schema: Any) -> Document:
    """The object schema inside `schema` (following `$ref`s and the non-null branch of an `anyOf`)."""
    schema = _deref(document, schema)
    objects = [_deref(document, b) for b in schema.get("anyOf", [schema])]
    found: Document = next(b for b in objects if b.get("type") == "object")
    return found


def _item(document: Document, path: str) -> Document:
    """The schema of one listed item: the listing's `items` property, or the items of a bare array (v1)."""
    body = _deref(document, response_schema(document, path, "200"))
    listing = document["paths"][path]["get"].get("x-llamacloud-listing")
    array = _deref(document, body["properties"][listing["items"]]) if listing else body
    return _object(document, array["items"])


def _parameters(document: Document, path: str) -> list[Document]:
    found = document["paths"][path]["get"]["parameters"]
    return [resolve(document, p["$ref"]) if "$ref" in p else p for p in found]


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS)
def test_every_parameter_declares_a_meaning_of_the_vocabulary(snapshot: str, path: str) -> None:
    spec = SPECS[snapshot]
    fields = set(_item(spec, path)["properties"])
    for parameter in _parameters(spec, path):
        where = f"{snapshot} {path} parameter {parameter['name']!r}"
        meaning = parameter.get("x-llamacloud-meaning")
        assert isinstance(meaning, dict), f"{where} declares no x-llamacloud-meaning"
        forms = [(keys, first, values) for keys, first, values in FORMS if set(meaning) == keys]
        assert forms, f"{where}: {meaning} has none of the vocabulary's forms"
        _, first, values = forms[0]
        known = meaning[first] in values or (first == "ignored" and isinstance(meaning[first], str))
        assert known, f"{where}: {first}: {meaning[first]!r} is not in the vocabulary"
        if "field" in meaning:
            assert meaning["field"] in fields, f"{where}: the item has no field {meaning['field']!r}"
        if "types" in meaning:
            assert meaning["types"], f"{where}: no input types"
            assert all(isinstance(p, str) and p for p in meaning["types"].values()), f"{where}: a type without prefix"


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS)
def test_expandable_fields_are_nullable_fields_of_the_item_and_expand_can_name_them(snapshot: str, path: str) -> None:
    spec = SPECS[snapshot]
    item = _item(spec, path)
    expandable = [name for name, prop in item["properties"].items() if "x-llamacloud-expandable" in prop]
    meanings = [p.get("x-llamacloud-meaning") for p in _parameters(spec, path)]
    assert bool(expandable) == ({"expand": True} in meanings), f"{snapshot} {path}: expandable fields iff expand"
    for name in expandable:
        assert item["properties"][name]["x-llamacloud-expandable"] is True, f"{snapshot}: {name}"
        branches = item["properties"][name].get("anyOf", [])
        assert {"type": "null"} in branches, f"{snapshot}: {name} is null unless expanded, so it must admit null"
        assert name not in item.get("required", []), f"{snapshot}: {name} cannot be required"


@pytest.mark.parametrize(("snapshot", "path"), OPERATIONS)
def test_the_listing_names_response_properties_and_an_item_field(snapshot: str, path: str) -> None:
    spec = SPECS[snapshot]
    listing = spec["paths"][path]["get"].get("x-llamacloud-listing")
    body = _deref(spec, response_schema(spec, path, "200"))
    if listing is None:
        assert body["type"] == "array", f"{snapshot} {path}: only a bare array needs no x-llamacloud-listing"
        return
    assert set(listing) == {"items", "next_page_token", "total_size", "newest_first_by"}
    assert {listing[k] for k in ("items", "next_page_token", "total_size")} <= set(body["properties"])
    assert listing["newest_first_by"] in _item(spec, path)["properties"]


RENAMED = [
    (snapshot, schema_name, name, prop["x-llamacloud-renamed-from"])
    for snapshot, spec in SPECS.items()
    for schema_name, schema in spec["components"]["schemas"].items()
    for name, prop in schema.get("properties", {}).items()
    if "x-llamacloud-renamed-from" in prop
]


@pytest.mark.parametrize(("snapshot", "schema", "name", "old"), RENAMED)
def test_a_renamed_field_names_a_field_it_no_longer_has(snapshot: str, schema: str, name: str, old: Any) -> None:
    assert isinstance(old, str)
    assert old != name
    assert old not in SPECS[snapshot]["components"]["schemas"][schema]["properties"]
