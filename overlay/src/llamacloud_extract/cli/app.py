"""The `llamacloud-extract` command and its subcommands: `jobs list`, `jobs export`, `runs list`.

Each command reads its options, builds an `ExtractClient` the way Python code would, and streams what the
client yields into an output format. `main` runs the whole and turns any error into one line and an exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from llamacloud_extract import ExtractClient, Page, SyncPager, __version__

from .continuation import NEXT_PAGE_LINE, Trail, pages_to_limit
from .count import BY, count_jobs, count_shape
from .errors import OK, USAGE, report
from .export import DEFAULT_FORMAT, ExportPaths, StaleCheckpointError, export_jobs
from .options import (
    Connection,
    JobFilters,
    Session,
    connection_options,
    job_filter_options,
    job_selection_options,
    output_options,
    paging_options,
    progress_option,
    run_filter_options,
    run_filters,
)
from .output import JOBS, LINE_FORMATS, RUNS, default_format, open_sink
from .progress import ListingProgress

PROG = "llamacloud-extract"
T = TypeVar("T")


def _checked(call: Callable[[], T]) -> T:
    """Call the client with arguments it may still refuse (it checks them before sending anything)."""
    try:
        return call()
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None


def _progress_wanted(choice: bool | None) -> bool:
    return choice if choice is not None else sys.stderr.isatty()


@contextlib.contextmanager
def _reader_may_leave() -> Iterator[None]:
    """A reader that stops early (`| head`) has what it wanted: end quietly, with success."""
    try:
        yield
    except BrokenPipeError:
        # Point stdout at /dev/null so that the interpreter's final flush does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@click.group(name=PROG, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name=PROG, message="%(prog)s %(version)s")
def cli() -> None:
    """List, count and export LlamaCloud extraction jobs and runs.

    Configured as the Python client is: the key from LLAMA_CLOUD_API_KEY (or --api-key), the server from
    LLAMA_CLOUD_BASE_URL (or --base-url, or --region eu). Every option goes after the command
    (`llamacloud-extract jobs list --status FAILED`).

    Exit codes: 0 success, 1 local failure (a file that cannot be written), 2 usage error (a bad option, a
    datetime without a timezone, no API key), 3 API or network error (a wrong key, a 5xx or a connection
    failure after the retries).
    """


@cli.group()
def jobs() -> None:
    """Extract jobs (GET /api/v2/extract), newest first."""


@jobs.command("list")
@job_filter_options
@paging_options(parallel=True)
@click.option(
    "--page-token",
    metavar="TOKEN",
    help="Continue a listing after the page that gave this next_page_token (see --show-token); give the same "
    "filters. Not with --parallel.",
)
@click.option(
    "--show-token",
    is_flag=True,
    help=f"At the end, print on stderr '{NEXT_PAGE_LINE}TOKEN', the --page-token that continues right after the last "
    "job listed, or a line saying the listing ended. Not with --parallel.",
)
@output_options(progress=True)
@connection_options
def jobs_list(**options: Any) -> None:
    """Print the jobs matching the filters, page by page as they arrive."""
    filters = JobFilters.from_options(options)
    start, show = _page_token(options), options["show_token"]
    sink = open_sink(options["output_format"] or default_format(sys.stdout), JOBS)
    with Connection.from_options(options).client() as client:
        pages = _job_pages(client, filters, options, start=start, show=show)
        trail = Trail(start)
        progress = ListingProgress(enabled=_progress_wanted(options["progress"]), noun="jobs", limit=options["limit"])
        try:
            with _reader_may_leave(), progress, trail.watching():
                for page in pages:
                    sink.write(page.items)
                    trail.passed(page)
                    progress.advance(page)
                sink.close()
        finally:
            line = trail.line() if show else None
            if line is not None:
                stderr_note(line)


def _page_token(options: dict[str, Any]) -> str | None:
    """`--page-token`, checked against what cannot continue a listing (before any request)."""
    start: str | None = options["page_token"]
    for flag, given in (("--page-token", start is not None), ("--show-token", options["show_token"])):
        if given and options["parallel"] is not None:
            raise click.UsageError(
                f"{flag} cannot be combined with --parallel: a page token continues one serial listing, and a "
                "parallel one is merged from several"
            )
    if start == "":
        raise click.BadParameter("it is empty; leave it out to start from the first page", param_hint="'--page-token'")
    return start


def _job_pages(
    client: ExtractClient, filters: JobFilters, options: dict[str, Any], *, start: str | None, show: bool
) -> Iterator[Page[dict[str, Any]]]:
    """The pages `jobs list` prints: the client's listing, or, when `--show-token` must tell where a `--limit`
    stopped, pages that end exactly there (see `continuation`)."""
    limit, page_size = options["limit"], options["page_size"]
    # Before the listing's own checks, which would name the client's keywords rather than the options.
    if (start is not None or show) and not _checked(lambda: client.jobs.list(**filters.arguments())).resumable:
        raise click.UsageError(
            f"these {len(filters.values['job_ids'])} --job-id values do not fit in one request, so the listing "
            "is merged from several and no page token continues it: leave out --page-token and --show-token"
        )
    arguments = filters.arguments()
    if show and limit is not None:

        def one_page(token: str | None, size: int | None) -> SyncPager[dict[str, Any]]:
            return client.jobs.list(**arguments, page_size=size, page_token=token, read_ahead=False, raw=True)

        return pages_to_limit(one_page, start=start, page_size=page_size, limit=limit)
    parallel = options["parallel"]
    return _checked(
        lambda: client.jobs.list(
            **arguments, page_size=page_size, page_token=start, limit=limit, parallel=parallel, raw=True
        )
    ).pages()


@jobs.command("count")
@job_selection_options
@click.option(
    "--by",
    type=click.Choice(tuple(BY)),
    help="One count per value of this filter (status: each value of the spec's enum), one request each.",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Count by listing every matching job (a request per page) instead of reading the server's total_size, "
    "which may be an estimate, or absent.",
)
@click.option("--page-size", type=click.IntRange(min=1), metavar="N", help="With --exact: jobs per request.")
@output_options(progress=True)
@connection_options
def jobs_count(**options: Any) -> None:
    """Print how many jobs match the filters: the server's total_size, one request per number.

    Each row says where its count comes from (source): total_size, the server's figure (the spec says it may be
    an estimate), or listing, with --exact. A server that sends no total_size gives no count: that is an error
    (exit 3) that suggests --exact.
    """
    filters = JobFilters.from_options(options)
    by = options["by"]
    sink = open_sink(options["output_format"] or default_format(sys.stdout), count_shape(by))
    with Connection.from_options(options).client() as client:
        rows = count_jobs(
            client,
            filters,
            by=by,
            exact=options["exact"],
            page_size=options["page_size"],
            progress=_progress_wanted(options["progress"]),
        )
    with _reader_may_leave():
        sink.write(rows)
        sink.close()


@jobs.command("export")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@job_filter_options
@paging_options(parallel=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(tuple(LINE_FORMATS)),
    default=DEFAULT_FORMAT,
    show_default=True,
    help="jsonl: one JSON object a line, each job as the server sent it; csv: the columns of "
    "`jobs list --format csv`, the header once.",
)
@click.option(
    "--restart", is_flag=True, help="Start over, discarding an unfinished export into OUT instead of resuming it."
)
@progress_option
@connection_options
def jobs_export(out: Path, **options: Any) -> None:
    """Write every matching job to OUT as JSON Lines (or CSV, with --format csv), newest first.

    OUT appears only when complete (the jobs collect in OUT.part, renamed at the end). An interrupted export
    resumes where it stopped when the same command runs again: OUT.resume holds the next page token and the
    size of OUT.part after the last complete page, so no job is lost or written twice. Resuming with other
    filters, --limit, --format or server is refused; --restart starts over. OUT must be a regular file or absent
    (a device, a FIFO or a symbolic link is refused); - writes to standard output instead, which cannot resume.
    """
    filters = JobFilters.from_options(options)
    if str(out) == "-":
        _export_to_stdout(filters, options)
        return
    session = click.get_current_context().ensure_object(Session)
    with Connection.from_options(options).client() as client:
        try:
            count = export_jobs(
                client,
                filters,
                out,
                page_size=options["page_size"],
                limit=options["limit"],
                output_format=options["output_format"],
                restart=options["restart"],
                progress=_progress_wanted(options["progress"]),
                note=stderr_note,
            )
        except BaseException as exc:  # only a saved checkpoint the server still accepts can be resumed
            session.resumable = ExportPaths(out).resume.is_file() and not isinstance(exc, StaleCheckpointError)
            raise
    stderr_note(f"{count} jobs written to {out}")


def _export_to_stdout(filters: JobFilters, options: dict[str, Any]) -> None:
    """`jobs export -`: the same listing on standard output, with no file and so no resume."""
    sink = open_sink(options["output_format"], JOBS)
    limit = options["limit"]
    written = 0
    with Connection.from_options(options).client() as client:
        pager = _checked(
            lambda: client.jobs.list(**filters.arguments(), page_size=options["page_size"], limit=limit, raw=True)
        )
        progress = ListingProgress(enabled=_progress_wanted(options["progress"]), noun="jobs", limit=limit)
        with _reader_may_leave(), progress:
            for page in pager.pages():
                sink.write(page.items)
                written += len(page.items)
                progress.advance(page)
            sink.close()
    stderr_note(f"{written} jobs written to standard output")


@cli.group()
def runs() -> None:
    """Extraction runs (GET /api/v1/extractionv2/runs): one response, no pages. Upstream removed this endpoint
    in 2025; a server without it answers 404, reported as such."""


@runs.command("list")
@run_filter_options
@output_options(progress=False)
@connection_options
def runs_list(**options: Any) -> None:
    """Print the extraction runs matching the filters, in the server's order."""
    sink = open_sink(options["output_format"] or default_format(sys.stdout), RUNS)
    with Connection.from_options(options).client() as client:
        items = client.runs.list(**run_filters(options), raw=True)
    with _reader_may_leave():
        sink.write(items)
        sink.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: the process's arguments) and return its exit code."""
    session = Session()
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False, obj=session
        )
    except click.exceptions.NoArgsIsHelpError as exc:  # the bare command, or a group alone: its help
        exc.show()
        return USAGE
    except (Exception, KeyboardInterrupt) as exc:
        return report(exc, PROG, debug=session.debug, stderr=sys.stderr, resumable=session.resumable)
    return result if isinstance(result, int) else OK


def stderr_note(message: str) -> None:
    """A note for whoever watches stderr; one who stopped watching (`2>&1 | head`) changes nothing."""
    with contextlib.suppress(BrokenPipeError):
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
