"""List Extract Jobs for more `job_ids` than one request can carry: split them over requests that fit, and merge
the answers back into the order the single listing would have.

Splitting: the ids (each once: a repeated id in two requests would come back twice) are cut, in the caller's
order, into chunks that each fit `_limits.SPLIT_URL_LENGTH` with the other parameters and room for a page
token. Each chunk is a listing of its own, paged as usual, newest first.

Merging: the listing is the merge of the chunks by `created_at`, newest first; a chunk's next page is fetched
only when the jobs it has shown run out, so a `limit` or an early stop costs few requests. The one thing the
client cannot know is the order of jobs that share a timestamp but sit in different chunks: the server breaks
such ties its own way. For those, and only for those, it asks the server: one more listing of the tied ids, or,
when they do not fit in one request, of that instant (`[t, t + 1 us]`), whose order is the server's own. The
result is exact under the assumption the parallel mode makes too: the server breaks ties the same way however
the listing is narrowed. Before a tie is settled, every chunk whose shown jobs all share its timestamp is read
further, so that a tie is settled whole.

Every id is in exactly one chunk, so the merge holds what the single listing would. A job is at most one id,
so a split listing never holds more than `len(job_ids)` jobs; the merge keeps at most one page per chunk.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from . import _limits
from ._pages import MICROSECOND, Build, CreatedAt, Fetched, Page, Window

T = TypeVar("T")

Request = Callable[[Sequence[str] | None, Window | None], Mapping[str, Any]]
"""The first request of the listing (the generated operation's kwargs) with these `job_ids` instead, in this
`created_at` window (None: the caller's range)."""
SyncWalk = Callable[[Sequence[str] | None, Window | None], Iterator[Fetched]]
"""Walks the listing with these `job_ids` (None: none at all), in this `created_at` window (None: the caller's)."""
AsyncWalk = Callable[[Sequence[str] | None, Window | None], AsyncIterator[Fetched]]


def chunk(job_ids: Sequence[str], request: Request, base_url: str, where: str) -> list[list[str]]:
    """`job_ids`, each once, in chunks that fit a request each (a single chunk when they all fit in one; none
    without ids); raise `RequestTooLongError` for a request that no URL can carry, even with a single id."""
    unique = list(dict.fromkeys(job_ids))
    if len(unique) < 2 or _limits.url_length(base_url, request(unique, None)) <= _budget():
        _limits.check_query(request(unique, None), where)
        return [unique] if unique else []
    without = request([], None)
    base = _limits.url_length(base_url, without)
    cost = [_limits.query_length({"job_ids": [job_id]}) + 1 for job_id in unique]
    budget = _budget()
    if base + min(cost) > budget:  # the other parameters fill a request already: the server decides, as for them
        query = _limits.query_length(without.get("params") or {})
        path = base - (1 + query if query else 0)
        budget = path + 1 + _limits.MAX_QUERY_LENGTH - _limits.PAGE_TOKEN_ROOM
    chunks: list[list[str]] = []
    length = budget + 1
    for job_id, extra in zip(unique, cost, strict=True):
        if length + extra > budget:
            chunks.append([])
            length = base
        chunks[-1].append(job_id)
        length += extra
    for ids in chunks:
        if len(ids) == 1:  # a single id can be too long on its own
            _limits.check_query(request(ids, None), where)
    return chunks


def _budget() -> int:
    return _limits.SPLIT_URL_LENGTH - _limits.PAGE_TOKEN_ROOM


@attrs.frozen
class Split:
    """A listing of `chunks` of job ids, merged: what a pager needs to walk it."""

    chunks: tuple[tuple[str, ...], ...]
    request: Request
    base_url: str

    def tie_ids(self, tie: Tie) -> list[str] | None:
        """The ids to ask about a tie, or None to ask for its whole instant instead (when they do not fit)."""
        fits = _limits.url_length(self.base_url, self.request(tie.ids, tie.window())) <= _budget()
        return tie.ids if fits else None


@attrs.frozen
class _Shown:
    """A job a chunk has shown: its JSON object, the response it came in, and when it was created."""

    response: Any
    item: Any
    moment: datetime.datetime


@attrs.define
class _Chunk:
    shown: deque[_Shown] = attrs.field(factory=deque)
    ended: bool = False
    """The server has no more pages for it."""
    total: int | None = None


@attrs.frozen
class Tie:
    """Jobs with one timestamp from several chunks: the server must say their order."""

    moment: datetime.datetime
    ids: list[str]

    def window(self) -> Window:
        return (self.moment, self.moment + MICROSECOND)


class Merge(Generic[T]):
    """The state of one merged listing, fed and drained by the sync or the async driver below.

    The driver asks `wanted()` which chunks need a page before anything can go out, feeds them (`feed`), and
    once none is wanted, takes the next `tie()`, if any, to the server and hands its order to `take`."""

    def __init__(self, chunks: int, created_at: CreatedAt, build: Build[T]) -> None:
        self._chunks = [_Chunk() for _ in range(chunks)]
        self._created_at = created_at
        self._build = build
        self._out: list[_Shown] = []
        self.page_length = 1

    def wanted(self) -> list[int]:
        """The chunks to read further now: those with nothing shown, and those whose shown jobs all share the
        newest timestamp (more of that instant may follow)."""
        newest = self._newest()
        return [
            index
            for index, chunk in enumerate(self._chunks)
            if not chunk.ended and (not chunk.shown or (newest is not None and chunk.shown[-1].moment == newest))
        ]

    def feed(self, index: int, fetched: Fetched | None) -> None:
        """One more page of chunk `index`, or None when it has no more."""
        chunk = self._chunks[index]
        if fetched is None:
            chunk.ended = True
            return
        response, page = fetched
        if chunk.total is None:
            chunk.total = page.total_size
        self.page_length = max(self.page_length, len(page.items))
        chunk.shown.extend(_Shown(response, item, self._created_at(item)) for item in page.items)
        if not page.items:
            chunk.ended = True

    @property
    def finished(self) -> bool:
        return all(chunk.ended and not chunk.shown for chunk in self._chunks)

    def _newest(self) -> datetime.datetime | None:
        return max((chunk.shown[0].moment for chunk in self._chunks if chunk.shown), default=None)

    def _group(self) -> list[list[_Shown]]:
        """Per chunk, its shown jobs at the newest timestamp (empty for the others)."""
        newest = self._newest()
        group = []
        for chunk in self._chunks:
            run = []
            for shown in chunk.shown:
                if shown.moment != newest:
                    break
                run.append(shown)
            group.append(run)
        return group

    def tie(self) -> Tie | None:
        """The jobs to go out next, if they are a tie across chunks whose order only the server knows."""
        runs = [run for run in self._group() if run]
        if len(runs) < 2:
            return None
        return Tie(runs[0][0].moment, [_id(shown.item) for run in runs for shown in run])

    def take(self, order: Sequence[str] | None) -> None:
        """Move the next jobs out: the newest chunk's run, or a tie in the server's `order` (jobs it no longer
        listed keep their chunks' order, after the others)."""
        group = self._group()
        runs = [run for run in group if run]
        for chunk, run in zip(self._chunks, group, strict=True):
            for _ in run:
                chunk.shown.popleft()
        tied = [shown for run in runs for shown in run]
        if order is not None and len(runs) > 1:
            rank = {job_id: position for position, job_id in enumerate(order)}
            tied.sort(key=lambda shown: rank.get(_id(shown.item), len(rank)))
        self._out.extend(tied)

    def total(self) -> int | None:
        totals = [chunk.total for chunk in self._chunks]
        return None if any(total is None for total in totals) else sum(t for t in totals if t is not None)

    def page(self, *, last: bool) -> Page[T] | None:
        """A page of what has gone out, once there is a page's worth (or at the end, what is left)."""
        if not self._out or (len(self._out) < self.page_length and not last):
            return None
        taken, self._out = self._out[: self.page_length], self._out[self.page_length :]
        items: list[Any] = []
        start = 0
        for end in range(1, len(taken) + 1):  # each run of jobs from one response is built with that response
            if end == len(taken) or taken[end].response is not taken[start].response:
                part = Page(items=[shown.item for shown in taken[start:end]], next_page_token=None, total_size=None)
                items += self._build(taken[start].response, part).items
                start = end
        return Page(items=items, next_page_token=None, total_size=self.total())


def _id(item: Any) -> str:
    return str(item.get("id")) if isinstance(item, Mapping) else ""


def _order(fetched: Iterator[Fetched] | list[Fetched], tie: Tie, created_at: CreatedAt) -> list[str]:
    wanted = set(tie.ids)
    return [
        _id(item)
        for _, page in fetched
        for item in page.items
        if _id(item) in wanted and created_at(item) == tie.moment
    ]


def sync_pages(walk: SyncWalk, build: Build[T], split: Split, created_at: CreatedAt) -> Iterator[Page[T]]:
    """The pages of a split listing, merged, fetching one request at a time."""
    merge: Merge[T] = Merge(len(split.chunks), created_at, build)
    walks = [walk(ids, None) for ids in split.chunks]
    try:
        while True:
            while wanted := merge.wanted():
                for index in wanted:
                    merge.feed(index, next(walks[index], None))
            if merge.finished:
                break
            tie = merge.tie()
            order = None if tie is None else _order(walk(split.tie_ids(tie), tie.window()), tie, created_at)
            merge.take(order)
            if (page := merge.page(last=False)) is not None:
                yield page
        while (page := merge.page(last=True)) is not None:
            yield page
    finally:
        for each in walks:
            close = getattr(each, "close", None)
            if close is not None:
                close()


async def async_pages(walk: AsyncWalk, build: Build[T], split: Split, created_at: CreatedAt) -> AsyncIterator[Page[T]]:
    """The pages of a split listing, merged, as `sync_pages`, one request at a time."""
    merge: Merge[T] = Merge(len(split.chunks), created_at, build)
    walks = [walk(ids, None) for ids in split.chunks]
    try:
        while True:
            while wanted := merge.wanted():
                for index in wanted:
                    merge.feed(index, await anext(walks[index], None))
            if merge.finished:
                break
            tie = merge.tie()
            order = None
            if tie is not None:
                fetched = [page async for page in walk(split.tie_ids(tie), tie.window())]
                order = _order(fetched, tie, created_at)
            merge.take(order)
            if (page := merge.page(last=False)) is not None:
                yield page
        while (page := merge.page(last=True)) is not None:
            yield page
    finally:
        for each in walks:
            aclose = getattr(each, "aclose", None)
            if aclose is not None:
                await aclose()
