"""The options the commands share, and the values they turn into: which server and key, which jobs, how to page.

Every option maps onto an argument of `ExtractClient` or `jobs.list` and is checked here, where a bad value
can still be reported as a usage error naming the option, rather than as a `ValueError` from the client.
"""

from __future__ import annotations

import datetime
import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from llamacloud_extract import ExtractClient, ExtractJobStatus
from llamacloud_extract._config import API_KEY_ENV, check_api_key, check_base_url

from .output import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

STATUSES = tuple(status.value for status in ExtractJobStatus)

if TYPE_CHECKING:  # generic in recent click, not subscriptable at run time in older ones
    _DateTimeType = click.ParamType[datetime.datetime]
    _StrType = click.ParamType[str]
else:
    _DateTimeType = _StrType = click.ParamType


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


class JobStatus(_StrType):
    """One of the six job states, in any case (`failed` is `FAILED`)."""

    name = "STATUS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        status = str(value).upper()
        if status not in STATUSES:
            self.fail(f"{value!r} is not a job status; use one of {', '.join(STATUSES)}", param, ctx)
        return status


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
                default=5,
                show_default=True,
                help="Retries of a failed request (connection errors, 408, 409, 429, 5xx).",
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


# ---- which jobs --------------------------------------------------------------------------------------------


@attrs.frozen
class JobFilters:
    """The filters of `GET /api/v2/extract`, named as on the command line."""

    status: str | None
    since: datetime.datetime | None
    until: datetime.datetime | None
    configuration_id: str | None
    document_input_type: str | None
    file_input: str | None
    project_id: str | None
    organization_id: str | None
    job_ids: tuple[str, ...]
    expand: tuple[str, ...]

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> JobFilters:
        given = {name: options[name] for name in ("file_input", "document_input_value") if options[name] is not None}
        if len(set(given.values())) > 1:
            raise click.UsageError(
                "--file-input and --document-input-value disagree; --document-input-value is the old name of "
                "--file-input: give only --file-input"
            )
        chosen = next(iter(given.values()), None)
        return cls(
            **{field.name: options[field.name] for field in attrs.fields(cls) if field.name != "file_input"},
            file_input=chosen,
        )

    def arguments(self) -> dict[str, Any]:
        """The matching keyword arguments of `client.jobs.list`."""
        return {
            "status": self.status,
            "created_at_on_or_after": self.since,
            "created_at_on_or_before": self.until,
            "configuration_id": self.configuration_id,
            "document_input_type": self.document_input_type,
            "file_input": self.file_input,
            "project_id": self.project_id,
            "organization_id": self.organization_id,
            "job_ids": list(self.job_ids) or None,
            "expand": list(self.expand) or None,
        }

    def as_json(self) -> dict[str, Any]:
        """A JSON form that is equal for equal listings: instants in UTC, repeated values sorted."""
        described: dict[str, Any] = attrs.asdict(self)
        # Under the name it had before the rename, so that an export begun before resumes after it.
        described["document_input_value"] = described.pop("file_input")
        for name in ("since", "until"):
            moment = described[name]
            if moment is not None:
                described[name] = moment.astimezone(datetime.UTC).isoformat()
        described["job_ids"] = sorted(self.job_ids)
        described["expand"] = sorted(set(self.expand))
        return described


def job_filter_options(function: F) -> F:
    """Every filter of List Extract Jobs, as an option."""
    return _apply(
        function,
        [
            click.option(
                "--status",
                type=JobStatus(),
                help=f"Only jobs in this state: {', '.join(STATUSES)}.",
            ),
            click.option(
                "--since",
                type=AwareDateTime(),
                help="Only jobs created at or after this instant (ISO 8601 with a timezone, e.g. 2026-03-01T00:00Z).",
            ),
            click.option("--until", type=AwareDateTime(), help="Only jobs created at or before this instant."),
            click.option("--configuration-id", metavar="ID", help="Only jobs run with this saved configuration."),
            click.option("--document-input-type", metavar="TYPE", help="Only jobs whose input is of this type."),
            click.option(
                "--file-input",
                metavar="ID",
                help="Only jobs of this file (dfl-...) or parse job (pjb-...), whichever version of the API the "
                "server speaks.",
            ),
            click.option("--document-input-value", metavar="ID", help="Deprecated: the old name of --file-input."),
            click.option("--project-id", metavar="ID", help="Only jobs of this project."),
            click.option("--organization-id", metavar="ID", help="Only jobs of this organization."),
            click.option("--job-id", "job_ids", multiple=True, metavar="ID", help="Only this job; repeat for several."),
            click.option(
                "--expand",
                multiple=True,
                metavar="FIELD",
                help="Add a field to each job: configuration, extract_metadata, usage (newer servers); repeat "
                "for several.",
            ),
        ],
    )


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
