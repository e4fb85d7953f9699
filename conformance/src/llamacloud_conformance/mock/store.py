"""The dataset indexed for serving: per operation and project, items in keyset order with their JSON
pre-serialized, and the filters the spec declares compiled into index lookups.

A list request must not pay for JSON encoding or for a scan of every item: each item's bytes are made once (the
plain form, plus the value of each expandable field), equality and input-type filters have posting lists of
ranks, the date range and the page-token position are found by bisection, and a page is the join of at most
`page_size + 1` byte strings. A Store is immutable; changing the data builds a new one.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..spec.document import Operation, field_value
from ..spec.meaning import Filter, Scope
from ..spec.timestamps import parse_ns
from .dataset import Dataset, Project, item_project, order_field, sort_key

# Cached intersections of several filters: at most this many, each at most one int pointer per item (a
# 100,000-item project: 64 x 800 kB at worst), so memory stays bounded whatever clients ask.
_INTERSECTION_CACHE_SIZE = 64


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class UnsupportedMeaning(ValueError):
    """A declared meaning the mock cannot serve (a date range on a field the listing is not ordered by)."""


@attrs.frozen
class Query:
    """The filters of one list request, normalized so that equal meanings compare equal.

    `selections` are the equality and input-type filters (by parameter name), `one_of` the array filters, the
    bounds the date range in nanoseconds, `scopes` the project and organization values.
    """

    selections: tuple[tuple[str, Any], ...] = ()
    one_of: tuple[tuple[str, tuple[str, ...]], ...] = ()
    after_ns: int | None = None
    before_ns: int | None = None
    scopes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, operation: Operation, values: Mapping[str, Any]) -> Query:
        """The query a request's converted parameter values ask for."""
        selections, one_of, scopes = [], [], []
        after = before = None
        for parameter in operation.parameters:
            value = values.get(parameter.name)
            if value is None:
                continue
            meaning = parameter.meaning
            if isinstance(meaning, Filter):
                if meaning.kind in ("equals", "input-type"):
                    selections.append((parameter.name, value))
                elif meaning.kind == "one-of":
                    one_of.append((parameter.name, tuple(sorted(set(value)))))
                elif meaning.kind == "at-or-after":
                    after = parse_ns(value, round_up=True)
                else:
                    before = parse_ns(value)
            elif isinstance(meaning, Scope):
                scopes.append((parameter.name, str(value)))
        return cls(tuple(selections), tuple(one_of), after, before, tuple(scopes))

    def selection(self) -> tuple[Any, ...]:
        """The filters that pick items by value, hashable."""
        return (self.selections, self.one_of)

    def canonical(self) -> tuple[Any, ...]:
        """Every filter, hashable and order-independent: what a page token is bound to."""
        return (self.selections, self.one_of, self.after_ns, self.before_ns, self.scopes)


class ProjectItems:
    """One project's items of one paged operation, ranked oldest (0) to newest, each rank's bytes ready."""

    def __init__(self, operation: Operation, items: Sequence[Mapping[str, Any]]) -> None:
        self.operation = operation
        self.expandable = operation.expandable
        ordered = sorted(items, key=sort_key(operation))
        self.keys: list[tuple[int, str]] = []
        order = order_field(operation)
        for item in ordered:
            moment = item.get(order) if order else None
            self.keys.append((parse_ns(moment) if moment is not None else -1, str(item["id"])))
        self.created: list[int] = [k[0] for k in self.keys]
        self._null_tail = b"".join(b',"' + name.encode() + b'":null' for name in self.expandable) + b"}"
        interned: dict[bytes, bytes] = {}  # saved configurations repeat: keep one copy of their bytes
        self.plain: list[bytes] = []
        self.expanded: dict[str, list[bytes]] = {name: [] for name in self.expandable}
        self._filters = {
            p.name: p.meaning
            for p in operation.filters()
            if isinstance(p.meaning, Filter) and p.meaning.kind in ("equals", "input-type")
        }
        self._caseless = {p.name for p in operation.filters() if "uuid" in operation.spec.formats(p.schema)}
        self.postings: dict[str, dict[Any, list[int]]] = {name: {} for name in self._filters}
        self._one_of_field = {
            p.name: p.meaning.field
            for p in operation.filters()
            if isinstance(p.meaning, Filter) and p.meaning.kind == "one-of"
        }
        self.rank_of: dict[str, dict[Any, list[int]]] = {field: {} for field in self._one_of_field.values()}
        for rank, item in enumerate(ordered):
            core = {k: v for k, v in item.items() if k not in self.expandable}
            self.plain.append(_dumps(core)[:-1] + self._null_tail)  # core is never empty: records have an id
            for name, column in self.expanded.items():
                encoded = _dumps(item.get(name))
                column.append(interned.setdefault(encoded, encoded))
            for name, meaning in self._filters.items():
                value = field_value(item, meaning.field)
                key = meaning.type_of(value) if meaning.kind == "input-type" else self._normal(name, value)
                self.postings[name].setdefault(key, []).append(rank)
            for field, index in self.rank_of.items():
                index.setdefault(field_value(item, field), []).append(rank)
        self._intersections: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
        self._lock = threading.Lock()

    def _normal(self, name: str, value: Any) -> Any:
        return str(value).lower() if name in self._caseless and value is not None else value

    def __len__(self) -> int:
        return len(self.keys)

    def item_bytes(self, rank: int, expand: frozenset[str]) -> bytes:
        """The JSON of one item as listed, with the expandable fields filled in only when asked for."""
        if not expand:
            return self.plain[rank]
        head = self.plain[rank][: -len(self._null_tail)]
        parts = [head]
        for name in self.expandable:
            parts += [b',"', name.encode(), b'":', self.expanded[name][rank] if name in expand else b"null"]
        parts.append(b"}")
        return b"".join(parts)

    def _matching(self, query: Query) -> Sequence[int] | None:
        """The ranks, ascending, that the equality filters and the array filters admit (None: every rank).

        One filter is its posting list as it is; several are intersected once and the result cached (a
        bounded LRU), so that following the pages of a multi-filter listing costs a bisection per page, like
        a single filter, instead of a scan.
        """
        lists: list[Sequence[int]] = [
            self.postings[name].get(self._normal(name, value), []) for name, value in query.selections
        ]
        for name, values in query.one_of:
            index = self.rank_of[self._one_of_field[name]]
            lists.append(sorted({rank for value in values for rank in index.get(value, ())}))
        if len(lists) <= 1:
            return lists[0] if lists else None
        key = query.selection()
        with self._lock:
            if key in self._intersections:
                self._intersections.move_to_end(key)
                return self._intersections[key]
        smallest, *others = sorted(lists, key=len)
        other_sets = [set(other) for other in others]
        matching = [rank for rank in smallest if all(rank in other for other in other_sets)]
        with self._lock:
            self._intersections[key] = matching
            if len(self._intersections) > _INTERSECTION_CACHE_SIZE:
                self._intersections.popitem(last=False)
        return matching

    def _bounds(self, query: Query) -> tuple[int, int]:
        """The rank range [low, high) the date filters allow."""
        low = 0 if query.after_ns is None else bisect.bisect_left(self.created, query.after_ns)
        high = len(self.keys) if query.before_ns is None else bisect.bisect_right(self.created, query.before_ns)
        return low, high

    def page(self, query: Query, after: tuple[int, str] | None, size: int) -> tuple[list[int], bool]:
        """The ranks of the next `size` matching items, newest first, older than the position `after` (a
        token's), and whether more follow."""
        low, high = self._bounds(query)
        if after is not None:
            high = min(high, bisect.bisect_left(self.keys, after))
        matching = self._matching(query)
        if matching is None:
            ranks = list(range(high - 1, max(low, high - size - 1) - 1, -1))
        else:
            top = bisect.bisect_left(matching, high)
            bottom = max(bisect.bisect_left(matching, low), top - size - 1)
            ranks = list(reversed(matching[bottom:top]))
        return ranks[:size], len(ranks) > size

    def count(self, query: Query) -> int:
        """How many items match, exactly."""
        low, high = self._bounds(query)
        if high <= low:
            return 0
        matching = self._matching(query)
        if matching is None:
            return high - low
        return bisect.bisect_left(matching, high) - bisect.bisect_left(matching, low)


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
                _dumps(item),
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
    """A Dataset, indexed per operation and project."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.spec = dataset.spec
        self.projects: dict[str, Project] = {p.key: p for p in dataset.projects}
        self.paged: dict[str, dict[str, ProjectItems]] = {}
        self.arrays: dict[str, dict[str, ProjectArray]] = {}
        for path, operation in self.spec.operations.items():
            grouped: dict[str, list[Mapping[str, Any]]] = {key: [] for key in self.projects}
            for item in dataset.items(path):
                grouped.setdefault(item_project(operation, item), []).append(item)
            if operation.listing.items is not None:
                _check_ranges(operation)
                self.paged[path] = {key: ProjectItems(operation, items) for key, items in grouped.items()}
            else:
                self.arrays[path] = {key: ProjectArray(operation, items) for key, items in grouped.items()}


def _check_ranges(operation: Operation) -> None:
    order = order_field(operation)
    for parameter in operation.filters():
        meaning = parameter.meaning
        if isinstance(meaning, Filter) and meaning.kind in ("at-or-after", "at-or-before") and meaning.field != order:
            raise UnsupportedMeaning(
                f"{operation.label}: {parameter.name} bounds {meaning.field}, but the mock can bound only the field "
                f"the listing is ordered by ({order})"
            )
