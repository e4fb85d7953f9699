"""The options the commands share, and the values they turn into: which server and key, which jobs, how to page.

Every option maps onto an argument of `ExtractClient` or `jobs.list` and is checked here, where a bad value
can still be reported as a usage error naming the option, rather than as a `ValueError` from the client.
"""

from __future__ import annotations

import datetime
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from llamacloud_extract import ExtractClient
from llamacloud_extract._config import API_KEY_ENV, check_api_key, check_base_url
from llamacloud_extract._filters import DESCRIPTIONS, JOB_EXPAND, JOB_FILTERS, JOB_KEYWORDS, RUN_FILTERS
from llamacloud_extract._parameters import Count, Identifier, Keyword, Moment, OneOf, Texts
from llamacloud_extract.retries import DEFAULT_MAX_RETRIES, RETRYABLE_STATUSES

from .output import FORMATS
from .projects import SENT, ProjectId

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # generic in recent click, not subscriptable at run time in older ones
    _DateTimeType = click.ParamType[datetime.datetime]
    _StrChoice = click.Choice[str]
else:
    _DateTimeType = click.ParamType
    _StrChoice = click.Choice


def _apply(function: F, decorators: list[Callable[[F], F]]) -> F:
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


class AwareDateTime(_DateTimeType):
    """An ISO 8601 date-time with a timezone (`Z` or an offset): the client refuses naive datetimes, because
    the server would read them in a timezone the user never chose."""

    name = "DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime.datetime:
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            try:
                moment = datetime.datetime.fromisoformat(str(value))
            except ValueError:
                self.fail(f"{value!r} is not an ISO 8601 date-time such as 2026-03-01T00:00:00Z", param, ctx)
        if moment.utcoffset() is None:
            self.fail(f"{value!r} has no timezone; add Z for UTC or an offset such as +02:00", param, ctx)
        return moment


# ---- which server, which key ------------------------------------------------------------------------------


@attrs.frozen
class Connection:
    """How to reach the API. Only what the user typed: the client itself reads the environment, so the
    command line and Python code resolve their settings the same way."""

    api_key: str | None = attrs.field(repr=False)
    base_url: str | None
    region: str | None
    timeout: float | None
    max_retries: int

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Connection:
        if options["base_url"] is not None and options["region"] is not None:
            raise click.UsageError("--base-url and --region cannot be combined: a region is a base URL")
        return cls(
            api_key=options["api_key"],
            base_url=options["base_url"],
            region=options["region"],
            timeout=options["timeout"],
            max_retries=options["max_retries"],
        )

    def client(self) -> ExtractClient:
        """The client; a missing key or a bad base URL is a usage error (exit 2), found before any request."""
        if self.api_key is None and not any(os.environ.get(name) for name in API_KEY_ENV):
            raise click.UsageError(
                f"no API key: set {API_KEY_ENV[0]} (or pass --api-key); keys are per region, an EU key needs --region eu"
            )
        # Checked here too, so that a message names the option the user typed rather than the argument.
        if self.api_key is not None:
            check_api_key(self.api_key, "--api-key")
        if self.base_url is not None:
            check_base_url(self.base_url, "--base-url")
        return ExtractClient(
            api_key=self.api_key,
            base_url=self.base_url,
            region=self.region,
            timeout=self.timeout,
            max_retries=self.max_retries,
        )


def connection_options(function: F) -> F:
    """`--api-key`, `--base-url`, `--region`, `--timeout`, `--max-retries`, `--debug`: on every command."""
    return _apply(
        function,
        [
            click.option(
                "--api-key",
                metavar="KEY",
                help="API key. Default: $LLAMA_CLOUD_API_KEY, else $LLAMA_PARSE_API_KEY. Prefer the variable: "
                "a key on the command line shows in the process list.",
            ),
            click.option(
                "--base-url",
                metavar="URL",
                help="API root. Default: $LLAMA_CLOUD_BASE_URL, else https://api.cloud.llamaindex.ai.",
            ),
            click.option(
                "--region",
                type=click.Choice(["us", "eu"], case_sensitive=False),
                help="The region's API root instead of --base-url (keys are per region).",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0, min_open=True),
                metavar="SECONDS",
                help="Per-request timeout. Default: 60 s, 5 s to connect.",
            ),
            click.option(
                "--max-retries",
                type=click.IntRange(min=0),
                metavar="N",
                default=DEFAULT_MAX_RETRIES,
                show_default=True,
                help="Retries of a failed request (connection errors, timeouts, "
                f"{', '.join(map(str, sorted(RETRYABLE_STATUSES)))}, 5xx).",
            ),
            click.option(
                "--debug",
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_debug,
                help="Log each request and show the traceback of an error (never the key).",
            ),
        ],
    )


# ---- how to report -------------------------------------------------------------------------------------------


@attrs.define
class Session:
    """What `main` needs to know about the run it reports on."""

    debug: bool = False
    resumable: bool = False  # an export: a failed run can be resumed


def _debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--debug`: requests and retries logged on stderr (the client never logs the key), tracebacks shown."""
    if not value:
        return
    ctx.ensure_object(Session).debug = True
    logger = logging.getLogger("llamacloud_extract")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)

    def undo() -> None:  # `main` may run again in this process (tests, embedding)
        logger.removeHandler(handler)
        logger.setLevel(level)

    ctx.call_on_close(undo)


def progress_option(function: F) -> F:
    return click.option(
        "--progress/--no-progress",
        default=None,
        help="A progress bar on stderr. Default: only when stderr is a terminal.",
    )(function)


def output_options(*, progress: bool) -> Callable[[F], F]:
    """`--format`, and `--progress` for the listings that take several requests."""

    def decorate(function: F) -> F:
        function = click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            help="Output format. Default: table on a terminal, jsonl (one JSON object a line) otherwise.",
        )(function)
        return progress_option(function) if progress else function

    return decorate


# ---- which jobs, which runs ----------------------------------------------------------------------------------
# Derived from the listings' keywords (`llamacloud_extract._filters`): a keyword is an option named after it
# (`--configuration-id`), its kind gives the option's type (a list: repeated; an enum: its values, in any case; a
# datetime: one with a timezone; a UUID: one that parses), and `DESCRIPTIONS` its help.

_RENAMED: Mapping[str, tuple[str, str]] = {
    "created_at_on_or_after": ("--since", "since"),
    "created_at_on_or_before": ("--until", "until"),
    "job_ids": ("--job-id", "job_ids"),
}
"""Keywords the command line offers under another name (shorter; singular for an option repeated once per value),
each with the name its value is kept under: the name an export's checkpoint has always recorded."""
_METAVARS: Mapping[str, str] = {"document_input_type": "TYPE", "expand": "FIELD"}
"""What a keyword's value is called in the help, where it is not an ID."""
_TYPES: Mapping[str, tuple[click.ParamType[str], str]] = {"project_id": (ProjectId(), SENT)}
"""Keywords the command line reads in its own way, whatever their kind, and what the help adds about it."""


class _Choice(_StrChoice):
    """One of the spec's enum values, in any case (`failed` is `FAILED`), named in the error when it is none."""

    def __init__(self, values: Sequence[str], noun: str) -> None:
        super().__init__(values, case_sensitive=False)
        self.noun = noun

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return str(super().convert(value, param, ctx))
        except click.BadParameter:
            self.fail(f"{value!r} is not a {self.noun}; use one of {', '.join(map(str, self.choices))}", param, ctx)


def flag(keyword: Keyword) -> str:
    """The option that gives `keyword`."""
    return _RENAMED[keyword.name][0] if keyword.name in _RENAMED else "--" + keyword.name.replace("_", "-")


def _dest(keyword: Keyword) -> str:
    return _RENAMED[keyword.name][1] if keyword.name in _RENAMED else keyword.name


def _option(keyword: Keyword, newer: Keyword | None, item: str) -> Callable[[F], F]:
    """`keyword` as an option of a listing of `item`s; `newer`: the keyword of its newer name, when the API has
    renamed it."""
    kind = keyword.kind
    described = DESCRIPTIONS.get(keyword.name, f"The {keyword.name} parameter of the request")
    settings: dict[str, Any] = {"metavar": _METAVARS.get(keyword.name, "ID")}
    if isinstance(kind, OneOf):
        settings = {
            "type": _Choice(kind.values, f"{item} {keyword.name.replace('_', ' ')}"),
            "metavar": keyword.name.upper(),
        }
        described += f": {', '.join(kind.values)}"
    elif isinstance(kind, Moment):
        settings = {"type": AwareDateTime()}
        described += " (ISO 8601 with a timezone, e.g. 2026-03-01T00:00Z)"
    elif isinstance(kind, Identifier) and not kind.as_given:
        settings = {"type": click.UUID, "metavar": "UUID"}
    elif isinstance(kind, Count):
        settings = {"type": click.IntRange(min=kind.minimum), "metavar": "N"}
    elif isinstance(kind, Texts):
        settings["multiple"] = True
        described += "; repeat for several"
    if keyword.name in _TYPES:
        own, more = _TYPES[keyword.name]
        settings = {"type": own, "metavar": own.name}
        described += f": {more}"
    if newer is not None:
        described = f"Deprecated: the old name of {flag(newer)}"
    return click.option(flag(keyword), _dest(keyword), help=described + ".", **settings)


def _options(keywords: Sequence[Keyword], item: str) -> Callable[[F], F]:
    by_name = {keyword.name: keyword for keyword in keywords}

    def decorate(function: F) -> F:
        return _apply(function, [_option(k, by_name.get(k.newer) if k.newer else None, item) for k in keywords])

    return decorate


_JOB_OPTIONS = (*JOB_FILTERS, JOB_KEYWORDS[JOB_EXPAND])
"""What `jobs list` and `jobs export` take to choose the jobs and what each holds: the filters and `expand`."""

job_filter_options = _options(_JOB_OPTIONS, "job")
"""Every filter of List Extract Jobs, and `--expand`, as options."""
job_selection_options = _options(JOB_FILTERS, "job")
"""Every filter of List Extract Jobs as options, without `--expand`: for a command that shows no job."""
run_filter_options = _options(RUN_FILTERS, "run")
"""Every filter of List Extract Runs, as options."""


def run_filters(options: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `client.runs.list` that the options give."""
    return {keyword.name: options.get(_dest(keyword)) for keyword in RUN_FILTERS}


@attrs.frozen
class JobFilters:
    """The filters of `GET /api/v2/extract` and `expand`, as the command line took them.

    `values` holds one value per parameter, under the name the option keeps it (`since`, `job_ids`): a renamed
    parameter's two options (`--file-input`, `--document-input-value`) give one value, kept under the newer name.
    A repeated option's values are a tuple (empty when not given), any other's None when not given."""

    values: Mapping[str, Any]

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> JobFilters:
        values = {_dest(k): options.get(_dest(k)) for k in _JOB_OPTIONS if k.newer is None}
        for old, newer in ((k, k.newer) for k in _JOB_OPTIONS if k.newer is not None):
            new = JOB_KEYWORDS[newer]
            given = {options.get(_dest(k)) for k in (new, old)} - {None}
            if len(given) > 1:
                raise click.UsageError(
                    f"{flag(new)} and {flag(old)} disagree; {flag(old)} is the old name of {flag(new)}: "
                    f"give only {flag(new)}"
                )
            values[_dest(new)] = next(iter(given), None)
        return cls(values)

    def arguments(self) -> dict[str, Any]:
        """The matching keyword arguments of `client.jobs.list`."""
        return {
            keyword.name: (list(value or ()) or None) if isinstance(keyword.kind, Texts) else value
            for keyword, value in self._given()
        }

    def as_json(self) -> dict[str, Any]:
        """A JSON form that is equal for equal listings: instants in UTC, repeated values as sorted sets. A renamed
        parameter is under the name the spec gives it, as an export's checkpoint has always recorded it (so that an
        export begun before the rename resumes after it)."""
        described: dict[str, Any] = {}
        for keyword, value in self._given():
            if isinstance(keyword.kind, Texts):
                value = sorted(set(value or ()))
            elif isinstance(keyword.kind, Moment) and value is not None:
                value = value.astimezone(datetime.UTC).isoformat()
            described[_dest(JOB_KEYWORDS[keyword.parameter])] = value
        return described

    def _given(self) -> Iterator[tuple[Keyword, Any]]:
        for keyword in _JOB_OPTIONS:
            if keyword.newer is None:
                yield keyword, self.values[_dest(keyword)]


def paging_options(*, parallel: bool) -> Callable[[F], F]:
    """`--page-size`, `--limit`, and (for listings that need no resume token) `--parallel`."""

    def decorate(function: F) -> F:
        decorators: list[Callable[[F], F]] = [
            click.option(
                "--page-size",
                type=click.IntRange(min=1),
                metavar="N",
                help="Jobs per request. Default: the server's.",
            ),
            click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Stop after N jobs."),
        ]
        if parallel:
            decorators.append(
                click.option(
                    "--parallel",
                    type=click.IntRange(min=1),
                    metavar="N",
                    help="Page through N created_at windows at once; same jobs, same order, "
                    "but may hold the listing in memory.",
                )
            )
        return _apply(function, decorators)

    return decorate
