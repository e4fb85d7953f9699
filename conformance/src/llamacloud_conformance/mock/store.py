"""The dataset indexed for serving: per paged operation and project a `Table` (items in keyset order, their
JSON encoded once, the filters the spec declares compiled into index lookups), per unpaged operation and
project the items' bytes in listing order. A Store is immutable; changing the data builds a new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..spec.document import Operation, field_value
from ..spec.meaning import Filter
from .dataset import Dataset, Project, item_project, order_field, sort_key, without_gc
from .table import PackedItems, Table, encode


class UnsupportedMeaning(ValueError):
    """A declared meaning the mock cannot serve (a date range on a field the listing is not ordered by)."""


@attrs.frozen
class ArrayItem:
    """One item of an unpaged listing (v1 runs): its bytes, and the normalized values its filters compare."""

    body: bytes
    values: Mapping[str, Any]


class ProjectArray:
    """One project's items of an operation that answers with the whole array at once, newest first."""

    def __init__(self, operation: Operation, items: Sequence[Mapping[str, Any]]) -> None:
        self._filters = {
            p.name: p.meaning
            for p in operation.filters()
            if isinstance(p.meaning, Filter) and p.meaning.kind == "equals"
        }
        if unsupported := [p.name for p in operation.filters() if p.name not in self._filters]:
            raise UnsupportedMeaning(
                f"{operation.label}: the mock filters an unpaged listing by equality only: {unsupported}"
            )
        caseless = {p.name for p in operation.filters() if "uuid" in operation.spec.formats(p.schema)}
        self._caseless = caseless
        self.items = [
            ArrayItem(
                encode(item),
                {name: self._normal(name, field_value(item, m.field)) for name, m in self._filters.items()},
            )
            for item in sorted(items, key=sort_key(operation), reverse=True)
        ]

    def _normal(self, name: str, value: Any) -> Any:
        return str(value).lower() if name in self._caseless and value is not None else value

    def listing(self, values: Mapping[str, Any]) -> bytes:
        """The JSON array for these converted parameter values."""
        wanted = {name: self._normal(name, values[name]) for name in self._filters if values.get(name) is not None}
        chosen = [item.body for item in self.items if all(item.values[k] == v for k, v in wanted.items())]
        return b"[" + b",".join(chosen) + b"]"


class Store:
    """A Dataset, indexed per operation and project (packed items are served as they are packed)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.spec = dataset.spec
        self.projects: dict[str, Project] = {p.key: p for p in dataset.projects}
        self.paged: dict[str, dict[str, Table]] = {}
        self.arrays: dict[str, dict[str, ProjectArray]] = {}
        for path, operation in self.spec.operations.items():
            if operation.listing.items is not None:
                _check_ranges(operation)
            items = dataset.items(path)
            if isinstance(items, PackedItems):
                empty = Table.of(operation, order_field(operation), ())
                self.paged[path] = dict.fromkeys(self.projects, empty) | items.tables
                continue
            grouped: dict[str, list[Mapping[str, Any]]] = {key: [] for key in self.projects}
            for item in items:
                grouped.setdefault(item_project(operation, item), []).append(item)
            with without_gc():
                if operation.listing.items is not None:
                    order = order_field(operation)
                    self.paged[path] = {key: Table.of(operation, order, found) for key, found in grouped.items()}
                else:
                    self.arrays[path] = {key: ProjectArray(operation, found) for key, found in grouped.items()}


def _check_ranges(operation: Operation) -> None:
    order = order_field(operation)
    for parameter in operation.filters():
        meaning = parameter.meaning
        if isinstance(meaning, Filter) and meaning.kind in ("at-or-after", "at-or-before") and meaning.field != order:
            raise UnsupportedMeaning(
                f"{operation.label}: {parameter.name} bounds {meaning.field}, but the mock can bound only the field "
                f"the listing is ordered by ({order})"
            )
