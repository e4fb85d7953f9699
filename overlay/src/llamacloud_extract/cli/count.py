"""`jobs count`: how many jobs match, one request per number, read from the server's `total_size`.

The spec describes `total_size` as populated only when specifically requested, and as a value that may be an
estimate, for display; it names no parameter that requests it. So each number is one request for a page of one
job (`page_size=1`), and its `total_size` is the count. A server that sends none (null, or no such key) gives no
number: the command says so and exits with an error, and counts by listing only when asked to (`--exact`), which
takes a request per page of the whole listing and is exact by construction. Each row says which it did (`source`).

`--by` splits the count over the values of a filter whose values the spec enumerates (`status`): one request per
value, in the order of the generated enum. A job in a state the spec does not know (a newer server's) is counted
by no row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from llamacloud_extract import ExtractClient
from llamacloud_extract._filters import JOB_FILTERS, JOB_KEYWORDS
from llamacloud_extract._parameters import OneOf

from .continuation import first_page
from .errors import API, CommandError
from .options import JobFilters, flag
from .output import Shape
from .progress import ListingProgress

BY: Mapping[str, OneOf] = {keyword.name: keyword.kind for keyword in JOB_FILTERS if isinstance(keyword.kind, OneOf)}
"""The filters a count can be split by: those whose values the spec enumerates, with their values."""
FROM_TOTAL, FROM_LISTING = "total_size", "listing"
"""Where a row's count comes from (its `source`)."""


def count_shape(by: str | None) -> Shape:
    """The rows' columns: the value counted (with `--by`), the count, its source."""
    columns = (*([by] if by else []), "count", "source")
    return Shape(noun="counts", fields=columns, table=columns, extra=False)


def count_jobs(
    client: ExtractClient,
    filters: JobFilters,
    *,
    by: str | None,
    exact: bool,
    page_size: int | None,
    progress: bool,
) -> list[dict[str, Any]]:
    """One row per number: `{by: value, "count": N, "source": ...}`. Every request is made before any row is
    given, so that a count the server does not give fails the command before anything is printed."""
    arguments = filters.arguments()
    _check(client, filters, arguments, by=by, exact=exact, page_size=page_size)
    rows = []
    for value in BY[by].values if by is not None else (None,):
        chosen = arguments if by is None else {**arguments, by: value}
        count = _listed(client, chosen, page_size, progress) if exact else _total(client, chosen)
        rows.append({**({by: value} if by else {}), "count": count, "source": FROM_LISTING if exact else FROM_TOTAL})
    missing = [row for row in rows if row["count"] is None]
    if missing:
        which = "the matching jobs" if by is None else f"{by} " + ", ".join(str(row[by]) for row in missing)
        raise CommandError(
            f"the server sent no total_size for {which}, so it gave no count (the spec says total_size is populated "
            "only when requested); add --exact to count by listing every matching job, a request per page",
            exit_code=API,
        )
    return rows


def _check(
    client: ExtractClient,
    filters: JobFilters,
    arguments: Mapping[str, Any],
    *,
    by: str | None,
    exact: bool,
    page_size: int | None,
) -> None:
    """Refuse, before any request, what would not count what the options say."""
    if by is not None and arguments.get(by) is not None:
        raise click.UsageError(f"--by {by} counts each {by}: leave out {flag(JOB_KEYWORDS[by])}")
    if page_size is not None and not exact:
        raise click.UsageError("--page-size is for --exact: a count from total_size asks for a page of one job")
    if not exact and not client.jobs.list(**arguments).resumable:  # nothing is sent to find out
        raise click.UsageError(
            f"these {len(filters.values['job_ids'])} --job-id values do not fit in one request, so no one "
            "total_size counts them: add --exact to count them by listing"
        )


def _total(client: ExtractClient, arguments: dict[str, Any]) -> int | None:
    """The server's `total_size` for these filters: one request, for a page of one job."""
    return first_page(client.jobs.list(**arguments, page_size=1, read_ahead=False, raw=True)).total_size


def _listed(client: ExtractClient, arguments: dict[str, Any], page_size: int | None, progress: bool) -> int:
    """The jobs these filters list, counted one by one."""
    counted = 0
    with ListingProgress(enabled=progress, noun="jobs") as bar:
        for page in client.jobs.list(**arguments, page_size=page_size, raw=True).pages():
            counted += len(page.items)
            bar.advance(page)
    return counted
