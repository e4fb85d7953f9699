"""What the listing modules share: a page, and the functions that fetch, read and build one.

It stands apart so that each of them depends on it and on nothing of the others'. The pager (`_pagination`)
walks one request's pages given a `fetch(token)`; a listing made of several requests (the parallel mode of
`_parallel`, the job ids split by `_split`) is a `Mode`: the pager hands it its walk, and the mode, which the
caller has given the fetches of its own narrower requests, walks those and merges what they return. So the pager
never hears of windows or chunks, and a mode never needs the pager.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeAlias, TypeVar

import attrs
import httpx

from ._drift import Found

T = TypeVar("T")

MICROSECOND = datetime.timedelta(microseconds=1)
"""The resolution of the server's `created_at`, and so the step between two windows' edges."""


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing, as the server sent it (typed models, or dicts in raw mode)."""

    items: list[T]
    next_page_token: str | None
    """The token of the following page; None on the last page. Save it to resume a listing later."""
    total_size: int | None
    """The server's count of all matching items: an estimate, usually absent (null) on this endpoint."""
    page_token: str | None = None
    """The token this page was requested with (None for the first page)."""
    _drift: Found = attrs.field(init=False, factory=list, repr=False, eq=False)
    """Which of its items lack a field the spec requires (filled when the page is built; see `with_drift`)."""


def with_drift(page: Page[T], found: Found | None) -> Page[T]:
    """`page`, noting the spec drift found while building its items, for the listing to report at its end."""
    if found:
        object.__setattr__(page, "_drift", found)
    return page


Window: TypeAlias = tuple[datetime.datetime | None, datetime.datetime | None]
"""`(created_at_on_or_after, created_at_on_or_before)` as sent, both inclusive; None leaves that side open."""
Fetch: TypeAlias = Callable[[str | None], httpx.Response]
"""Sends the request for one page of one request's listing, given the page's token (None for the first)."""
AsyncFetch: TypeAlias = Callable[[str | None], Awaitable[httpx.Response]]
Read: TypeAlias = Callable[[httpx.Response, str | None], Page[Any]]
"""Decodes one page's JSON (given the token it was requested with): enough to know the next token."""
Build: TypeAlias = Callable[[httpx.Response, Page[Any]], Page[T]]
"""Turns a decoded page into the page the caller gets (models, or the dicts as they are)."""
Fetched: TypeAlias = tuple[httpx.Response, Page[Any]]
"""A page as a walk hands it on: read (its items still JSON objects), not built, with the response it came in."""
CreatedAt: TypeAlias = Callable[[Any], datetime.datetime]
"""When an item, as the JSON object the server sent, was created: what the modes order and cut by."""
SyncWalk: TypeAlias = Callable[[Fetch], Iterator[Fetched]]
"""The pager's walk of one request's listing: every page, read, following the tokens, no read-ahead."""
AsyncWalk: TypeAlias = Callable[[AsyncFetch], AsyncIterator[Fetched]]
SyncMode: TypeAlias = Callable[[SyncWalk], Iterator[Page[T]]]
"""A listing that is not one request's pages: given the pager's walk, its pages, built, in the listing's order."""
AsyncMode: TypeAlias = Callable[[AsyncWalk], AsyncIterator[Page[T]]]
