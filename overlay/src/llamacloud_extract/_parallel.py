"""The opt-in parallel listing: split the `created_at` range into windows, page through them at once, and
hand the pages back in the exact order a single listing would have produced.

Why the order is exact, ties included: every job is kept in exactly one window, and all jobs sharing a
timestamp in the same one. Concatenating the windows newest first, each in the order the server sent it, is
then the single listing's order, whatever the server does to break ties, provided only that it breaks them the
same way whether or not the range is narrowed (the API documents "newest first" and nothing more).

How each job lands in exactly one window: both bounds are inclusive on the server, so adjacent windows share
their edge, `[t0, t1]`, `[t1, t2]`, ...; the client then drops from each window (the newest excepted) the jobs
at or after its upper edge, which the next newer window holds. Comparing on the client, rather than asking the
server for `[t0, t1 - 1 us]`, stays exact whatever precision the server keeps: a job at `t1 - 0.5 us` is in
`[t0, t1]` only, and reads as `t1 - 1 us` (Python truncates to microseconds), so it stays there.

Memory: the pages of the windows the caller has not reached yet are kept until it reaches them, so a parallel
listing can hold all of its items. It is meant for listings the caller collects anyway.
"""

from __future__ import annotations

import asyncio
import datetime
import itertools
import queue
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

if TYPE_CHECKING:
    from ._pagination import Page

T = TypeVar("T")
Window = tuple[datetime.datetime | None, datetime.datetime | None]
"""`(created_at_on_or_after, created_at_on_or_before)` as sent, both inclusive; None leaves that side open."""

ONE_MICROSECOND = datetime.timedelta(microseconds=1)


def split(
    after: datetime.datetime, before: datetime.datetime, count: int
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """At most `count` windows `(low, high)` over `[after, before]`, newest first, each starting where the older
    one ends. Edges fall on whole microseconds: fewer windows when the range has fewer microseconds than
    `count`; one when it is empty or reversed."""
    span = (before - after) // ONE_MICROSECOND
    count = max(1, min(count, span))
    edges = [after + ONE_MICROSECOND * (span * i // count) for i in range(count)] + [before]
    return list(itertools.pairwise(edges))[::-1]


@attrs.frozen
class Plan:
    """A parallel listing: `workers` windows between `after` and `before` (or now, with the top left open)."""

    after: datetime.datetime
    before: datetime.datetime | None
    workers: int
    now: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC)

    def windows(self) -> list[Window]:
        """The windows, newest first, computed when a listing starts (so `now` is the start of iteration)."""
        windows: list[Window] = [(lo, hi) for lo, hi in split(self.after, self.before or self.now(), self.workers)]
        if self.before is None:
            windows[0] = (windows[0][0], None)  # jobs created after `now` (or on a clock ahead of ours) land here
        return windows


class _Merge(Generic[T]):
    """Pages arrive from every window in any order; `ready()` releases them in window order."""

    def __init__(self, count: int) -> None:
        self.buffers: list[deque[Page[T]]] = [deque() for _ in range(count)]
        self.finished = [False] * count
        self.current = 0

    @property
    def done(self) -> bool:
        return self.current >= len(self.buffers)

    def ready(self) -> Iterator[Page[T]]:
        while not self.done:
            if self.buffers[self.current]:
                yield self.buffers[self.current].popleft()
            elif self.finished[self.current]:
                self.current += 1
            else:
                return

    def record(self, index: int, page: Page[T] | None) -> None:
        """A page from window `index`, or None when that window has no more."""
        if page is None:
            self.finished[index] = True
        else:
            self.buffers[index].append(page)


SyncWalk = Callable[[str | None, Window | None, bool], Iterator["Page[T]"]]
AsyncWalk = Callable[[str | None, Window | None, bool], AsyncIterator["Page[T]"]]
CreatedAt = Callable[[T], datetime.datetime]
_Event = tuple[int, "Page[Any] | None", BaseException | None]


def _own_items(page: Page[T], index: int, windows: list[Window], created_at: CreatedAt[T]) -> Page[T]:
    """`page` without the jobs at or after its window's upper edge: the next newer window has them."""
    edge = windows[index][1]
    if index == 0 or edge is None:
        return page
    kept = [item for item in page.items if created_at(item) < edge]
    return page if len(kept) == len(page.items) else attrs.evolve(page, items=kept)


def sync_pages(walk: SyncWalk[T], windows: list[Window], workers: int, created_at: CreatedAt[T]) -> Iterator[Page[T]]:
    """The pages of every window, one thread per window, in window order. The first error stops them all."""
    events: queue.SimpleQueue[_Event] = queue.SimpleQueue()
    stop = threading.Event()

    def run(index: int, window: Window) -> None:
        try:
            for page in walk(None, window, False):
                if stop.is_set():
                    return
                events.put((index, _own_items(page, index, windows, created_at), None))
        except BaseException as exc:  # handed to the caller's thread, which raises it
            events.put((index, None, exc))
            return
        events.put((index, None, None))

    merge: _Merge[T] = _Merge(len(windows))
    pool = ThreadPoolExecutor(min(workers, len(windows)), thread_name_prefix="llamacloud-extract-window")
    try:
        for index, window in enumerate(windows):
            pool.submit(run, index, window)
        while True:
            yield from merge.ready()
            if merge.done:
                return
            index, page, error = events.get()
            if error is not None:
                raise error
            merge.record(index, page)
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)


async def async_pages(
    walk: AsyncWalk[T], windows: list[Window], workers: int, created_at: CreatedAt[T]
) -> AsyncIterator[Page[T]]:
    """The pages of every window, at most `workers` windows at a time, in window order."""
    events: asyncio.Queue[_Event] = asyncio.Queue()
    slots = asyncio.Semaphore(workers)

    async def run(index: int, window: Window) -> None:
        try:
            async with slots:
                async for page in walk(None, window, False):
                    events.put_nowait((index, _own_items(page, index, windows, created_at), None))
        except Exception as exc:  # handed to the caller's task, which raises it
            events.put_nowait((index, None, exc))
            return
        events.put_nowait((index, None, None))

    merge: _Merge[T] = _Merge(len(windows))
    tasks = [asyncio.ensure_future(run(index, window)) for index, window in enumerate(windows)]
    try:
        while True:
            for page in merge.ready():
                yield page
            if merge.done:
                return
            index, page_or_end, error = await events.get()
            if error is not None:
                raise error
            merge.record(index, page_or_end)
    finally:
        for task in tasks:
            task.cancel()
