"""`client.jobs`: List Extract Jobs, `GET /api/v2/extract` (newest first, paginated)."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Literal, overload
from uuid import UUID

import attrs
import httpx

from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as _operation
from llamacloud_extract_api.models import ExtractJobStatus, ExtractV2Job
from llamacloud_extract_api.types import UNSET

from . import _parsing, _split
from ._drift import Found
from ._errors import ResponseValidationError
from ._pagination import AsyncPager, Page, SyncPager, with_drift
from ._parallel import Plan, Window
from ._transport import AsyncTransport, SyncTransport
from .renames import RENAMES

__all__ = ["AsyncJobs", "Jobs"]

_PATH: str = _operation._get_kwargs()["url"]


class _Callers:
    """`_Listing.request`'s default `job_ids`: the caller's own."""


_CALLERS = _Callers()

JobStatus = ExtractJobStatus | Literal["PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]
RawJob = dict[str, Any]

_FILE_INPUT_AS_SPECIFIED = "document_input_value"
"""The job field, and the query parameter filtering on it, under the name of the client's spec."""
_FILE_INPUT_NOW = RENAMES[("ExtractV2Job", _FILE_INPUT_AS_SPECIFIED)]
"""Their newer name (`file_input`)."""


class _Listing:
    """One validated `jobs.list(...)` call: the query it sends and how it reads the pages."""

    def __init__(self, query: dict[str, Any], raw: bool, strict: bool) -> None:
        self.query = query
        self.raw = raw
        self.strict = strict

    def request(
        self, page_token: str | None, window: Window | None, job_ids: Sequence[str] | _Callers | None = _CALLERS
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
        return _with_both_file_input_names(kwargs)

    @staticmethod
    def created_at(item: Any) -> datetime.datetime:
        """When a listed job (its JSON object, before any model is built) was created: what the parallel mode
        sorts jobs into windows by. Read as the model reads it."""
        try:
            return datetime.datetime.fromisoformat(item["created_at"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ResponseValidationError(
                f"GET {_PATH}: a job's created_at cannot be read ({type(exc).__name__}: {exc}), so the parallel "
                "listing cannot tell which window it belongs to",
                method="GET",
                url=_PATH,
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


def _with_both_file_input_names(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request, with the file input filter sent under both of its names (see `Jobs.list`)."""
    params: dict[str, Any] = kwargs["params"]
    if _FILE_INPUT_AS_SPECIFIED not in params:
        return kwargs
    both: dict[str, Any] = {}
    for name, value in params.items():
        if name == _FILE_INPUT_AS_SPECIFIED:
            both[_FILE_INPUT_NOW] = value
        both[name] = value
    return {**kwargs, "params": both}


def _listing(
    *,
    status: JobStatus | None,
    configuration_id: str | None,
    document_input_type: str | None,
    file_input: str | None,
    document_input_value: str | None,
    created_at_on_or_after: datetime.datetime | None,
    created_at_on_or_before: datetime.datetime | None,
    job_ids: Iterable[str] | None,
    expand: Iterable[str] | None,
    project_id: str | UUID | None,
    organization_id: str | UUID | None,
    page_size: int | None,
    page_token: str | None,
    limit: int | None,
    parallel: int | None,
    raw: bool,
    strict: bool,
) -> tuple[_Listing, Plan | None]:
    """Check every argument before any request is sent; a bad one is a ValueError/TypeError naming it."""
    _check_optional_str("configuration_id", configuration_id)
    _check_optional_str("document_input_type", document_input_type)
    _check_optional_str("file_input", file_input)
    _check_optional_str("document_input_value", document_input_value)
    if file_input is not None and document_input_value is not None and file_input != document_input_value:
        raise ValueError(
            f"file_input={file_input!r} and document_input_value={document_input_value!r} disagree; "
            "document_input_value is the old name of file_input: give only file_input"
        )
    chosen_file_input = file_input if file_input is not None else document_input_value
    _check_optional_str("page_token", page_token)
    _check_positive("page_size", page_size, minimum=1)
    _check_positive("limit", limit, minimum=0)
    _check_positive("parallel", parallel, minimum=1)
    for name, value in (("project_id", project_id), ("organization_id", organization_id)):
        if value is not None and not isinstance(value, str | UUID):
            raise TypeError(f"{name} must be a str or UUID, got {type(value).__name__}")
    query: dict[str, Any] = {
        "status": _status(status),
        "configuration_id": _or_unset(configuration_id),
        "document_input_type": _or_unset(document_input_type),
        _FILE_INPUT_AS_SPECIFIED: _or_unset(chosen_file_input),
        "created_at_on_or_after": _or_unset(_aware("created_at_on_or_after", created_at_on_or_after)),
        "created_at_on_or_before": _or_unset(_aware("created_at_on_or_before", created_at_on_or_before)),
        "job_ids": _strings("job_ids", job_ids),
        "expand": _strings("expand", expand),
        "page_size": _or_unset(page_size),
        # The spec says uuid, yet the API's own examples are `prj-...` ids: sent as given (api-ground-truth §7.5).
        "project_id": _or_unset(project_id),
        "organization_id": _or_unset(organization_id),
    }
    plan = None
    if parallel is not None and parallel > 1:
        if page_token:
            raise ValueError("page_token cannot be combined with parallel: a token resumes one serial listing")
        plan = Plan(after=created_at_on_or_after, before=created_at_on_or_before, workers=parallel)
    return _Listing(query, raw, strict), plan


def _split_listing(
    listing: _Listing,
    *,
    page_token: str | None,
    plan: Plan | None,
    base_url: str,
    fetch_for: Callable[[Sequence[str] | None], Any],
) -> _split.Split | None:
    """How the listing is sent: as one request per page (None), or with its `job_ids` split over several
    requests whose URLs fit (see `_split`); a value no URL can carry raises `RequestTooLongError` now."""
    job_ids = listing.query["job_ids"]
    chunks = _split.chunk(
        [] if job_ids is UNSET else job_ids,
        lambda chosen, window: listing.request(page_token, window, chosen),
        base_url,
        f"GET {_PATH}",
    )
    if len(chunks) < 2:
        if chunks:  # each id once: a repeated one only lengthens the URL
            listing.query = {**listing.query, "job_ids": chunks[0]}
        return None
    needs = f"these {len(job_ids)} job_ids need {len(chunks)} requests to fit in URLs"
    if page_token:
        raise ValueError(f"page_token cannot be combined with job_ids: {needs}, and a token resumes one request")
    if plan is not None:
        raise ValueError(f"parallel cannot be combined with job_ids: {needs}, merged in order, one at a time")
    return _split.Split(
        chunks=tuple(tuple(ids) for ids in chunks),
        request=lambda chosen, window: listing.request(None, window, chosen),
        base_url=base_url,
        fetch_for=fetch_for,
    )


def _or_unset(value: Any) -> Any:
    return UNSET if value is None else value


def _check_optional_str(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")


def _check_positive(name: str, value: object, *, minimum: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


def _status(status: object) -> Any:
    """The one status the filter takes, which must be one of the spec's enum (case matters)."""
    if status is None:
        return UNSET
    known = [member.value for member in ExtractJobStatus]
    if not isinstance(status, str) or status not in known:
        raise ValueError(f"status must be one of {', '.join(known)}; got {status!r}")
    return ExtractJobStatus(status)


def _aware(name: str, value: object) -> datetime.datetime | None:
    """A timezone-aware datetime: a naive one would be sent without an offset and read in the server's zone."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} is a naive datetime ({value.isoformat()}); give it a timezone, e.g. "
            f"datetime(..., tzinfo=datetime.UTC), so that the server does not guess"
        )
    return value


def _strings(name: str, values: Iterable[str] | None) -> Any:
    """A list of strings for a repeated query key. A lone string counts as one value, not as its letters."""
    if values is None:
        return UNSET
    as_list = [values] if isinstance(values, str) else list(values)
    for value in as_list:
        if not isinstance(value, str):
            raise TypeError(f"{name} must hold strings, got {type(value).__name__}")
    return as_list


class Jobs:
    """`client.jobs`."""

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @overload
    def list(
        self,
        *,
        status: JobStatus | None = ...,
        configuration_id: str | None = ...,
        document_input_type: str | None = ...,
        file_input: str | None = ...,
        document_input_value: str | None = ...,
        created_at_on_or_after: datetime.datetime | None = ...,
        created_at_on_or_before: datetime.datetime | None = ...,
        job_ids: Iterable[str] | None = ...,
        expand: Iterable[str] | None = ...,
        project_id: str | UUID | None = ...,
        organization_id: str | UUID | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        read_ahead: bool = ...,
        parallel: int | None = ...,
        raw: Literal[False] = ...,
    ) -> SyncPager[ExtractV2Job]: ...

    @overload
    def list(
        self,
        *,
        status: JobStatus | None = ...,
        configuration_id: str | None = ...,
        document_input_type: str | None = ...,
        file_input: str | None = ...,
        document_input_value: str | None = ...,
        created_at_on_or_after: datetime.datetime | None = ...,
        created_at_on_or_before: datetime.datetime | None = ...,
        job_ids: Iterable[str] | None = ...,
        expand: Iterable[str] | None = ...,
        project_id: str | UUID | None = ...,
        organization_id: str | UUID | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        read_ahead: bool = ...,
        parallel: int | None = ...,
        raw: Literal[True],
    ) -> SyncPager[RawJob]: ...

    @overload
    def list(
        self,
        *,
        status: JobStatus | None = ...,
        configuration_id: str | None = ...,
        document_input_type: str | None = ...,
        file_input: str | None = ...,
        document_input_value: str | None = ...,
        created_at_on_or_after: datetime.datetime | None = ...,
        created_at_on_or_before: datetime.datetime | None = ...,
        job_ids: Iterable[str] | None = ...,
        expand: Iterable[str] | None = ...,
        project_id: str | UUID | None = ...,
        organization_id: str | UUID | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        read_ahead: bool = ...,
        parallel: int | None = ...,
        raw: bool = ...,
    ) -> SyncPager[ExtractV2Job] | SyncPager[RawJob]: ...

    def list(
        self,
        *,
        status: JobStatus | None = None,
        configuration_id: str | None = None,
        document_input_type: str | None = None,
        file_input: str | None = None,
        document_input_value: str | None = None,
        created_at_on_or_after: datetime.datetime | None = None,
        created_at_on_or_before: datetime.datetime | None = None,
        job_ids: Iterable[str] | None = None,
        expand: Iterable[str] | None = None,
        project_id: str | UUID | None = None,
        organization_id: str | UUID | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        limit: int | None = None,
        read_ahead: bool = True,
        parallel: int | None = None,
        raw: bool = False,
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
        listing, plan = _listing(
            status=status,
            configuration_id=configuration_id,
            document_input_type=document_input_type,
            file_input=file_input,
            document_input_value=document_input_value,
            created_at_on_or_after=created_at_on_or_after,
            created_at_on_or_before=created_at_on_or_before,
            job_ids=job_ids,
            expand=expand,
            project_id=project_id,
            organization_id=organization_id,
            page_size=page_size,
            page_token=page_token,
            limit=limit,
            parallel=parallel,
            raw=raw,
            strict=self._transport.config.strict,
        )
        send = self._transport.send

        def fetch(token: str | None, window: Window | None) -> httpx.Response:
            return send(listing.request(token, window))

        def fetch_for(job_ids: Sequence[str] | None) -> Callable[[str | None, Window | None], httpx.Response]:
            return lambda token, window: send(listing.request(token, window, job_ids))

        base_url = self._transport.config.base_url
        split = _split_listing(listing, page_token=page_token, plan=plan, base_url=base_url, fetch_for=fetch_for)
        return SyncPager(
            fetch,
            listing.decode,
            listing.build,
            page_token=page_token or None,
            limit=limit,
            read_ahead=read_ahead,
            parallel=plan,
            created_at=listing.created_at,
            where=base_url + _PATH,
            split=split,
        )


class AsyncJobs:
    """`client.jobs` on `AsyncExtractClient`."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @overload
    def list(
        self,
        *,
        status: JobStatus | None = ...,
        configuration_id: str | None = ...,
        document_input_type: str | None = ...,
        file_input: str | None = ...,
        document_input_value: str | None = ...,
        created_at_on_or_after: datetime.datetime | None = ...,
        created_at_on_or_before: datetime.datetime | None = ...,
        job_ids: Iterable[str] | None = ...,
        expand: Iterable[str] | None = ...,
        project_id: str | UUID | None = ...,
        organization_id: str | UUID | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        read_ahead: bool = ...,
        parallel: int | None = ...,
        raw: Literal[False] = ...,
    ) -> AsyncPager[ExtractV2Job]: ...

    @overload
    def list(
        self,
        *,
        status: JobStatus | None = ...,
        configuration_id: str | None = ...,
        document_input_type: str | None = ...,
        file_input: str | None = ...,
        document_input_value: str | None = ...,
        created_at_on_or_after: datetime.datetime | None = ...,
        created_at_on_or_before: datetime.datetime | None = ...,
        job_ids: Iterable[str] | None = ...,
        expand: Iterable[str] | None = ...,
        project_id: str | UUID | None = ...,
        organization_id: str | UUID | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        read_ahead: bool = ...,
        parallel: int | None = ...,
        raw: Literal[True],
    ) -> AsyncPager[RawJob]: ...

    @overload
    def list(
        self,
        *,
        status: JobStatus | None = ...,
        configuration_id: str | None = ...,
        document_input_type: str | None = ...,
        file_input: str | None = ...,
        document_input_value: str | None = ...,
        created_at_on_or_after: datetime.datetime | None = ...,
        created_at_on_or_before: datetime.datetime | None = ...,
        job_ids: Iterable[str] | None = ...,
        expand: Iterable[str] | None = ...,
        project_id: str | UUID | None = ...,
        organization_id: str | UUID | None = ...,
        page_size: int | None = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        read_ahead: bool = ...,
        parallel: int | None = ...,
        raw: bool = ...,
    ) -> AsyncPager[ExtractV2Job] | AsyncPager[RawJob]: ...

    def list(
        self,
        *,
        status: JobStatus | None = None,
        configuration_id: str | None = None,
        document_input_type: str | None = None,
        file_input: str | None = None,
        document_input_value: str | None = None,
        created_at_on_or_after: datetime.datetime | None = None,
        created_at_on_or_before: datetime.datetime | None = None,
        job_ids: Iterable[str] | None = None,
        expand: Iterable[str] | None = None,
        project_id: str | UUID | None = None,
        organization_id: str | UUID | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        limit: int | None = None,
        read_ahead: bool = True,
        parallel: int | None = None,
        raw: bool = False,
    ) -> AsyncPager[ExtractV2Job] | AsyncPager[RawJob]:
        """Every job matching the filters, newest first, fetched page by page as the pager is iterated
        with `async for`.

        Nothing is sent until the pager is iterated. See `Jobs.list` for the arguments.
        """
        listing, plan = _listing(
            status=status,
            configuration_id=configuration_id,
            document_input_type=document_input_type,
            file_input=file_input,
            document_input_value=document_input_value,
            created_at_on_or_after=created_at_on_or_after,
            created_at_on_or_before=created_at_on_or_before,
            job_ids=job_ids,
            expand=expand,
            project_id=project_id,
            organization_id=organization_id,
            page_size=page_size,
            page_token=page_token,
            limit=limit,
            parallel=parallel,
            raw=raw,
            strict=self._transport.config.strict,
        )
        send = self._transport.send

        def fetch(token: str | None, window: Window | None) -> Awaitable[httpx.Response]:
            return send(listing.request(token, window))

        def fetch_for(
            job_ids: Sequence[str] | None,
        ) -> Callable[[str | None, Window | None], Awaitable[httpx.Response]]:
            return lambda token, window: send(listing.request(token, window, job_ids))

        base_url = self._transport.config.base_url
        split = _split_listing(listing, page_token=page_token, plan=plan, base_url=base_url, fetch_for=fetch_for)
        return AsyncPager(
            fetch,
            listing.decode,
            listing.build,
            page_token=page_token or None,
            limit=limit,
            read_ahead=read_ahead,
            parallel=plan,
            created_at=listing.created_at,
            where=base_url + _PATH,
            split=split,
        )
