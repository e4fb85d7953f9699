"""The export's files are regular files, or the export does not touch them.

`jobs export OUT` replaces OUT by a rename and writes `OUT.part`, `OUT.resume` and a temporary checkpoint beside
it. Under one of those names, a device node (`/dev/null`), a FIFO or a symbolic link (`/dev/stdout`) would be
replaced by the rename, written or truncated through, or, once opened, keep the command waiting for ever. So
each name is checked before anything is sent (`refuse_unless_regular`), and each file is opened without
following a link or waiting on a FIFO and checked again on the open descriptor (`open_regular`), which no change
between the two can get past.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)


class NotARegularFileError(click.BadParameter):
    """A name the export would write or replace holds something else: exit 2, nothing touched."""

    def __init__(self, path: Path, mode: int) -> None:
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        super().__init__(
            f"{path} is {kind}, not a regular file, and an export replaces only regular files: "
            "choose another OUT, or - for standard output",
            param_hint="'OUT'",
        )


def refuse_unless_regular(path: Path) -> None:
    """Raise unless `path` is absent or a regular file (a link to one is refused too: the rename would replace
    the link, not the file)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(path, mode)


def open_regular(path: Path, flags: int, mode: int = 0o666) -> int:
    """A descriptor for the regular file `path` (created if `flags` say so), or `NotARegularFileError`: a link
    is not followed and a FIFO is not waited on."""
    try:
        descriptor = os.open(path, flags | _NO_FOLLOW | _NO_WAIT | os.O_CLOEXEC, mode)
    except OSError:  # a link (ELOOP), a directory (EISDIR), a FIFO nobody reads (ENXIO): say what it is
        refuse_unless_regular(path)
        raise
    try:
        found = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(found):
            raise NotARegularFileError(path, found)
        if _NO_WAIT:  # no effect on a regular file; cleared all the same, as nothing here wants it
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor
