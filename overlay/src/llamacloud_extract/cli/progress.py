"""A progress bar on stderr for long listings: items and pages done, the rate, and a bar when the server gives
`total_size`. Shown only on a terminal, so logs and CI output stay clean."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from llamacloud_extract import Page

from .consoles import DisplayConsole


class _Rate(ProgressColumn):
    def __init__(self, noun: str) -> None:
        super().__init__()
        self.noun = noun

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} {self.noun}/s" if speed else f"- {self.noun}/s", style="progress.data.speed")


class ListingProgress:
    """Counts the pages of one listing. `done` and `pages` start above 0 when an export resumes."""

    def __init__(
        self,
        *,
        enabled: bool,
        noun: str,
        limit: int | None = None,
        done: int = 0,
        pages: int = 0,
        console: Console | None = None,
    ) -> None:
        self._limit = limit
        self._pages = pages
        self._progress: Progress | None = None
        if enabled:
            console = console or DisplayConsole(stderr=True)
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[pages]} pages"),
                _Rate(noun),
                TimeElapsedColumn(),
                console=console,
                # Output printed to the same terminal goes above the bar; output to a pipe stays in the pipe.
                redirect_stdout=sys.stdout.isatty(),
                redirect_stderr=False,
                transient=False,
            )
            total = limit if limit is not None else None
            self._task = self._progress.add_task(noun, total=total, completed=done, pages=pages)

    def __enter__(self) -> Self:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, page: Page[Any]) -> None:
        """Count a page that has been written."""
        self._pages += 1
        if self._progress is None:
            return
        update: dict[str, Any] = {"advance": len(page.items), "pages": self._pages}
        if page.total_size is not None:
            update["total"] = page.total_size if self._limit is None else min(page.total_size, self._limit)
        self._progress.update(self._task, **update)
