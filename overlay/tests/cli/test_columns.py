"""The table's columns are declared once (`cli/output.py`) and checked against the spec the client is made from:
each names a field of the item's schema, or a column worked out from the whole item, so that a field the spec
renames or drops fails here, naming the column, instead of showing an empty column."""

from __future__ import annotations

import sys
import typing
from typing import Any

import attrs
import pytest

import llamacloud_extract_api.models as generated_models
from llamacloud_extract.cli.output import JOBS, RUNS, Shape
from llamacloud_extract_api.models import ExtractRun, ExtractV2Job


def _field_class(model: type, name: str) -> type | None:
    """The generated class a field of `model` holds (None for a plain value), or a failure naming the field."""
    fields = {field.name for field in attrs.fields(model)}
    assert name in fields, f"{model.__name__} has no field {name!r}"
    hints = typing.get_type_hints(model, vars(sys.modules[model.__module__]), dict(vars(generated_models)))
    found = [t for t in typing.get_args(hints[name]) or (hints[name],) if isinstance(t, type) and attrs.has(t)]
    return found[0] if found else None


@pytest.mark.parametrize(("shape", "model"), [(JOBS, ExtractV2Job), (RUNS, ExtractRun)], ids=["jobs", "runs"])
def test_every_table_column_is_a_field_of_the_schema(shape: Shape, model: type) -> None:
    for column in shape.table:
        if column in shape.computed:
            continue
        held: Any = model
        *path, last = column.split(".")
        for name in path:
            held = _field_class(held, name)
            assert held is not None, f"{column}: {name} holds no object"
        _field_class(held, last)


@pytest.mark.parametrize(("shape", "model"), [(JOBS, ExtractV2Job), (RUNS, ExtractRun)], ids=["jobs", "runs"])
def test_the_csv_columns_are_the_schemas_fields(shape: Shape, model: type) -> None:
    assert set(shape.fields) == {field.name for field in attrs.fields(model)} - {"additional_properties"}


def test_a_column_the_spec_does_not_have_is_named() -> None:
    with pytest.raises(AssertionError, match="no field 'colour'"):
        _field_class(ExtractV2Job, "colour")
