"""Exit codes scripts can rely on, and every error reported the same way: one line on stderr, no traceback
(unless `--debug`), and never the API key, which no message of the client or of this command contains."""

from __future__ import annotations

import contextlib
import traceback
from typing import TextIO

import click

from llamacloud_extract import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    RequestTooLongError,
    UnprocessableEntityError,
)

OK = 0
FAILURE = 1  # a local problem: the output file cannot be written, another export holds it, a bug
USAGE = 2  # a bad option or value, no API key, an export to resume with other options
API = 3  # the API or the network failed: 401/403, a 4xx, a 5xx or a connection error after the retries
INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class CommandError(Exception):
    """A failure the command itself detects, reported on one line with its exit code."""

    def __init__(self, message: str, exit_code: int = FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def refuses_page_token(error: UnprocessableEntityError) -> bool:
    """Whether a 422 to a request that carries a page token is about the token. Every other parameter has been
    checked by the command (or accepted by the server for the pages before), so little else can be wrong; the
    detail, when the server gives one, says which."""
    locations = [detail.loc for detail in error.detail if isinstance(detail.loc, list)]
    return not locations or any(location and location[-1] == "page_token" for location in locations)


def quoted_detail(error: UnprocessableEntityError) -> str:
    """What the server said about a 422, shortened to fit in one line."""
    messages = [str(detail.msg) for detail in error.detail if isinstance(detail.msg, str)]
    return "; ".join(messages)[:200] or "Unprocessable Entity"


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for an exception that ended the command."""
    if isinstance(exc, click.UsageError):
        where = f" ({exc.ctx.command_path} --help)" if exc.ctx is not None else ""
        return USAGE, f"{exc.format_message()}{where}"
    if isinstance(exc, click.ClickException):
        return exc.exit_code, exc.format_message()
    if isinstance(exc, CommandError):
        return exc.exit_code, str(exc)
    if isinstance(exc, ConfigurationError | RequestTooLongError):  # what the user asked for cannot be sent
        return USAGE, str(exc)
    if isinstance(exc, AuthenticationError):
        return API, f"{exc} (check the API key, and --region: keys are per region)"
    if isinstance(exc, APIError):
        return API, str(exc)
    if isinstance(exc, KeyboardInterrupt | click.Abort):
        return INTERRUPTED, "interrupted"
    if isinstance(exc, OSError):
        return FAILURE, f"{exc.strerror or type(exc).__name__}: {exc.filename}" if exc.filename else str(exc)
    return FAILURE, f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)"


def report(exc: BaseException, prog: str, *, debug: bool, stderr: TextIO, resumable: bool = False) -> int:
    """Print the error (after its traceback with `--debug`) and return the exit code. `resumable`: the command
    can pick up where it stopped, which is worth saying when the API or the user stopped it."""
    code, message = classify(exc)
    if resumable and code in (API, INTERRUPTED):
        message += "; run the same command again to resume"
    line = " ".join(message.split())  # one line, whatever the server's body held
    with contextlib.suppress(BrokenPipeError):  # nobody reads stderr any more: the exit code still tells
        if debug:
            traceback.print_exception(exc, file=stderr)
        stderr.write(f"{prog}: error: {line}\n")
        stderr.flush()
    return code
