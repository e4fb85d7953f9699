"""`client.jobs`: List Extract Jobs, `GET /api/v2/extract` (newest first, paginated).

The keywords `list` takes, and how each is checked, are `_filters`'s (derived from the generated operation);
this module turns one call into the requests it sends and the pages it hands over: one request's pages, or
parallel `created_at` windows (`_parallel`), or `job_ids` split over several requests (`_split`).
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal, Protocol, TypeVar, Unpack, overload

import attrs
import httpx

from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as _operation
from llamacloud_extract_api.models import ExtractV2Job
from llamacloud_extract_api.types import UNSET

from . import _parallel, _parsing, _split
from ._drift import Found
from ._errors import ResponseValidationError
from ._filters import JOB_KEYWORDS, JOBS_PATH, LISTING_DEFAULTS, JobFilters, JobListArguments, shows, signature
from ._pages import AsyncMode, Page, SyncMode, Window, with_drift
from ._pagination import AsyncPager, SyncPager
from ._parameters import Count, query
from ._sender import AsyncSender, SyncSender

__all__ = ["AsyncJobs", "JobFilters", "JobListArguments", "Jobs"]

RawJob = dict[str, Any]

_OWN_CHECKS = {"limit": Count(minimum=0), "parallel": Count(minimum=1)}
"""The client's own keywords, beside the operation's (`read_ahead` takes any truth value, as `raw` does)."""
_OWN = {*_OWN_CHECKS, "read_ahead"}
_NEWER_NAMES = {k.parameter: k.name for k in JOB_KEYWORDS.values() if k.name != k.parameter}
"""Spec name -> newer name, for each parameter the API has renamed since: both are sent (see `Jobs.list`)."""
_SIGNATURE = signature(
    JobListArguments,
    JOB_KEYWORDS.values(),
    defaults=LISTING_DEFAULTS,
    last=[inspect.Parameter("raw", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=bool)],
)

R = TypeVar("R", covariant=True)


class _Callers:
    """`_Listing.request`'s default `job_ids`: the caller's own."""


_CALLERS = _Callers()


class _Narrowed(Protocol[R]):
    """The fetch of the caller's own request (no window, the caller's `job_ids`), or, given a window and
    `job_ids`, of a narrower one; `R` is what the sender's `send` returns (a response, or its awaitable)."""

    def __call__(
        self, window: Window | None = ..., job_ids: Sequence[str] | _Callers | None = ...
    ) -> Callable[[str | None], R]: ...


class _Listing:
    """One validated `jobs.list(...)` call: the query it sends, how it reads the pages, and whether it is sent as
    one request's pages, as parallel windows (`plan`) or as `job_ids` split over several requests (`split`)."""

    def __init__(self, arguments: Mapping[str, Any], *, raw: bool, strict: bool, base_url: str) -> None:
        """Check every argument before any request is sent; a bad one is a ValueError/TypeError naming it."""
        own = {name: arguments[name] for name in _OWN if name in arguments}
        page_token = JOB_KEYWORDS["page_token"].check(arguments.get("page_token"))
        self.query = query(
            JOB_KEYWORDS, {k: v for k, v in arguments.items() if k not in _OWN and k != "page_token"}, method="list"
        )
        for name, check in _OWN_CHECKS.items():
            check.check(name, own.get(name))
        self.start: str | None = page_token or None
        self.limit: int | None = own.get("limit")
        self.read_ahead = bool(own.get("read_ahead", LISTING_DEFAULTS["read_ahead"]))
        self.raw = raw
        self.strict = strict
        self.where = base_url + JOBS_PATH
        self.plan: _parallel.Plan | None = None
        parallel = own.get("parallel")
        if parallel is not None and parallel > 1:
            if self.start:
                raise ValueError("page_token cannot be combined with parallel: a token resumes one serial listing")
            after, before = self.query.get("created_at_on_or_after"), self.query.get("created_at_on_or_before")
            self.plan = _parallel.Plan(after=after, before=before, workers=parallel)
        self.split = self._split(base_url)

    def request(
        self, page_token: str | None, window: Window | None = None, job_ids: Sequence[str] | _Callers | None = _CALLERS
    ) -> dict[str, Any]:
        """The generated operation's request for one page; a window narrows the `created_at` range, and
        `job_ids` replaces the caller's (None: no `job_ids` at all), for a listing split by `_split`."""
        query = self.query
        if not isinstance(job_ids, _Callers):
            query = {**query, "job_ids": UNSET if job_ids is None else list(job_ids)}
        if window is not None:
            after, before = window
            query = {
                **query,
                "created_at_on_or_after": after if after is not None else UNSET,
                "created_at_on_or_before": before if before is not None else UNSET,
            }
        kwargs = _operation._get_kwargs(**query, page_token=page_token if page_token else UNSET)
        return _with_newer_names(kwargs)

    def _split(self, base_url: str) -> _split.Split | None:
        """How the listing is sent: as one request per page (None), or with its `job_ids` split over several
        requests whose URLs fit (see `_split`); a value no URL can carry raises `RequestTooLongError` now."""
        job_ids = self.query.get("job_ids", [])
        chunks = _split.chunk(
            job_ids,
            lambda chosen, window: self.request(self.start, window, chosen),
            base_url,
            f"GET {JOBS_PATH}",
        )
        if len(chunks) < 2:
            if chunks:  # each id once: a repeated one only lengthens the URL
                self.query = {**self.query, "job_ids": chunks[0]}
            return None
        needs = f"these {len(job_ids)} job_ids need {len(chunks)} requests to fit in URLs"
        if self.start:
            raise ValueError(f"page_token cannot be combined with job_ids: {needs}, and a token resumes one request")
        if self.plan is not None:
            raise ValueError(f"parallel cannot be combined with job_ids: {needs}, merged in order, one at a time")
        return _split.Split(
            chunks=tuple(tuple(ids) for ids in chunks),
            request=lambda chosen, window: self.request(None, window, chosen),
            base_url=base_url,
        )

    def fetch(self, send: Callable[[Mapping[str, Any]], R]) -> _Narrowed[R]:
        """The listing's fetches, sent by `send` (sync or async)."""

        def narrowed(
            window: Window | None = None, job_ids: Sequence[str] | _Callers | None = _CALLERS
        ) -> Callable[[str | None], R]:
            return lambda token: send(self.request(token, window, job_ids))

        return narrowed

    def sync_mode(self, fetch: _Narrowed[httpx.Response]) -> SyncMode[Any] | None:
        """How a listing that is not one request's pages makes them from the pager's walk (None: it is)."""
        plan, split = self.plan, self.split
        if plan is not None:
            return lambda walk: _parallel.sync_pages(
                lambda window: walk(fetch(window)), self.build, plan, self.created_at, self.limit
            )
        if split is not None:
            return lambda walk: _split.sync_pages(
                lambda job_ids, window: walk(fetch(window, job_ids)), self.build, split, self.created_at
            )
        return None

    def async_mode(self, fetch: _Narrowed[Awaitable[httpx.Response]]) -> AsyncMode[Any] | None:
        """`sync_mode` for the async pager."""
        plan, split = self.plan, self.split
        if plan is not None:
            return lambda walk: _parallel.async_pages(
                lambda window: walk(fetch(window)), self.build, plan, self.created_at, self.limit
            )
        if split is not None:
            return lambda walk: _split.async_pages(
                lambda job_ids, window: walk(fetch(window, job_ids)), self.build, split, self.created_at
            )
        return None

    @staticmethod
    def created_at(item: Any) -> datetime.datetime:
        """When a listed job (its JSON object, before any model is built) was created: what the parallel mode
        sorts jobs into windows by. Read as the model reads it."""
        try:
            return datetime.datetime.fromisoformat(item["created_at"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ResponseValidationError(
                f"GET {JOBS_PATH}: a job's created_at cannot be read ({type(exc).__name__}: {exc}), so the parallel "
                "listing cannot tell which window it belongs to",
                method="GET",
                url=JOBS_PATH,
                status_code=200,
                body=item,
            ) from None

    @staticmethod
    def decode(response: httpx.Response, page_token: str | None) -> Page[Any]:
        """The page's JSON, shape-checked, its items still plain dicts."""
        items, next_token, total = _parsing.page_fields(response, _parsing.json_body(response))
        return Page(items=items, next_page_token=next_token, total_size=total, page_token=page_token)

    def build(self, response: httpx.Response, decoded: Page[Any]) -> Page[Any]:
        """The page the caller gets: `ExtractV2Job` models, or in raw mode the dicts once known to be objects.
        Items lacking a required field raise in strict mode; otherwise the page notes them (see `_drift`)."""
        if self.raw:
            _parsing.raw_items(response, decoded.items, "items")
            return decoded
        found: Found | None = None if self.strict else []
        built = _parsing.models(response, ExtractV2Job, decoded.items, "items", found)
        return with_drift(attrs.evolve(decoded, items=built), found)


def _with_newer_names(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request, with each renamed parameter sent under its newer name too, just before the spec's (see
    `Jobs.list`)."""
    params: dict[str, Any] = kwargs["params"]
    if not any(name in params for name in _NEWER_NAMES):
        return kwargs
    both: dict[str, Any] = {}
    for name, value in params.items():
        if name in _NEWER_NAMES:
            both[_NEWER_NAMES[name]] = value
        both[name] = value
    return {**kwargs, "params": both}


class Jobs:
    """`client.jobs`."""

    def __init__(self, sender: SyncSender) -> None:
        self._sender = sender

    @overload
    def list(self, *, raw: Literal[False] = ..., **arguments: Unpack[JobListArguments]) -> SyncPager[ExtractV2Job]: ...

    @overload
    def list(self, *, raw: Literal[True], **arguments: Unpack[JobListArguments]) -> SyncPager[RawJob]: ...

    @overload
    def list(
        self, *, raw: bool = ..., **arguments: Unpack[JobListArguments]
    ) -> SyncPager[ExtractV2Job] | SyncPager[RawJob]: ...

    @shows(_SIGNATURE)
    def list(
        self, *, raw: bool = False, **arguments: Unpack[JobListArguments]
    ) -> SyncPager[ExtractV2Job] | SyncPager[RawJob]:
        """Every job matching the filters, newest first, fetched page by page as the pager is iterated.

        Filters (all optional, sent again with every page, as the official SDK does): `status` (one of the six
        `ExtractJobStatus` values), `configuration_id`, `document_input_type`, `file_input`,
        `created_at_on_or_after` / `created_at_on_or_before` (inclusive, timezone-aware datetimes), `job_ids`,
        `project_id`, `organization_id`. `expand` asks for more fields per job (`configuration`,
        `extract_metadata`, and on newer servers `usage`; other values are sent as given).

        `file_input` (a File ID `dfl-...` or parse job ID `pjb-...`) is sent under both of its names,
        `file_input` and `document_input_value`: a server of the client's spec knows only the old name and
        ignores unknown parameters (so `file_input` alone would silently list every job), and a newer one
        knows the new name and still takes the old one as a deprecated alias. `document_input_value=` is
        the deprecated spelling of `file_input=`; giving both with different values is a ValueError.

        Paging: `page_size` (>= 1; the server's default otherwise), `page_token` (resume from a saved
        `Page.next_page_token`), `limit` (stop after that many jobs). `read_ahead=False` fetches a page only
        when the previous one is used up. `parallel=N` pages through disjoint `created_at` windows, N
        requests at a time, and yields the same jobs in the same order; see `_parallel`.
        `raw=True` yields the JSON objects as dicts instead of `ExtractV2Job` models.

        Jobs that lack a field the spec requires are kept (the field holds `UNSET`, or the value of its newer
        name: `file_input` fills `document_input_value`), and the listing ends with one `SpecDriftWarning`
        per such field; with `ExtractClient(strict=True)` they raise `ResponseValidationError` instead.
        """
        config = self._sender.config
        listing = _Listing(arguments, raw=raw, strict=config.strict, base_url=config.base_url)
        fetch = listing.fetch(self._sender.send)
        return SyncPager(
            fetch(),
            listing.decode,
            listing.build,
            page_token=listing.start,
            limit=listing.limit,
            read_ahead=listing.read_ahead,
            where=listing.where,
            mode=listing.sync_mode(fetch),
        )


class AsyncJobs:
    """`client.jobs` on `AsyncExtractClient`."""

    def __init__(self, sender: AsyncSender) -> None:
        self._sender = sender

    @overload
    def list(self, *, raw: Literal[False] = ..., **arguments: Unpack[JobListArguments]) -> AsyncPager[ExtractV2Job]: ...

    @overload
    def list(self, *, raw: Literal[True], **arguments: Unpack[JobListArguments]) -> AsyncPager[RawJob]: ...

    @overload
    def list(
        self, *, raw: bool = ..., **arguments: Unpack[JobListArguments]
    ) -> AsyncPager[ExtractV2Job] | AsyncPager[RawJob]: ...

    @shows(_SIGNATURE)
    def list(
        self, *, raw: bool = False, **arguments: Unpack[JobListArguments]
    ) -> AsyncPager[ExtractV2Job] | AsyncPager[RawJob]:
        """Every job matching the filters, newest first, fetched page by page as the pager is iterated
        with `async for`.

        Nothing is sent until the pager is iterated. See `Jobs.list` for the arguments.
        """
        config = self._sender.config
        listing = _Listing(arguments, raw=raw, strict=config.strict, base_url=config.base_url)
        fetch = listing.fetch(self._sender.send)
        return AsyncPager(
            fetch(),
            listing.decode,
            listing.build,
            page_token=listing.start,
            limit=listing.limit,
            read_ahead=listing.read_ahead,
            where=listing.where,
            mode=listing.async_mode(fetch),
        )
