"""Properties of the schema comparison on random schemas: spelling does not matter, and "wider" is sound."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_conformance.spec.diff import diff_documents
from llamacloud_conformance.spec.diff.widening import admits, describe
from llamacloud_conformance.spec.normal_form import normal_form
from llamacloud_conformance.strategies import from_schema

Schema = dict[str, Any]
NULL = {"type": "null"}
ANNOTATIONS = ("title", "description", "default", "deprecated", "examples")

_TYPED = st.one_of(
    st.sampled_from(["string", "integer", "number", "boolean"]).map(lambda kind: {"type": kind}),
    st.sampled_from(["uuid", "date-time"]).map(lambda form: {"type": "string", "format": form}),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True).map(
        lambda values: {"type": "string", "enum": values}
    ),
    st.integers(0, 3).map(lambda low: {"type": "integer", "minimum": low}),
    st.integers(0, 3).map(lambda low: {"type": "number", "minimum": low}),
    st.tuples(st.integers(0, 2), st.integers(2, 4)).map(
        lambda bounds: {"type": "string", "minLength": bounds[0], "maxLength": bounds[1]}
    ),
)
_NAMES = st.sampled_from(["id", "kind", "size", "tags", "when"])


def _nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def _annotated(schema: Schema, draw: st.DrawFn) -> Schema:
    extra = draw(
        st.fixed_dictionaries(
            {}, optional={"description": st.sampled_from(["one", "two"]), "deprecated": st.booleans()}
        )
    )
    return {**schema, **extra}


@st.composite
def schemas(draw: st.DrawFn, depth: int = 2) -> Schema:
    """Schemas in the spelling these specs use, null written `type: [T, 'null']`."""
    choice = draw(st.integers(0, 5 if depth else 2))
    if choice == 0:
        schema: Schema = {}
    elif choice in (1, 2):
        schema = draw(_TYPED)
    elif choice == 3:
        schema = {"type": "array", "items": draw(schemas(depth - 1))}
    elif choice == 4:
        schema = {"anyOf": draw(st.lists(schemas(depth - 1).filter(bool), min_size=2, max_size=3))}
    else:
        properties = draw(st.dictionaries(_NAMES, schemas(depth - 1), max_size=3))
        required = draw(st.lists(st.sampled_from(sorted(properties)), unique=True)) if properties else []
        schema = {"type": "object", "properties": properties, "required": required}
    if isinstance(schema.get("type"), str) and draw(st.booleans()):
        schema = _nullable(schema)
    return _annotated(schema, draw)


def respell(schema: Schema, components: dict[str, Schema]) -> Schema:
    """The same schema written the other way: `anyOf` with a null branch, and every object a named component."""
    written = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
    notes = {k: v for k, v in schema.items() if k in ANNOTATIONS}
    if "properties" in written:
        written["properties"] = {name: respell(sub, components) for name, sub in written["properties"].items()}
    if "items" in written:
        written["items"] = respell(written["items"], components)
    if "anyOf" in written:
        written["anyOf"] = [respell(branch, components) for branch in written["anyOf"]]
    if isinstance(written.get("type"), list):
        (kind,) = [k for k in written["type"] if k != "null"]
        written = {"anyOf": [NULL, _component({**written, "type": kind}, components)]}
    return {**_component(written, components), **notes}


def _component(schema: Schema, components: dict[str, Schema]) -> Schema:
    if schema.get("type") != "object":
        return schema
    name = f"Renamed{len(components)}"
    components[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def _document(body: Schema, parameter: Schema, components: dict[str, Schema] | None = None) -> Schema:
    operation = {
        "parameters": [{"name": "p", "in": "query", "schema": parameter}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}},
    }
    return {"openapi": "3.1.0", "paths": {"/x": {"get": operation}}, "components": {"schemas": components or {}}}


@settings(max_examples=150, deadline=None)
@given(schemas(), schemas())
def test_spelling_and_component_names_are_no_change(body: Schema, parameter: Schema) -> None:
    components: dict[str, Schema] = {}
    plain = _document(body, parameter)
    respelled = _document(respell(body, components), respell(parameter, components), components)
    assert diff_documents(plain, copy.deepcopy(plain)) == []
    assert diff_documents(plain, respelled) == []
    assert diff_documents(respelled, plain) == []


@st.composite
def perturbed(draw: st.DrawFn, schema: Schema) -> Schema:
    """`schema` with one random edit somewhere: a bound moved, a keyword or enum value dropped or added, a type
    swapped, a branch added or dropped; often wider, often narrower, sometimes neither."""
    node = copy.deepcopy(schema)
    inner = [key for key in ("items", "properties", "anyOf") if node.get(key)]
    if inner and draw(st.booleans()):
        key = draw(st.sampled_from(inner))
        if key == "items":
            node["items"] = draw(perturbed(node["items"]))
        elif key == "properties":
            name = draw(st.sampled_from(sorted(node["properties"])))
            node["properties"][name] = draw(perturbed(node["properties"][name]))
        else:
            index = draw(st.integers(0, len(node["anyOf"]) - 1))
            node["anyOf"][index] = draw(perturbed(node["anyOf"][index]))
        return node
    edits = ["wrap", "anything"]
    edits += [
        f"drop {key}" for key in ("format", "minimum", "minLength", "maxLength", "enum", "required") if key in node
    ]
    edits += [f"move {key}" for key in ("minimum", "minLength", "maxLength") if key in node]
    edits += ["retype"] if node.get("type") in ("integer", "number") else []
    edits += ["enum+", "enum-"] if node.get("enum") else []
    edits += ["require"] if node.get("properties") else []
    edit = draw(st.sampled_from(edits))
    if edit == "wrap":
        return {"anyOf": [node, draw(st.one_of(st.just(NULL), _TYPED))]}
    if edit == "anything":
        return {}
    if edit.startswith("drop "):
        node.pop(edit[5:])
    elif edit.startswith("move "):
        key = edit[5:]
        node[key] = max(0, node[key] + draw(st.sampled_from([-1, 1])))
    elif edit == "retype":
        node["type"] = "number" if node["type"] == "integer" else "integer"
    elif edit == "enum+":
        node["enum"] = [*node["enum"], "z"] if "z" not in node["enum"] else node["enum"]
    elif edit == "enum-" and len(node["enum"]) > 1:
        node["enum"] = node["enum"][1:]
    elif edit == "require":
        node["required"] = sorted({*node.get("required", []), draw(st.sampled_from(sorted(node["properties"])))})
    if node.get("minLength", 0) > node.get("maxLength", 10**6):
        node["maxLength"] = node["minLength"]
    return node


# Values at the edges of the generated schemas' bounds, besides random instances.
WITNESSES: list[Any] = [
    None, True, -1, 0, 1, 2, 3, 4, 0.5, 2.5, "", "a", "ab", "abc", "abcd", "abcde", "z",
    "9b2f4e1c-8a53-4c51-9b0e-5d0f1b9e7a10", "2026-03-28T12:00:00Z", [], [0.5], ["a"], [None], {}, {"id": 0.5},
    {"kind": "a"}, {"size": None},
]  # fmt: skip


def _validator(schema: Any) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("depth", [0, 2], ids=["scalars", "nested"])
@settings(max_examples=300, deadline=None)
@given(swap=st.booleans(), data=st.data())
def test_what_admits_says_holds_for_instances(depth: int, swap: bool, data: st.DataObject) -> None:
    """Whenever `admits` calls one schema wider than another (one edit apart), every instance of the narrower
    is an instance of the wider."""
    schema = data.draw(schemas(depth))
    other = data.draw(perturbed(schema))
    general, specific = (other, schema) if swap else (schema, other)
    wide, narrow = normal_form(general, {}), normal_form(specific, {})
    assert admits(narrow, narrow), "a schema admits itself"
    if admits(wide, narrow):
        instances = [data.draw(from_schema(narrow)) for _ in range(3)]
        instances += [value for value in WITNESSES if _validator(narrow).is_valid(value)]
        for instance in instances:
            assert _validator(wide).is_valid(instance), (describe(wide), describe(narrow), instance)


@pytest.mark.parametrize(
    ("general", "specific"),
    [
        ({"type": "number"}, {"type": "integer"}),
        ({"type": ["string", "null"]}, {"type": "string", "format": "uuid"}),
        ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
        ({"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 1}),
        ({"type": "string", "maxLength": 5}, {"type": "string", "minLength": 1, "maxLength": 3}),
        ({"type": "array", "items": {"type": "number"}}, {"type": "array", "items": {"type": "integer"}}),
        ({"type": "object", "required": ["a"]}, {"type": "object", "required": ["a", "b"]}),
        ({}, {"type": "object", "properties": {"a": {"type": "string"}}}),
    ],
)
def test_admits_what_is_narrower(general: Schema, specific: Schema) -> None:
    wide, narrow = normal_form(general, {}), normal_form(specific, {})
    assert admits(wide, narrow)
    assert not admits(narrow, wide)


def test_describe_names_a_schema_in_a_few_words() -> None:
    spelled = {"anyOf": [{"type": "null"}, {"type": "array", "items": {"type": "string", "format": "uuid"}}]}
    assert describe(normal_form(spelled, {})) == "array of string (uuid) or null"
    assert describe(normal_form({"type": "integer", "minimum": 1}, {})) == "integer (≥ 1)"
    assert describe({}) == "any value"
