"""How listed items are written: a table for people, JSON Lines, a JSON array or CSV for programs.

Every format writes page by page and flushes after each, so a listing of any length streams through a pipe
and never sits in memory whole. The items are the API's JSON objects as they arrived (`raw=True`), so the JSON
formats keep every field, new ones included.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TextIO

import attrs
from rich import box
from rich.table import Table
from rich.text import Text

from llamacloud_extract import ExtractJobStatus, ExtractRun, ExtractState, ExtractV2Job, file_input
from llamacloud_extract.renames import RENAMES

from .consoles import OutputConsole

FORMATS = ("table", "jsonl", "json", "csv")
_MAX_CELL = 60  # characters of a table cell; longer values end in an ellipsis
_UNBOUNDED = 100_000  # a console width no table reaches
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029], " ")


@attrs.frozen
class Shape:
    """The columns of one kind of item: all of its fields for CSV, a few readable ones for the table."""

    noun: str
    fields: tuple[str, ...]
    """The schema's fields in its order; CSV adds `extra`, a JSON object of the fields the schema lacks."""
    table: tuple[str, ...]
    """Dotted paths into the item (`file.name`), or the names of `computed` columns."""
    min_widths: Mapping[str, int] = attrs.field(factory=dict)
    """Widths a table column gets even when the first page's values are narrower (`FAILED`, then `COMPLETED`)."""
    renamed: Mapping[str, str] = attrs.field(factory=dict)
    """Schema field -> its newer name, read instead when an item lacks the field (a server newer than the spec)."""
    computed: Mapping[str, Callable[[Mapping[str, Any]], Any]] = attrs.field(factory=dict)
    """Table columns worked out from the whole item rather than read at a path."""
    extra: bool = True
    """Whether CSV ends with the `extra` column: for the API's items, whose fields may outgrow the schema; not for
    rows the command makes itself (counts), whose fields are all known."""


def _fields(model: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(model) if field.name != "additional_properties")


def _renamed(model: type) -> dict[str, str]:
    return {old: new for (schema, old), new in RENAMES.items() if schema == model.__name__}


JOBS = Shape(
    noun="jobs",
    fields=_fields(ExtractV2Job),
    table=("id", "status", "created_at", "file_input", "configuration_id", "error_message"),
    min_widths={"status": max(len(status.value) for status in ExtractJobStatus), "created_at": 20},
    renamed=_renamed(ExtractV2Job),
    computed={"file_input": file_input},  # whichever name the server gave it
)
RUNS = Shape(
    noun="runs",
    fields=_fields(ExtractRun),
    table=("id", "status", "created_at", "extraction_agent_id", "file.name", "job_id", "error"),
    min_widths={"status": max(len(state.value) for state in ExtractState), "created_at": 20},
    renamed=_renamed(ExtractRun),
)


class Sink(Protocol):
    def write(self, items: Sequence[Mapping[str, Any]]) -> None: ...

    def close(self) -> None:
        """Write what ends the output (a closing bracket) and flush."""


class LineFormat(Protocol):
    """A format of one item a line, as text: what `jobs list` prints and what `jobs export` writes to its file,
    so that both give the same bytes for the same jobs."""

    def header(self) -> str:
        """What comes once, before the first item (CSV's column names); may be empty."""

    def lines(self, items: Sequence[Mapping[str, Any]]) -> str:
        """The items, each on its own line (a CSV line may hold quoted line breaks), each line ended."""


def default_format(stdout: TextIO) -> str:
    """A table for a terminal, JSON Lines for a pipe or a file."""
    return "table" if stdout.isatty() else "jsonl"


def open_sink(name: str, shape: Shape, stream: TextIO | None = None) -> Sink:
    """The writer for format `name`. Without a stream it writes to whatever `sys.stdout` is at each write,
    so that a progress display that redirects stdout (to print above its bar) catches the output."""
    if name == "table":
        return TableSink(shape, stream)
    if name == "json":
        return JsonArraySink(shape, stream)
    return LineSink(shape, stream, line_format(name, shape))


# Characters that JSON lets stand raw in a string but that `str.splitlines` and some JSON Lines readers take
# for line ends; escaped, they can only be read back as themselves.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(item: Any) -> str:
    """One item as compact JSON on one line, non-ASCII text kept as it is (but for Unicode line breaks)."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).translate(_LINE_BREAKS)


class JsonLines:
    """One JSON object a line, each item exactly as the server sent it."""

    def header(self) -> str:
        return ""

    def lines(self, items: Sequence[Mapping[str, Any]]) -> str:
        return "".join(dumps(item) + "\n" for item in items)


class Csv:
    """RFC 4180 CSV (CRLF line ends, so that a lone CR in a value is quoted too): the schema's fields as
    columns, objects and arrays as JSON text, null as an empty cell. A field the API has renamed is read from
    its newer name when an item lacks it (`document_input_value` from `file_input`), so its column is filled
    whichever version the server speaks; every field the schema lacks goes into `extra`, nothing is dropped."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape

    def header(self) -> str:
        return _csv_text([[*self.shape.fields, *(["extra"] if self.shape.extra else [])]])

    def lines(self, items: Sequence[Mapping[str, Any]]) -> str:
        return _csv_text(self._row(item) for item in items)

    def _row(self, item: Mapping[str, Any]) -> list[str]:
        values = {name: item.get(name) for name in self.shape.fields}
        read_from: set[str] = set()
        for old, new in self.shape.renamed.items():
            if old not in item and new in item:
                values[old] = item[new]
                read_from.add(new)
        cells = [_csv_cell(value) for value in values.values()]
        if not self.shape.extra:
            return cells
        extra = {name: value for name, value in item.items() if name not in values and name not in read_from}
        return [*cells, dumps(extra) if extra else ""]


LINE_FORMATS: Mapping[str, Callable[[Shape], LineFormat]] = {"jsonl": lambda _shape: JsonLines(), "csv": Csv}
"""The formats of one item a line, which a file can be appended to page by page (and cut back to a page's end)."""


def line_format(name: str, shape: Shape) -> LineFormat:
    return LINE_FORMATS[name](shape)


def _csv_text(rows: Iterable[list[str]]) -> str:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return dumps(value)


class _Sink:
    def __init__(self, shape: Shape, stream: TextIO | None) -> None:
        self.shape = shape
        self._stream = stream

    @property
    def out(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    def write(self, items: Sequence[Mapping[str, Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class LineSink(_Sink):
    """A `LineFormat` streamed: its header before the first page (or at the close, for an empty listing)."""

    def __init__(self, shape: Shape, stream: TextIO | None, text: LineFormat) -> None:
        super().__init__(shape, stream)
        self._text = text
        self._started = False

    def write(self, items: Sequence[Mapping[str, Any]]) -> None:
        text = self._text.lines(items)
        if not self._started:
            text = self._text.header() + text
            self._started = True
        if text:
            self.out.write(text)
            self.out.flush()

    def close(self) -> None:
        self.write([])
        super().close()


class JsonArraySink(_Sink):
    """One JSON array, one item per line, written as the pages come."""

    _opened = False

    def write(self, items: Sequence[Mapping[str, Any]]) -> None:
        for item in items:
            self.out.write(",\n" if self._opened else "[\n")
            self.out.write(dumps(item))
            self._opened = True
        self.out.flush()

    def close(self) -> None:
        self.out.write("\n]\n" if self._opened else "[]\n")
        self.out.flush()


class TableSink(_Sink):
    """A rich table printed page by page: the header once, and the column widths of the first page kept for
    the next ones (but the last), so the pages line up as one table without holding them all."""

    def __init__(self, shape: Shape, stream: TextIO | None) -> None:
        super().__init__(shape, stream)
        self._widths: list[int] | None = None

    def write(self, items: Sequence[Mapping[str, Any]]) -> None:
        if self._widths is not None and not items:
            return
        rows = [[self._cell(item, path) for path in self.shape.table] for item in items]
        first = self._widths is None
        if self._widths is None:
            self._widths = [
                max([len(path), self.shape.min_widths.get(path, 0), *(len(row[i]) for row in rows)])
                for i, path in enumerate(self.shape.table)
            ]
        table = Table(box=box.SIMPLE_HEAD, show_header=first, show_edge=False, pad_edge=False)
        *fixed, last = self.shape.table
        for path, width in zip(fixed, self._widths, strict=False):
            table.add_column(path, width=width, no_wrap=True, overflow="ellipsis")
        table.add_column(last, no_wrap=True, overflow="ellipsis")  # the last column may vary: nothing follows it
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: a value is never read as rich markup
        # A terminal's own width; elsewhere (a forced table into a file) as wide as the columns need.
        console_width = None if self.out.isatty() else _UNBOUNDED
        OutputConsole(file=self.out, width=console_width, soft_wrap=False).print(table)
        self.out.flush()

    def close(self) -> None:
        if self._widths is None:
            self.write([])
        super().close()

    def _cell(self, item: Mapping[str, Any], column: str) -> str:
        computed = self.shape.computed.get(column)
        return _table_cell(computed(item) if computed is not None else _at(item, column))


def _at(item: Mapping[str, Any], path: str) -> Any:
    value: Any = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else dumps(value)
    text = " ".join(text.translate(_CONTROLS).split())  # one line, and no escape sequence reaches the terminal
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"
