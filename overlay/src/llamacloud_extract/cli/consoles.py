"""Rich consoles that let a reader leave.

Rich answers a broken pipe by pointing stdout at /dev/null and raising `SystemExit(1)`: `| head` on a table
would end the command with status 1 and no message, unlike every other format, and a progress bar whose
stderr reader left would silence stdout, the listing itself. These consoles instead raise `BrokenPipeError`
for the output (which the command ends quietly, with success, like the other formats) and stop drawing for a
progress display (the listing goes on).
"""

from __future__ import annotations

import errno

from rich.console import Console


class OutputConsole(Console):
    """A console for the command's output: a reader that went away ends the listing (see `_reader_may_leave`)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


class DisplayConsole(Console):
    """A console for what only decorates (the progress bar): without a reader it falls silent, nothing more."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
