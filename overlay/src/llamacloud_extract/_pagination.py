"""Auto-pagination for `GET /api/v2/extract`: pagers that walk `next_page_token` for the caller.

The rules are those of the official SDK, `llama-cloud` 2.19.0 (`pagination.py` and `BasePage` in
`_base_client.py`; see openapi/HISTORY.md for the SDK releases), plus a guard it lacks:
* every filter is sent again with each page; only `page_token` changes;
* the listing ends on an empty page, or on a `next_page_token` that is absent, null or "";
* a token the server already gave (or the one the listing started from) raises `PaginationError` after the
  page that carried it has been delivered, instead of looping for ever.

Spec drift (items lacking a field the spec requires, see `_drift`) is counted as the pages reach the caller and
reported once per listing and field when the listing ends: when the last page has been handed over, when
`limit` is reached, or when the caller stops early (a `break` closes the pager's generator).

A pager walks the pages of one request, given its `fetch(token)`. A listing made of several requests (parallel
windows, split `job_ids`) comes with a `mode` (see `_pages`), which the pager hands that walk to; the pager
itself knows nothing of how the mode narrows its requests.

While the caller works through one page, the next one is already on its way (one page of read-ahead: a
thread for `SyncPager`, a task for `AsyncPager`), so at most two pages are held at once. `SyncPager` reads ahead
only while requests keep it waiting (`READ_AHEAD_AFTER`): handing a request to the thread costs about 0.2 ms a
page, which pays when there is network time to hide and is pure loss when there is none. Only the request runs
ahead, sent as soon as the current page's JSON has given its `next_page_token`; building the current page's
models and the caller's own work then overlap with the network wait, and no two threads compete for the GIL to
parse.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import attrs
import httpx

from . import _limits
from ._drift import Tally
from ._errors import PaginationError
from ._pages import AsyncFetch, AsyncMode, Build, Fetch, Fetched, Page, Read, SyncMode

__all__ = ["READ_AHEAD_AFTER", "AsyncPager", "SyncPager"]

T = TypeVar("T")

READ_AHEAD_AFTER = 0.001
"""Seconds a request must have taken for `SyncPager` to send the next one ahead (an in-process transport
answers in well under this; any real network takes longer)."""


class _Cursor:
    """What the two pagers share: which token comes next, and whether the server is repeating itself."""

    def __init__(self, start: str | None, where: str) -> None:
        self.seen: set[str] = {start} if start else set()
        self.where = where

    def following(self, page: Page[Any]) -> str | None:
        """The token to request after `page`, or None when the listing is over."""
        token = page.next_page_token
        return token if page.items and token else None

    def accept(self, token: str) -> None:
        """Record `token` as used; raise if the server has handed it out before, or if no URL can carry it."""
        _limits.check_page_token(token, self.where)
        if token in self.seen:
            raise PaginationError(
                f"GET {self.where}: the server returned the page token {token!r} a second time; "
                "stopping instead of fetching the same pages again",
                method="GET",
                url=self.where,
            )
        self.seen.add(token)


def _truncate(page: Page[T], remaining: int) -> Page[T]:
    return page if len(page.items) <= remaining else attrs.evolve(page, items=page.items[:remaining])


_TO_CALLER = 2
"""Frames from a pager's `_limited` generator up to the code iterating the pager through `__iter__` (one fewer
through `pages()`): where a drift warning points."""


class SyncPager(Generic[T]):
    """Iterate it for every item of every page, or call `.pages()` for the pages.

    Each iteration starts again from the first page (or from the `page_token` the listing was created with).
    """

    def __init__(
        self,
        fetch: Fetch,
        read: Read,
        build: Build[T],
        *,
        page_token: str | None,
        limit: int | None,
        read_ahead: bool,
        where: str,
        mode: SyncMode[T] | None = None,
    ) -> None:
        self._fetch = fetch
        self._read = read
        self._build = build
        self._start = page_token
        self._limit = limit
        self._read_ahead = read_ahead
        self._mode = mode
        self._where = where

    @property
    def resumable(self) -> bool:
        """Whether a page's `next_page_token` resumes this listing: not for a listing of several requests (a
        parallel one, or `job_ids` split over several requests, see `_split`), whose pages carry no token."""
        return self._mode is None

    def __iter__(self) -> Iterator[T]:
        with contextlib.closing(self._pages(_TO_CALLER)) as pages:  # closed from here: the warnings point up
            for page in pages:
                yield from page.items

    def pages(self) -> Iterator[Page[T]]:
        """The pages in order (the last one cut short when `limit` is reached)."""
        return self._pages(_TO_CALLER - 1)

    def _pages(self, to_caller: int) -> Generator[Page[T], None, None]:
        source: Iterator[Page[T]]
        if self._limit == 0:
            source = iter(())  # nothing wanted: nothing asked for
        elif self._mode is not None:
            source = self._mode(self._walk_all)
        else:
            source = self._walk(self._start, self._read_ahead, self._limit)
        return self._limited(source, Tally("GET", self._where, "jobs"), to_caller)

    def _limited(self, source: Iterator[Page[T]], tally: Tally, to_caller: int) -> Generator[Page[T], None, None]:
        remaining = self._limit
        failed = False
        try:
            for page in source:
                if remaining is None:
                    tally.add(len(page.items), page._drift)
                    yield page
                    continue
                if remaining <= 0:
                    return
                tally.add(min(remaining, len(page.items)), page._drift)
                yield _truncate(page, remaining)
                remaining -= len(page.items)
                if remaining <= 0:
                    return
        except GeneratorExit:  # the caller stopped early: the listing ends here
            raise
        except BaseException:
            failed = True
            raise
        finally:
            if hasattr(source, "close"):
                source.close()
            _report(tally, to_caller, failed)

    @staticmethod
    def _timed_fetch(fetch: Fetch, token: str | None) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        response = fetch(token)
        return response, time.perf_counter() - started

    def _send_ahead(
        self, executor: ThreadPoolExecutor, fetch: Fetch, token: str
    ) -> Future[tuple[httpx.Response, float]]:
        """Request the next page in the read-ahead thread, returning once that thread is under way.

        The wait matters: this thread is about to build models, pure Python that holds the GIL, and a thread
        waiting for the GIL gets it only after the 5 ms switch interval. Waiting here lets the read-ahead
        thread run until its request is on the wire (blocked on the socket, GIL released), so the network time
        overlaps with building this page rather than with nothing.
        """
        started = threading.Event()

        def send() -> tuple[httpx.Response, float]:
            started.set()
            return self._timed_fetch(fetch, token)

        ahead = executor.submit(send)
        started.wait()
        return ahead

    def _walk_all(self, fetch: Fetch) -> Iterator[Fetched]:
        """A mode's walk of one of its requests: its pages read but not built (the mode builds what it keeps),
        with no read-ahead (its requests are its concurrency) and no early stop for `limit` (a request's count
        is not the listing's)."""
        return self._fetched(fetch, None, False, None)

    def _walk(self, token: str | None, read_ahead: bool, limit: int | None) -> Iterator[Page[T]]:
        """The pages of a serial listing: each built while the next one is already on its way (read-ahead)."""
        with contextlib.closing(self._fetched(self._fetch, token, read_ahead, limit)) as source:
            for fetched in source:
                page = self._build(*fetched)
                del fetched  # the response goes now, not after the caller is done with the page (see _fetched)
                yield page

    def _fetched(
        self, fetch: Fetch, token: str | None, read_ahead: bool, limit: int | None
    ) -> Generator[Fetched, None, None]:
        """The pages of one request's listing, following the tokens, each with the response it came in; with
        read-ahead, the next request is sent before the page is handed on."""
        cursor = _Cursor(token, self._where)
        executor: ThreadPoolExecutor | None = None
        ahead: Future[tuple[httpx.Response, float]] | None = None
        delivered = 0
        try:
            response, waited = self._timed_fetch(fetch, token)
            while True:
                decoded = self._read(response, token)
                following = cursor.following(decoded)
                repeated = following in cursor.seen
                delivered += len(decoded.items)
                wanted = limit is None or delivered < limit
                if read_ahead and waited >= READ_AHEAD_AFTER and following and not repeated and wanted:
                    executor = executor or ThreadPoolExecutor(1, thread_name_prefix="llamacloud-extract-read-ahead")
                    ahead = self._send_ahead(executor, fetch, following)
                # Keep nothing of the page while the caller works through it: an httpx response sits in a
                # reference cycle, so one still referenced when the collector runs is promoted, body and all,
                # to an older generation, and memory creeps up until a full collection.
                handing_on = [(response, decoded)]
                del response, decoded
                yield handing_on.pop()
                if following is None or not wanted:
                    return
                cursor.accept(following)
                response, waited = ahead.result() if ahead is not None else self._timed_fetch(fetch, following)
                token, ahead = following, None
        finally:
            if ahead is not None:
                ahead.cancel()
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)


class AsyncPager(Generic[T]):
    """Iterate it with `async for` for every item, or `async for page in pager.pages()` for the pages."""

    def __init__(
        self,
        fetch: AsyncFetch,
        read: Read,
        build: Build[T],
        *,
        page_token: str | None,
        limit: int | None,
        read_ahead: bool,
        where: str,
        mode: AsyncMode[T] | None = None,
    ) -> None:
        self._fetch = fetch
        self._read = read
        self._build = build
        self._start = page_token
        self._limit = limit
        self._read_ahead = read_ahead
        self._mode = mode
        self._where = where

    @property
    def resumable(self) -> bool:
        """Whether a page's `next_page_token` resumes this listing: see `SyncPager.resumable`."""
        return self._mode is None

    async def __aiter__(self) -> AsyncIterator[T]:
        async with contextlib.aclosing(self._pages(_TO_CALLER)) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    def pages(self) -> AsyncIterator[Page[T]]:
        """The pages in order (the last one cut short when `limit` is reached)."""
        return self._pages(_TO_CALLER - 1)

    def _pages(self, to_caller: int) -> AsyncGenerator[Page[T], None]:
        source: AsyncIterator[Page[T]]
        if self._limit == 0:
            source = _nothing()  # nothing wanted: nothing asked for
        elif self._mode is not None:
            source = self._mode(self._walk_all)
        else:
            source = self._walk(self._start, self._read_ahead, self._limit)
        return self._limited(source, Tally("GET", self._where, "jobs"), to_caller)

    async def _limited(
        self, source: AsyncIterator[Page[T]], tally: Tally, to_caller: int
    ) -> AsyncGenerator[Page[T], None]:
        remaining = self._limit
        failed = False
        try:
            async for page in source:
                if remaining is None:
                    tally.add(len(page.items), page._drift)
                    yield page
                    continue
                if remaining <= 0:
                    return
                tally.add(min(remaining, len(page.items)), page._drift)
                yield _truncate(page, remaining)
                remaining -= len(page.items)
                if remaining <= 0:
                    return
        except GeneratorExit:  # the caller stopped early: the listing ends here
            raise
        except BaseException:
            failed = True
            raise
        finally:
            aclose = getattr(source, "aclose", None)
            if aclose is not None:
                await aclose()
            _report(tally, to_caller, failed)

    def _walk_all(self, fetch: AsyncFetch) -> AsyncIterator[Fetched]:
        """A mode's walk of one of its requests, as `SyncPager._walk_all`."""
        return self._fetched(fetch, None, False, None)

    async def _walk(self, token: str | None, read_ahead: bool, limit: int | None) -> AsyncIterator[Page[T]]:
        """The pages of a serial listing: each built while the next one is already on its way (read-ahead)."""
        async with contextlib.aclosing(self._fetched(self._fetch, token, read_ahead, limit)) as source:
            async for fetched in source:
                page = self._build(*fetched)
                del fetched  # the response goes now, not after the caller is done with the page (see _fetched)
                yield page

    async def _fetched(
        self, fetch: AsyncFetch, token: str | None, read_ahead: bool, limit: int | None
    ) -> AsyncGenerator[Fetched, None]:
        """The pages of one request's listing, as `SyncPager._fetched`."""
        cursor = _Cursor(token, self._where)
        ahead: asyncio.Future[httpx.Response] | None = None
        delivered = 0
        try:
            response = await fetch(token)
            while True:
                decoded = self._read(response, token)
                following = cursor.following(decoded)
                repeated = following in cursor.seen
                delivered += len(decoded.items)
                wanted = limit is None or delivered < limit
                if read_ahead and following and not repeated and wanted:
                    ahead = asyncio.ensure_future(fetch(following))
                # Keep nothing of the page while the caller works through it: an httpx response sits in a
                # reference cycle, so one still referenced when the collector runs is promoted, body and all,
                # to an older generation, and memory creeps up until a full collection.
                handing_on = [(response, decoded)]
                del response, decoded
                yield handing_on.pop()
                if following is None or not wanted:
                    return
                cursor.accept(following)
                response = await ahead if ahead is not None else await fetch(following)
                token, ahead = following, None
        finally:
            if ahead is not None:
                _discard(ahead)


def _report(tally: Tally, to_caller: int, failed: bool) -> None:
    """The listing's drift warnings. After an error, they must not take its place: a warning that the caller's
    filters turn into an exception is then dropped, and the error goes on."""
    if not failed:
        tally.report(to_caller + 2)
        return
    with contextlib.suppress(Exception):
        tally.report(to_caller + 2)


async def _nothing() -> AsyncIterator[Any]:
    return
    yield  # an async generator that yields nothing


def _discard(task: asyncio.Future[Any]) -> None:
    """Cancel a read-ahead nobody will use; its outcome is collected so asyncio does not report it as lost."""
    task.cancel()
    task.add_done_callback(_collect)


def _collect(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()
