"""Continuing a listing by hand: `jobs list --page-token TOKEN` starts where an earlier listing stopped, and
`--show-token` says on stderr where this one stopped, as one line `next_page_token: TOKEN` (or a line saying that
the listing ended), so that a script can page through a large account one command at a time.

A page token continues after a whole page, never in the middle of one. A listing that `--limit` stops must then
end on a page boundary for its token to continue right after the last job printed: with `--show-token`, each
page is asked for with no more jobs than remain (see `pages_to_limit`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import click

from llamacloud_extract import Page, SyncPager, UnprocessableEntityError

from .errors import API, CommandError, quoted_detail, refuses_page_token

NEXT_PAGE_LINE = "next_page_token: "
"""How the line that gives the token starts; a script reads the token after it."""
ENDED = "the listing ended: no page follows, there is nothing to continue"
NOTHING_LISTED = "no page was listed, so no token continues it: run the command without --page-token to start"

OnePage = Callable[[str | None, int | None], SyncPager[Any]]
"""The listing from a page token (None: the first page), asking for a page size (None: the server's)."""


@attrs.define
class Trail:
    """Where a listing stands after the pages written so far: the token that continues after them."""

    start: str | None
    token: str | None = None
    ended: bool = False
    pages: int = 0
    left: bool = False
    """The reader of the output went away (`| head`): which jobs it read is not known, so no token is told."""
    refused: bool = False
    """The server refused the starting token: there is nothing to continue from."""

    def __attrs_post_init__(self) -> None:
        self.token = self.start

    def passed(self, page: Page[Any]) -> None:
        """Note a page that has been written whole (the pager's rule: an empty page or no token ends it)."""
        self.pages += 1
        self.token = page.next_page_token if page.items and page.next_page_token else None
        self.ended = self.token is None

    def line(self) -> str | None:
        """What `--show-token` prints, or None when there is nothing true to say."""
        if self.left or self.refused:
            return None
        if self.ended:
            return ENDED
        return f"{NEXT_PAGE_LINE}{self.token}" if self.token else NOTHING_LISTED

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Around the writing of the pages: a reader that leaves is noted, and a 422 about the token the user gave
        is a usage error naming `--page-token` (exit 2), not an API failure."""
        try:
            yield
        except BrokenPipeError:
            self.left = True
            raise
        except UnprocessableEntityError as error:
            if self.pages == 0 and self.start and refuses_page_token(error):
                self.refused = True
                raise click.BadParameter(
                    f"the server refuses it ({error.status_code}: {quoted_detail(error)}); a page token continues "
                    "only the listing that gave it, with the same filters, and only while the server keeps it",
                    param_hint="'--page-token'",
                ) from error
            raise


def pages_to_limit(one_page: OnePage, *, start: str | None, page_size: int | None, limit: int) -> Iterator[Page[Any]]:
    """The pages of a listing stopped after `limit` jobs, the last one ending exactly there, so that its token
    continues right after the last job.

    Each page is asked for with no more jobs than remain and no more than a page holds: the user's `--page-size`,
    else the server's own page size, learnt from the first full page (so no page size the server has not shown it
    accepts is sent). A first page with more jobs than remain is asked for again, as many as remain: one request
    more, only when `--limit` is smaller than a page.
    """
    token, remaining, size = start, limit, page_size
    seen = {start} if start else set()
    while remaining > 0:
        wanted = None if size is None else min(size, remaining)
        page = first_page(one_page(token, wanted))
        if wanted is None and len(page.items) > remaining:
            wanted = remaining
            page = first_page(one_page(token, wanted))
        if wanted is not None and len(page.items) > wanted:
            raise CommandError(
                f"the server sent {len(page.items)} jobs for page_size={wanted}, so no page token continues right "
                "after the limit; leave out --show-token or --limit",
                exit_code=API,
            )
        if size is None and page.next_page_token:
            size = len(page.items)
        yield page
        remaining -= len(page.items)
        following = page.next_page_token if page.items and page.next_page_token else None
        if following is None:
            return
        if following in seen:
            raise CommandError(
                f"the server returned the page token {following!r} a second time; stopping instead of listing the "
                "same pages again",
                exit_code=API,
            )
        seen.add(following)
        token = following


def first_page(pager: SyncPager[Any]) -> Page[Any]:
    """The first page of `pager` (made without read-ahead), and no request more."""
    pages = pager.pages()
    try:
        return next(pages)
    finally:
        getattr(pages, "close", lambda: None)()
