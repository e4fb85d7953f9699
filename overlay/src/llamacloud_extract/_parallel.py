"""The opt-in parallel listing: page through disjoint `created_at` windows at once, and hand the pages back in the
exact order a single listing would have produced.

Why the order is exact, ties included: every job is kept by exactly one window, and all jobs sharing a timestamp
by the same one. Concatenating the windows newest first, each in the order the server sent it, is then the
single listing's order, whatever the server does to break ties, provided only that it breaks them the same way
whether or not the range is narrowed (the API documents "newest first" and nothing more).

How each job is kept by exactly one window: a window keeps the jobs in `[lower, upper)`, and adjacent windows
share their edge (`upper` of one is `lower` of the next newer one). The server is asked for `[lower, upper]`
(both bounds are inclusive there) and the client drops what is at or after `upper`; comparing on the client,
rather than asking for `upper - 1 us`, stays exact whatever precision the server keeps. The newest window is the
plain listing itself, with the caller's own bounds, and keeps everything down to its `lower`.

How the windows are cut, when nobody knows how the jobs are spread over time (a caller listing "everything"
does not know when the oldest job was made):
* The plain listing starts alone. Its first page shows where the newest jobs are and how densely they come (a
  listing that fits in one page costs one request, as without `parallel`).
* The range below that page is cut into one window per worker: evenly down to `created_at_on_or_after` when the
  caller gave it, else at geometrically growing distances (the first as far below as the first page spans, the
  last at the Unix epoch, and the oldest window open downwards, so that nothing is out of reach).
* Whenever a worker is free, the window with the most jobs left (estimated from the density it has shown) is
  split in two: it keeps the newer half of what it has not reached yet, and a new window takes the older half.
  Its walk goes on unchanged; the client drops what it fetches beyond its new `lower`, and ends it there. Empty
  windows finish after one request and their workers move on, so skewed or unknown spreads balance out.
Every decision is taken on the caller's side of the queue, page by page, so a split never takes away a job that
a window has already kept: the new edge is never newer than the oldest job the window kept so far.

Memory: the pages of the windows the caller has not reached yet are kept until it reaches them, so a parallel
listing can hold all of its items. It is meant for listings the caller collects anyway.
"""

from __future__ import annotations

import asyncio
import datetime
import math
import queue
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import attrs

from ._pages import MICROSECOND, Build, CreatedAt, Fetched, Page, Window

__all__ = ["EPOCH", "Plan", "Window", "async_pages", "even_edges", "ladder_edges", "sync_pages"]

T = TypeVar("T")
SyncWalk = Callable[[Window | None], Iterator[Fetched]]
"""Walks one window (None: the caller's own query), following the tokens."""
AsyncWalk = Callable[[Window | None], AsyncIterator[Fetched]]

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_OLDEST = (datetime.datetime(1, 1, 2, tzinfo=datetime.UTC) - EPOCH) // MICROSECOND
"""The oldest edge the ladder may place, in microseconds from the epoch (a day inside `datetime.min`)."""
_SMALLEST_UNIT = 1000
"""The ladder's first step, in microseconds, when the first page spans less (all its jobs in one instant)."""


@attrs.frozen
class Plan:
    """A parallel listing: at most `workers` requests at once, over the caller's `created_at` range."""

    after: datetime.datetime | None
    before: datetime.datetime | None
    workers: int


def _micros(moment: datetime.datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def _moment(micros: int) -> datetime.datetime:
    return EPOCH + micros * MICROSECOND


def even_edges(low: datetime.datetime, high: datetime.datetime, parts: int) -> list[datetime.datetime]:
    """The edges that cut `[low, high]` into at most `parts` equal windows, newest first, strictly between the
    two and on whole microseconds (fewer when the range has fewer microseconds)."""
    start, span = _micros(low), _micros(high) - _micros(low)
    cuts = {start + span * i // parts for i in range(1, parts)}
    return [_moment(c) for c in sorted(cuts, reverse=True) if start < c < start + span]


def ladder_edges(position: datetime.datetime, unit: datetime.timedelta, parts: int) -> list[datetime.datetime]:
    """Up to `parts - 1` edges below `position`, newest first, at distances growing geometrically from `unit`
    (at least 1 ms) so that the last lies at the Unix epoch; each at least twice as far as the one before."""
    top, step = _micros(position), max(unit // MICROSECOND, _SMALLEST_UNIT)
    count, span = parts - 1, top - _micros(EPOCH)
    ratio = max(2.0, (span / step) ** (1 / count)) if count > 0 and span > 0 else 2.0
    found: list[int] = []
    for i in range(1, count + 1):
        cut = max(top - round(step * ratio**i), _OLDEST)
        if cut < top and (not found or cut < found[-1]):
            found.append(cut)
    return [_moment(c) for c in found]


@attrs.define(eq=False)
class _Window:
    """One window: the jobs it keeps are in `[lower, upper)`; the caller's side of the queue owns it."""

    lower: datetime.datetime | None
    """Its oldest edge (kept); None: open downwards. Raised when the window is split."""
    upper: datetime.datetime | None
    """The newer neighbour's `lower` (not kept); None for the plain listing at the top, which keeps all."""
    density: float
    """Jobs per microsecond: what it has shown so far, or, before its first page, what its parent showed."""
    newest: datetime.datetime | None = None
    position: datetime.datetime | None = None
    """The oldest `created_at` kept so far: where the walk has got to."""
    seen: int = 0
    """Pages received: until the first, nothing is known about what the window holds."""
    kept: int = 0
    pages: deque[Fetched] = attrs.field(factory=deque)
    finished: bool = False
    """No more pages will be kept: the server had no more, or the walk went past `lower`."""

    def query(self) -> Window:
        return (self.lower, self.upper)

    def resume_point(self) -> datetime.datetime | None:
        """Where the walk goes on from: its oldest kept job, or its top edge before its first job."""
        return self.position if self.position is not None else self.upper

    def walked(self) -> datetime.timedelta:
        """The stretch of time behind the walk: from its top edge (or its newest job) to its oldest kept job."""
        start = self.upper if self.upper is not None else self.newest
        if start is None or self.position is None:
            return datetime.timedelta(0)
        return start - self.position

    def left(self) -> float:
        """An estimate of the jobs it has still to walk through (infinite for an open window under way); none for
        a window that has not reported yet (most of the ladder's windows are empty: splitting them would only
        make more empty ones)."""
        point = self.resume_point()
        if self.finished or not self.seen or point is None:
            return 0.0
        if self.lower is None:
            return math.inf if self.position is not None and self.kept else 0.0
        return self.density * ((point - self.lower) / MICROSECOND)


class _Windows(Generic[T]):
    """The windows of one parallel listing: which pages each keeps, when to cut new ones, and the order in which
    their pages go out. Used only from the caller's side (its thread, or its task); the walks only fetch."""

    def __init__(self, plan: Plan, created_at: CreatedAt, build: Build[T], limit: int | None) -> None:
        self.plan = plan
        self.created_at = created_at
        self.build = build
        self.limit = limit
        self.top: _Window = _Window(lower=plan.after, upper=None, density=0.0)
        self.order: list[_Window] = [self.top]
        """Newest range first: the order in which the pages go out."""
        self.pending: list[_Window] = [self.top]
        self.running = 0
        self.current = 0
        self.cut_below_top = False
        self.page_length = 1

    @property
    def done(self) -> bool:
        return self.current >= len(self.order)

    def launch(self) -> list[tuple[_Window, Window | None]]:
        """The windows to start walking now, each with the range to ask for (None: the caller's own query)."""
        self._rebalance()
        started = [(w, None if w is self.top else w.query()) for w in self.pending]
        self.running += len(started)
        self.pending = []
        return started

    def accept(self, window: _Window, fetched: Fetched) -> None:
        """Keep what belongs to `window` from one of its pages; past its `lower`, the window is finished."""
        if window.finished:
            return  # it went past its lower edge already; this page was on its way
        response, page = fetched
        window.seen += 1
        if window is self.top:
            self.page_length = max(self.page_length, len(page.items))
        kept = self._inside(window, page.items)
        if kept:
            window.kept += len(kept)
            window.pages.append((response, page if len(kept) == len(page.items) else attrs.evolve(page, items=kept)))
            window.newest = window.newest or self.created_at(kept[0])
            window.position = self.created_at(kept[-1])
            window.density = window.kept / max(1.0, window.walked() / MICROSECOND)

    def _inside(self, window: _Window, items: list[Any]) -> list[Any]:
        """The items of one page (newest first) that lie in `window`; marks it finished once past its `lower`.
        A page wholly inside needs two timestamps read, not one per job."""
        if not items:
            return items
        upper, lower = window.upper, window.lower
        if (upper is None or self.created_at(items[0]) < upper) and (
            lower is None or self.created_at(items[-1]) >= lower
        ):
            return items
        kept = []
        for item in items:
            moment = self.created_at(item)
            if upper is not None and moment >= upper:
                continue  # at the shared edge: the newer window keeps it
            if lower is not None and moment < lower:
                window.finished = True  # an older window has this and everything after it
                break
            kept.append(item)
        return kept

    def walked_past(self, window: _Window, fetched: Fetched) -> bool:
        """Whether this page already reaches below the window's lower edge, so its walk need fetch no more.
        Called from the walk's own thread, before the caller's side has seen the page: it only reads `lower`,
        which only ever rises, so a stale read costs at most one page more."""
        lower, items = window.lower, fetched[1].items
        if lower is None or not items:
            return False
        try:
            return self.created_at(items[-1]) < lower
        except Exception:  # an unreadable timestamp: the caller's side reports it when it takes the page
            return False

    def ended(self, window: _Window) -> None:
        """The walk of `window` returned (the server had no more pages, or it was told to stop)."""
        window.finished = True
        self.running -= 1

    def pop(self) -> Page[T] | None:
        """The next page in the single listing's order, if it has arrived, built (models are made here, on the
        caller's side, and only for the jobs kept: one thread building while the others wait on the network
        costs less than all of them contending for the interpreter)."""
        while not self.done:
            window = self.order[self.current]
            if window.pages:
                return self.build(*window.pages.popleft())
            if not window.finished:
                return None
            self.current += 1
        return None

    def _rebalance(self) -> None:
        if not self.cut_below_top:
            if self.top.position is None or self.top.finished:
                return  # wait for the first page; a listing that ended there needs no windows
            self.cut_below_top = True
            if self.limit is None or self.top.kept < self.limit:
                self._cut_below_top()
            return
        while self.running + len(self.pending) < self.plan.workers:
            busiest = max(self.order[self.current :], key=_Window.left, default=None)
            if busiest is None or busiest.left() < 2 * self.page_length or not self._split(busiest):
                return

    def _cut_below_top(self) -> None:
        """The first windows, below the plain listing's first page."""
        top = self.top
        if top.position is None:
            return
        if top.lower is not None:
            edges = even_edges(top.lower, top.position, self.plan.workers)
        else:
            edges = ladder_edges(top.position, top.walked(), self.plan.workers)
        if not edges:
            return  # too narrow a range to cut: the plain listing walks it alone
        lowers = [*edges[1:], top.lower]
        top.lower = edges[0]
        for upper, lower in zip(edges, lowers, strict=True):
            window: _Window = _Window(lower=lower, upper=upper, density=top.density)
            self.order.append(window)
            self.pending.append(window)

    def _split(self, window: _Window) -> bool:
        """Hand the older part of what `window` has still to walk to a new window, next to it in the order."""
        point = window.resume_point()
        if point is None:
            return False
        if window.lower is None:  # open downwards: keep as much again as it has walked, hand on the rest
            edge = _moment(max(_micros(point) - max(window.walked() // MICROSECOND, _SMALLEST_UNIT), _OLDEST))
        else:
            edge = window.lower + (point - window.lower) // 2
        if not ((window.lower is None or window.lower < edge) and edge <= point):
            return False
        older: _Window = _Window(lower=window.lower, upper=edge, density=window.density)
        window.lower = edge
        self.order.insert(self.order.index(window) + 1, older)
        self.pending.append(older)
        return True


_Event = tuple[_Window, Fetched | None, BaseException | None]


def sync_pages(
    walk: SyncWalk, build: Build[T], plan: Plan, created_at: CreatedAt, limit: int | None
) -> Iterator[Page[T]]:
    """The pages of every window, at most `plan.workers` walks at once (one thread each), in the single listing's
    order. The first error stops them all."""
    windows: _Windows[T] = _Windows(plan, created_at, build, limit)
    events: queue.SimpleQueue[_Event] = queue.SimpleQueue()
    closing = threading.Event()

    def run(window: _Window, query: Window | None) -> None:
        try:
            for fetched in walk(query):
                events.put((window, fetched, None))
                if window.finished or closing.is_set() or windows.walked_past(window, fetched):
                    break
        except BaseException as exc:  # handed to the caller's thread, which raises it
            events.put((window, None, exc))
            return
        events.put((window, None, None))

    def take(event: _Event) -> None:
        window, fetched, error = event
        if error is not None:
            raise error
        if fetched is None:
            windows.ended(window)
        else:
            windows.accept(window, fetched)

    pool = ThreadPoolExecutor(plan.workers, thread_name_prefix="llamacloud-extract-window")
    try:
        while True:
            while True:  # everything that has arrived, so free workers get new windows at once
                try:
                    take(events.get_nowait())
                except queue.Empty:
                    break
            for window, query in windows.launch():
                pool.submit(run, window, query)
            page = windows.pop()
            if page is not None:
                yield page
            elif windows.done:
                return
            else:
                take(events.get())
    finally:
        closing.set()
        pool.shutdown(wait=False, cancel_futures=True)


async def async_pages(
    walk: AsyncWalk, build: Build[T], plan: Plan, created_at: CreatedAt, limit: int | None
) -> AsyncIterator[Page[T]]:
    """The pages of every window, at most `plan.workers` walks at once (one task each), in the single listing's
    order. The first error stops them all."""
    windows: _Windows[T] = _Windows(plan, created_at, build, limit)
    events: asyncio.Queue[_Event] = asyncio.Queue()

    async def run(window: _Window, query: Window | None) -> None:
        try:
            async for fetched in walk(query):
                events.put_nowait((window, fetched, None))
                if window.finished or windows.walked_past(window, fetched):
                    break
        except Exception as exc:  # handed to the caller's task, which raises it
            events.put_nowait((window, None, exc))
            return
        events.put_nowait((window, None, None))

    def take(event: _Event) -> None:
        window, fetched, error = event
        if error is not None:
            raise error
        if fetched is None:
            windows.ended(window)
        else:
            windows.accept(window, fetched)

    tasks: list[asyncio.Future[None]] = []
    try:
        while True:
            while not events.empty():
                take(events.get_nowait())
            tasks.extend(asyncio.ensure_future(run(window, query)) for window, query in windows.launch())
            page = windows.pop()
            if page is not None:
                yield page
            elif windows.done:
                return
            else:
                take(await events.get())
    finally:
        for task in tasks:
            task.cancel()
