"""`jobs export OUT`: the whole listing into a file (JSON Lines or CSV) that appears complete or not at all, and
an export that resumes where an interrupted one stopped, whatever stopped it (Ctrl-C, SIGKILL, a failed request,
a reboot).

Beside OUT, while the export runs:
* `OUT.part` holds the jobs written so far, one a line (CSV: after its header), in the server's order;
* `OUT.resume` is the checkpoint: the token of the next page, the size of `OUT.part` after the last complete
  page, the counts, and a digest of the options that decide what the file holds (filters, `--limit`, server,
  format).

Each page is appended to `OUT.part` and forced to disk before the checkpoint is replaced (atomically) by one
that names the next page. A run that finds a checkpoint made with the same options cuts `OUT.part` back to the
checkpoint's size, dropping whatever a killed process wrote after it, and asks for the checkpoint's page token:
no job is lost and none is written twice. At the end `OUT.part` is renamed to OUT and the checkpoint removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs
import click
import httpx

from llamacloud_extract import ExtractClient, Page, UnprocessableEntityError
from llamacloud_extract._errors import public_url

from .errors import API, CommandError, quoted_detail, refuses_page_token
from .files import open_regular, refuse_unless_regular
from .options import JobFilters
from .output import JOBS, LineFormat, line_format
from .progress import ListingProgress
from .projects import same_project

CHECKPOINT_VERSION = 1
DEFAULT_FORMAT = "jsonl"
"""The format of an export not told otherwise, and of every export made before `--format` (whose checkpoints name
none)."""


@attrs.frozen
class Checkpoint:
    """What `OUT.resume` holds."""

    digest: str
    options: dict[str, Any]
    next_page_token: str | None
    """None once the listing is complete."""
    offset: int
    jobs: int
    pages: int

    @classmethod
    def read(cls, path: Path) -> Checkpoint | None:
        """The checkpoint in `path`, or None when there is none or it cannot be read."""
        try:
            with os.fdopen(open_regular(path, os.O_RDONLY), encoding="utf-8") as file:
                data = json.loads(file.read())
            if data.pop("version") != CHECKPOINT_VERSION:
                return None
            return cls(**data)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def write(self, path: Path) -> None:
        """Replace `path` with this checkpoint in one step: a reader sees the old one or the new one."""
        temporary = _temporary(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        with os.fdopen(open_regular(temporary, flags), "w", encoding="utf-8") as file:
            json.dump({"version": CHECKPOINT_VERSION, **attrs.asdict(self)}, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)


def _temporary(checkpoint: Path) -> Path:
    """Where a new checkpoint is written before it replaces the old one."""
    return checkpoint.with_name(checkpoint.name + ".tmp")


def export_options(
    filters: JobFilters, *, limit: int | None, base_url: str, output_format: str = DEFAULT_FORMAT
) -> dict[str, Any]:
    """What decides the content of the file; `--page-size` does not, so it may change on resume. The server is
    kept without any `user:password@` part, which the checkpoint file must not hold."""
    server = public_url(httpx.URL(base_url))
    return {"filters": filters.as_json(), "limit": limit, "base_url": server, "format": output_format}


def digest(options: dict[str, Any]) -> str:
    """Equal for equal files. A filter not given counts as absent, so that one the command learns later (from a
    newer spec) leaves the checkpoints of exports begun before it as they were; so does the default format, which
    checkpoints made before `--format` do not name. A project recorded as `prj-<uuid>` (by a version that sent it
    so) is the project of its bare UUID."""
    filters = {
        name: same_project(value) if name == "project_id" else value
        for name, value in options.get("filters", {}).items()
        if value not in (None, [])
    }
    described = {name: value for name, value in options.items() if (name, value) != ("format", DEFAULT_FORMAT)}
    return hashlib.sha256(json.dumps({**described, "filters": filters}, sort_keys=True).encode()).hexdigest()


def _differences(before: dict[str, Any], now: dict[str, Any]) -> str:
    old = {**before.get("filters", {}), "limit": before.get("limit"), "base_url": before.get("base_url")}
    old["format"] = before.get("format", DEFAULT_FORMAT)
    new = {**now["filters"], "limit": now["limit"], "base_url": now["base_url"], "format": now["format"]}
    names = {"job_ids": "--job-id", "base_url": "the server"}
    changed = [
        f"{names.get(name, '--' + name.replace('_', '-'))} was {old.get(name)!r}, now {new[name]!r}"
        for name in new
        if old.get(name) != new[name]
    ]
    return "; ".join(changed) or "a different version of the options"


@attrs.frozen
class ExportPaths:
    out: Path

    @property
    def part(self) -> Path:
        return self.out.with_name(self.out.name + ".part")

    @property
    def resume(self) -> Path:
        return self.out.with_name(self.out.name + ".resume")

    def check(self) -> None:
        """Refuse, before anything is sent, an export that would replace or write through something that is
        not a regular file."""
        if not self.out.parent.is_dir():
            raise click.BadParameter(f"the directory {str(self.out.parent)!r} does not exist", param_hint="'OUT'")
        for path in (self.out, self.part, self.resume, _temporary(self.resume)):
            refuse_unless_regular(path)


class Export:
    """One run of an export: `OUT.part`, open and locked, and the checkpoint of what it holds."""

    def __init__(self, paths: ExportPaths, file: IO[bytes], checkpoint: Checkpoint, text: LineFormat) -> None:
        self.paths = paths
        self.checkpoint = checkpoint
        self._file = file
        self._text = text

    @property
    def complete(self) -> bool:
        return self.checkpoint.pages > 0 and self.checkpoint.next_page_token is None

    def append(self, page: Page[Any], *, limit: int | None) -> None:
        """Write one page (the first after the format's header), force it to disk, then record the checkpoint
        that comes after it: a resumed export starts after this page, and never writes the header again."""
        text = self._started() + self._text.lines(page.items)
        if text:
            self._file.write(text.encode("utf-8"))
            self._file.flush()
            os.fsync(self._file.fileno())
        jobs = self.checkpoint.jobs + len(page.items)
        following = page.next_page_token if page.items and page.next_page_token else None
        if limit is not None and jobs >= limit:
            following = None
        self.checkpoint = attrs.evolve(
            self.checkpoint,
            next_page_token=following,
            offset=self._file.tell(),
            jobs=jobs,
            pages=self.checkpoint.pages + 1,
        )
        self.checkpoint.write(self.paths.resume)

    def _started(self) -> str:
        """The header, if the file has none yet: nothing has been appended to it."""
        return self._text.header() if self.checkpoint.pages == 0 else ""

    def finish(self) -> None:
        """Make the file appear under its name, whole, then forget the checkpoint. A listing that had no page (a
        limit of 0) still gets its header."""
        self._file.write(self._started().encode("utf-8"))
        self._file.flush()
        os.fsync(self._file.fileno())
        refuse_unless_regular(self.paths.out)  # again: the export may have taken hours
        os.replace(self.paths.part, self.paths.out)
        _sync_directory(self.paths.out.parent)
        self.paths.resume.unlink(missing_ok=True)


@contextlib.contextmanager
def open_export(
    paths: ExportPaths, options: dict[str, Any], *, restart: bool, note: Callable[[str], None]
) -> Iterator[Export]:
    """Lock `OUT.part` and find where to start: a checkpoint made with these options, or the beginning."""
    paths.check()
    existed = paths.part.exists()
    with os.fdopen(open_regular(paths.part, os.O_RDWR | os.O_CREAT | os.O_APPEND), "a+b") as file:
        _lock(file, paths.part)
        size = file.seek(0, os.SEEK_END)
        checkpoint = _starting_point(paths, options, existed=existed, size=size, restart=restart, note=note)
        file.truncate(checkpoint.offset)  # drops what a killed run wrote after its last checkpoint
        file.seek(checkpoint.offset)
        export = Export(paths, file, checkpoint, line_format(options["format"], JOBS))
        try:
            yield export
        except BaseException:
            if export.checkpoint.pages == 0:  # nothing saved, nothing to resume: leave nothing behind
                paths.part.unlink(missing_ok=True)
            raise


def _starting_point(
    paths: ExportPaths,
    options: dict[str, Any],
    *,
    existed: bool,
    size: int,
    restart: bool,
    note: Callable[[str], None],
) -> Checkpoint:
    fresh = Checkpoint(digest(options), options, None, 0, 0, 0)
    saved = None if restart else Checkpoint.read(paths.resume)
    if saved is not None and digest(saved.options) != fresh.digest:  # as this version reads them
        raise click.UsageError(
            f"{paths.part} holds an unfinished export made with other options "
            f"({_differences(saved.options, options)}); run the same command to resume it, or add --restart to "
            "start over"
        )
    if saved is not None and existed and size >= saved.offset:
        note(f"resuming {paths.out} after {saved.jobs} jobs ({saved.pages} pages)")
        return saved
    if saved is not None and existed:
        note(f"{paths.part} is shorter than its checkpoint says; starting over")
    paths.resume.unlink(missing_ok=True)
    return fresh


def _lock(file: IO[bytes], path: Path) -> None:
    """Refuse to run two exports into one file at once (POSIX; elsewhere the lock is skipped)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise CommandError(f"another export is writing {path}; wait for it to end") from None


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a platform that cannot open a directory skips it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def export_jobs(
    client: ExtractClient,
    filters: JobFilters,
    out: Path,
    *,
    page_size: int | None,
    limit: int | None,
    output_format: str,
    restart: bool,
    progress: bool,
    note: Callable[[str], None],
) -> int:
    """Export every matching job into `out` in `output_format` (one of `LINE_FORMATS`); return how many the file
    holds."""
    options = export_options(filters, limit=limit, base_url=client.base_url, output_format=output_format)
    # Before any file is touched: the listing must be one the checkpoint's token can resume (nothing is sent yet).
    if not client.jobs.list(**filters.arguments(), page_size=page_size, raw=True).resumable:
        raise click.UsageError(
            f"these {len(filters.values['job_ids'])} --job-id values do not fit in one request, so the listing is merged "
            "from several and has no page token to resume from; write it with 'jobs export - > FILE' instead, "
            "or export fewer ids at a time"
        )
    with open_export(ExportPaths(out), options, restart=restart, note=note) as export:
        start = export.checkpoint
        if not export.complete:
            remaining = None if limit is None else limit - start.jobs
            pager = client.jobs.list(
                **filters.arguments(), page_size=page_size, page_token=start.next_page_token, limit=remaining, raw=True
            )
            with ListingProgress(enabled=progress, noun="jobs", limit=limit, done=start.jobs, pages=start.pages) as bar:
                try:
                    for page in pager.pages():
                        export.append(page, limit=limit)
                        bar.advance(page)
                except UnprocessableEntityError as error:
                    if export.checkpoint.next_page_token is not None and refuses_page_token(error):
                        raise _stale(export, error) from error
                    raise
        export.finish()
    return export.checkpoint.jobs


class StaleCheckpointError(CommandError):
    """The server refuses the checkpoint's page token: running the same command again would ask for the same
    token and be refused the same way, for ever. Only `--restart` gets further."""


def _stale(export: Export, error: UnprocessableEntityError) -> StaleCheckpointError:
    saved = export.checkpoint
    return StaleCheckpointError(
        f"the server refuses the page token saved in {export.paths.resume} ({error.status_code}: "
        f"{quoted_detail(error)}): the checkpoint is stale (the token expired, or the server changed), so "
        f"running the same command again cannot resume it; add --restart to start over, discarding the "
        f"{saved.jobs} jobs in {export.paths.part}",
        exit_code=API,
    )
