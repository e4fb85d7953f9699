"""One project's items of one paged operation, packed for serving: each item's JSON bytes, and in compact columns
the few values the listing's indexes need.

A list request must not pay for JSON encoding or for a scan of every item: each item is encoded once (the plain
form, plus the value of each expandable field), equality and input-type filters have posting lists of ranks,
the date range and the page-token position are found by bisection, and a page is the join of at most
`page_size + 1` byte strings. The dicts the items came from are not kept: a million jobs as dicts take about
six gigabytes, packed under two. `record(rank)` reads an item back as a dict, for the reference semantics of
a dataset whose dicts are gone.

A Table is immutable once built (`TableBuilder.build`); changing the data builds a new one.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import orjson

from ..spec.document import Operation, field_value
from ..spec.meaning import Filter
from ..spec.timestamps import parse_ns
from .content import JsonDict

if TYPE_CHECKING:
    from .query import Query

# Cached intersections of several filters: at most this many, each at most four bytes per item (a
# 1,000,000-item project: 64 x 4 MB at worst), so memory stays bounded whatever clients ask.
_INTERSECTION_CACHE_SIZE = 64
_ABSENT: Any = object()
"""An expandable field the record leaves out: stored as an empty string, served as null, read back as absent."""
_RECENT = 64
"""How many recent objects a Column remembers to store repeats once: saved configurations recur all the time,
other values hardly ever, so a small window finds nearly every repeat without a dict of every item."""
_NO_TIME = -1
"""The order key of an item without a time (listed last, as `dataset.sort_key` does)."""


def encode(value: Any) -> bytes:
    """Compact JSON, as `json.dumps(value, separators=(",", ":"), ensure_ascii=False)` writes it, about four
    times faster, in a bytes object of its own size (to be kept)."""
    return memoryview(_encoded(value)).tobytes()


def _encoded(value: Any) -> bytes:
    """`encode`, in orjson's buffer, which has room to spare (4 KiB for a short value): to be copied or dropped.

    orjson spells numbers as Python does but for floats below 1e-4 (`0.00001`, not `1e-05`: the same number);
    what it refuses (integers beyond 64 bits) goes to the json module."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class Column:
    """JSON values end to end in one buffer, read back by index as memoryviews: no object, header or allocation
    per value, which for a million items would be a hundred megabytes more. The same object added again soon
    after (a saved configuration, which the jobs that run it share) is encoded and stored once."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._starts = array("Q")
        self._lengths = array("I")
        self._recent: dict[int, tuple[object, int, int]] = {}  # id -> (the object, kept alive; start; length)
        self._sharing, self._hits = True, 0
        self._view = memoryview(b"")

    def __len__(self) -> int:
        return len(self._starts)

    def add(self, value: Any) -> None:
        """Add the JSON of `value`, or an empty string for `_ABSENT`."""
        if value is _ABSENT:
            start = length = 0
        else:
            recent = self._recent
            known = recent.get(id(value))
            if known is not None and known[0] is value:
                _, start, length = known
                self._hits += 1
            else:
                encoded = _encoded(value)
                start, length = len(self._buffer), len(encoded)
                self._buffer += encoded
                if self._sharing and (value.__class__ is dict or value.__class__ is list):  # what jobs can share
                    if len(recent) >= _RECENT:
                        recent.clear()
                        self._sharing = self._hits > 0  # a field no two items have shared yet: stop looking
                    recent[id(value)] = (value, start, length)
        self._starts.append(start)
        self._lengths.append(length)

    def freeze(self, order: Sequence[int]) -> None:
        """Index by `order` from now on (the i-th string is the one added `order[i]`-th); no more adds."""
        self._starts = array("Q", map(self._starts.__getitem__, order))
        self._lengths = array("I", map(self._lengths.__getitem__, order))
        self._recent = {}
        self._view = memoryview(self._buffer)

    def parts(self) -> tuple[memoryview, array[int], array[int]]:
        """The buffer, and each string's start and length in it: for loops that read many strings."""
        return self._view, self._starts, self._lengths

    def __getitem__(self, index: int) -> memoryview:
        start = self._starts[index]
        return self._view[start : start + self._lengths[index]]


class Lookups:
    """How an operation's filters pick items: the equality and input-type filters by (meaning, caseless), so
    that two parameters meaning the same filter share one index, and the fields of its one-of filters."""

    def __init__(self, operation: Operation) -> None:
        spec = operation.spec
        self.selections: dict[str, tuple[Filter, bool]] = {}
        self.one_of: dict[str, str] = {}
        for parameter in operation.filters():
            meaning = parameter.meaning
            if not isinstance(meaning, Filter):
                continue
            if meaning.kind in ("equals", "input-type"):
                self.selections[parameter.name] = (meaning, "uuid" in spec.formats(parameter.schema))
            elif meaning.kind == "one-of":
                self.one_of[parameter.name] = meaning.field
        self.indexes = sorted(set(self.selections.values()), key=repr)
        self.fields = sorted(set(self.one_of.values()))

    @staticmethod
    def item_key(index: tuple[Filter, bool], value: Any) -> Any:
        """What an item is indexed under, by the value of the index's field: its input type, or the value."""
        meaning, caseless = index
        if meaning.kind == "input-type":
            return meaning.type_of(value)
        return str(value).lower() if caseless and value is not None else value

    @staticmethod
    def query_key(index: tuple[Filter, bool], value: Any) -> Any:
        """What a request's parameter value looks up (an input type is named as it is)."""
        return str(value).lower() if index[1] and value is not None else value


class Table:
    """One project's items of one paged operation, ranked oldest (0) to newest, each rank's bytes ready: the JSON
    of the item as listed without `expand` (its own bytes object, so that the common page is one join of them),
    and each expandable field's value (empty where the record left the field out)."""

    def __init__(
        self,
        operation: Operation,
        created: array[int],
        ids: list[str],
        plain: list[bytes],
        expanded: dict[str, Column],
        postings: dict[tuple[Filter, bool], dict[Any, array[int]]],
        positions: dict[str, dict[Any, int | array[int]]],
    ) -> None:
        self.operation = operation
        self.expandable = operation.expandable
        self.lookups = Lookups(operation)
        self.created = created
        self.ids = ids
        self.plain = plain
        self.expanded = expanded
        self.postings = postings
        self.positions = positions
        self._null_tail = _null_tail(self.expandable)
        self._keys = {name: b',"' + name.encode() + b'":' for name in self.expandable}
        self._intersections: OrderedDict[tuple[Any, ...], Sequence[int]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def of(cls, operation: Operation, order_by: str | None, items: Iterable[Mapping[str, Any]]) -> Table:
        builder = TableBuilder(operation, order_by)
        for item in items:
            builder.add(item)
        return builder.build()

    def __len__(self) -> int:
        return len(self.ids)

    def key(self, rank: int) -> tuple[int, str]:
        """The keyset position of a rank: (time in ns, id)."""
        return self.created[rank], self.ids[rank]

    def position(self, key: tuple[int, str]) -> int:
        """How many ranks sort before `key` (ranks with the same time are in id order)."""
        moment, item_id = key
        low = bisect.bisect_left(self.created, moment)
        high = bisect.bisect_right(self.created, moment, low)
        return bisect.bisect_left(self.ids, item_id, low, high)

    def listed(self, ranks: Sequence[int], expand: frozenset[str]) -> bytes:
        """The JSON of these items as a page lists them, comma-separated, with the expandable fields filled in
        only when asked for."""
        plain = self.plain
        if not expand:
            return b",".join([plain[rank] for rank in ranks])
        cut = -len(self._null_tail)
        fields = [
            (self._keys[name], *self.expanded[name].parts()) if name in expand else (self._keys[name] + b"null",)
            for name in self.expandable
        ]
        pieces: list[bytes | memoryview] = []
        append = pieces.append
        for rank in ranks:
            append(plain[rank][:cut])
            for field in fields:
                if len(field) == 1:
                    append(field[0])
                    continue
                key, view, starts, lengths = field
                append(key)
                start = starts[rank]
                append(view[start : start + lengths[rank]] if lengths[rank] else b"null")
            append(b"},")
        if pieces:
            pieces[-1] = b"}"  # no comma after the last item
        return b"".join(pieces)

    def record(self, rank: int) -> JsonDict:
        """The item at `rank` as the dict it was made from (the expandable fields where the record had them)."""
        made: JsonDict = orjson.loads(self.plain[rank])
        for name in self.expandable:
            value = self.expanded[name][rank]
            if not value:
                del made[name]
            else:
                made[name] = orjson.loads(value)
        return made

    def _matching(self, query: Query) -> Sequence[int] | None:
        """The ranks, ascending, that the equality filters and the array filters admit (None: every rank).

        One filter is its posting list as it is; several are intersected once and the result cached (a
        bounded LRU), so that following the pages of a multi-filter listing costs a bisection per page, like
        a single filter, instead of a scan.
        """
        lookups = self.lookups
        lists: list[Sequence[int]] = []
        for name, value in query.selections:
            index = lookups.selections[name]
            lists.append(self.postings[index].get(lookups.query_key(index, value), ()))
        for name, values in query.one_of:
            positions = self.positions[lookups.one_of[name]]
            ranks: set[int] = set()
            for value in values:
                found = positions.get(value)
                if isinstance(found, int):
                    ranks.add(found)
                elif found is not None:
                    ranks.update(found)
            lists.append(sorted(ranks))
        if len(lists) <= 1:
            return lists[0] if lists else None
        key = query.selection()
        with self._lock:
            if key in self._intersections:
                self._intersections.move_to_end(key)
                return self._intersections[key]
        smallest, *others = sorted(lists, key=len)
        other_sets = [set(other) for other in others]
        matching = array("I", [rank for rank in smallest if all(rank in other for other in other_sets)])
        with self._lock:
            self._intersections[key] = matching
            if len(self._intersections) > _INTERSECTION_CACHE_SIZE:
                self._intersections.popitem(last=False)
        return matching

    def _bounds(self, query: Query) -> tuple[int, int]:
        """The rank range [low, high) the date filters allow."""
        low = 0 if query.after_ns is None else bisect.bisect_left(self.created, query.after_ns)
        high = len(self.ids) if query.before_ns is None else bisect.bisect_right(self.created, query.before_ns)
        return low, high

    def page(self, query: Query, after: tuple[int, str] | None, size: int) -> tuple[list[int], bool]:
        """The ranks of the next `size` matching items, newest first, older than the position `after` (a
        token's), and whether more follow."""
        low, high = self._bounds(query)
        if after is not None:
            high = min(high, self.position(after))
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


def _null_tail(expandable: Sequence[str]) -> bytes:
    return b"".join(b',"' + name.encode() + b'":null' for name in expandable) + b"}"


class TableBuilder:
    """Packs items one at a time, in any order; `build` ranks them, newest last by `order_by` (a date-time
    field; items without one first) then by id, and makes the indexes."""

    def __init__(self, operation: Operation, order_by: str | None) -> None:
        self.operation = operation
        self.order_by = order_by
        self.lookups = Lookups(operation)
        self._keys: list[tuple[int, str]] = []
        self._plain: list[bytes] = []
        self._null_tail = _null_tail(operation.expandable)
        self._expanded = {name: Column() for name in operation.expandable}
        self._indexed: dict[tuple[Filter, bool], list[Any]] = {index: [] for index in self.lookups.indexes}
        self._fields: dict[str, list[Any]] = {field: [] for field in self.lookups.fields}
        self._readers = [(keys, _reader(index)) for index, keys in self._indexed.items()]
        self._field_readers = [(values, _field_reader(field)) for field, values in self._fields.items()]
        self._columns = list(self._expanded.items())

    def add(self, item: Mapping[str, Any]) -> None:
        self.take(dict(item))

    def take(self, item: JsonDict) -> None:
        """`add`, for a dict the caller gives up: it is taken apart (its expandable fields removed) instead of
        copied first, which a million generated jobs, packed as they are made, do not pay for."""
        for keys, read in self._readers:  # the indexes read fields that are not expandable, but before any change
            keys.append(read(item))
        for values, read in self._field_readers:
            values.append(read(item))
        moment = item.get(self.order_by) if self.order_by else None
        self._keys.append((_NO_TIME if moment is None else parse_ns(moment), str(item["id"])))
        pop = item.pop
        for name, column in self._columns:
            column.add(pop(name, _ABSENT))
        self._plain.append(_encoded(item)[:-1] + self._null_tail)  # never empty: records have an id

    def build(self) -> Table:
        order = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        keys = list(map(self._keys.__getitem__, order))
        postings: dict[tuple[Filter, bool], dict[Any, array[int]]] = {}
        for index, values in self._indexed.items():
            grouped: dict[Any, list[int]] = {}
            known = grouped.get
            for rank, value in enumerate(map(values.__getitem__, order)):
                ranks = known(value)
                if ranks is None:
                    grouped[value] = [rank]
                else:
                    ranks.append(rank)
            postings[index] = {value: array("I", ranks) for value, ranks in grouped.items()}
        positions: dict[str, dict[Any, int | array[int]]] = {}
        for field, values in self._fields.items():
            found: dict[Any, int | array[int]] = dict(
                zip(map(values.__getitem__, order), range(len(order)), strict=True)
            )
            if len(found) == len(order):  # every value once (ids): each maps to its rank
                positions[field] = found
                continue
            found = {}
            for rank, value in enumerate(map(values.__getitem__, order)):
                seen = found.get(value)
                if seen is None:
                    found[value] = rank
                elif isinstance(seen, int):
                    found[value] = array("I", (seen, rank))
                else:
                    seen.append(rank)
            positions[field] = found
        for column in self._expanded.values():
            column.freeze(order)
        return Table(
            self.operation,
            array("q", map(operator.itemgetter(0), keys)),
            list(map(operator.itemgetter(1), keys)),
            list(map(self._plain.__getitem__, order)),
            self._expanded,
            postings,
            positions,
        )


def _field_reader(field: str) -> Callable[[Mapping[str, Any]], Any]:
    """A function reading the field at a dotted path of an item (a top-level one by `get`, in C)."""
    return operator.methodcaller("get", field) if "." not in field else lambda item: field_value(item, field)


def _reader(index: tuple[Filter, bool]) -> Callable[[Mapping[str, Any]], Any]:
    """A function reading what an item is indexed under (see `Lookups.item_key`)."""
    meaning, caseless = index
    read = _field_reader(meaning.field)
    if meaning.kind == "equals" and not caseless:
        return read
    if meaning.kind == "input-type":  # `item_key` without its dispatch: a call fewer for every item packed
        type_of = meaning.type_of
        return lambda item: type_of(read(item))
    return lambda item: Lookups.item_key(index, read(item))


class PackedItems(Sequence[JsonDict]):
    """The items of one paged operation packed in one Table per project, read back as dicts on demand: what a
    Dataset holds when its items are too many to keep as dicts. Newest first, project by project."""

    def __init__(self, operation: Operation, tables: Mapping[str, Table]) -> None:
        self.operation = operation
        self.tables = dict(tables)
        self._parts = [(key, table) for key, table in self.tables.items() if len(table)]
        self._ends = list(itertools.accumulate(len(table) for _, table in self._parts))

    def __repr__(self) -> str:
        return f"PackedItems({self.operation.label}, {len(self)} items in {len(self._parts)} projects)"

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> JsonDict: ...

    @overload
    def __getitem__(self, index: slice) -> list[JsonDict]: ...

    def __getitem__(self, index: int | slice) -> JsonDict | list[JsonDict]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("packed item index out of range")
        part = bisect.bisect_right(self._ends, index)
        table = self._parts[part][1]
        before = self._ends[part - 1] if part else 0
        return table.record(len(table) - 1 - (index - before))

    def __iter__(self) -> Iterator[JsonDict]:
        for _, table in self._parts:
            for rank in range(len(table) - 1, -1, -1):
                yield table.record(rank)

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same dicts in the same order (a tuple of the records, another pack)."""
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]
