"""One conformance run: pick the target (the embedded mock, or a URL and a key), run the suite with pytest,
and leave a JUnit file and a Markdown summary behind.

pytest is the engine because it already is what schemathesis' Python API plugs into, and it gives JUnit XML
for free; the suite's modules are ordinary test modules shipped inside this package.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from xml.etree import ElementTree

import httpx
import pytest

from llamacloud_extract._config import check_api_key, check_base_url
from llamacloud_extract._errors import transport_failure

from . import bounds
from .spec.document import Spec
from .suite import context
from .suite.junit import add_drift, add_flaky
from .suite.parts import BY_NAME, SUITE_DIR
from .suite.plugin import ConformancePlugin
from .suite.report import write_summary
from .suite.verdict import verdict

PARTS = BY_NAME
"""The parts a run may be asked for, by their `--part` name (`suite/parts.py` declares them)."""
DEFAULT_LIVE_MAX_REQUESTS = 400
DEFAULT_LIVE_RATE_LIMIT = 5.0
KEY_ENV = "LLAMA_CLOUD_API_KEY"


@dataclass
class RunOptions:
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    max_requests: int | None = None
    rate_limit: float | None = None
    seed: int = 1
    fuzz_examples: int = 25
    report_dir: Path = Path("reports")
    parts: Sequence[str] = tuple(PARTS)
    jobs: int = 400  # size of the embedded mock's data
    runs: int = 40
    pytest_args: Sequence[str] = ()
    snapshot: str | None = None
    """The snapshot to check against (and, embedded, the one the mock speaks); None: the default snapshot."""
    mock_snapshot: str | None = None
    """Embedded runs only: a snapshot for the mock other than `snapshot` (how the tests show drift is found)."""

    def usage_error(self) -> str | None:
        """What is wrong with these options, named as the command's options are, or None. Checked before
        anything is started or sent: a budget of nothing, or a pace that is no pace, is a mistake to report,
        not a run to make."""
        rate = self.rate_limit
        if self.max_requests is not None and self.max_requests < 1:
            return f"--max-requests: the budget must be at least 1 request, got {self.max_requests}"
        if rate is not None and not (math.isfinite(rate) and rate > 0):
            return f"--rate-limit: requests a second must be a positive number, got {rate:g}"
        if self.fuzz_examples < 1:
            return f"--examples: at least 1 example per operation, got {self.fuzz_examples}"
        if not 0 <= self.seed <= bounds.MAX_SEED:
            return f"--seed: a whole number from 0 to {bounds.MAX_SEED} is needed, got {self.seed}"
        if not self.parts:
            return f"--part: at least one part is needed: {', '.join(PARTS)}"
        for name, value, most in (("jobs", self.jobs, bounds.MAX_JOBS), ("runs", self.runs, bounds.MAX_RUNS)):
            if not 0 <= value <= most:  # the embedded mock's data: it would refuse to start
                return f"{name}: the embedded mock serves 0 to {most:,}, got {value:,}"
        return None


def _report_files_error(report_dir: Path, files: Sequence[Path]) -> str | None:
    """Why the reports cannot be written there, or None. The folder is made only once the run goes ahead (a run
    refused at once leaves nothing); a report file that exists but is not a regular file is refused: a link
    would be written through (what it points to replaced by a report), a FIFO would block the end of the run, a
    device would be fed or replaced."""
    existing = next((p for p in (report_dir, *report_dir.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"--report-dir: {existing} exists and is not a folder, so {report_dir} cannot be made"
    for path in files:
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        if not stat.S_ISREG(mode):
            return f"--report-dir: {path} is not a regular file, and the run writes its report there; remove it or choose another folder"
    return None


def _make_report_dir(report_dir: Path) -> str | None:
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"--report-dir: cannot make the folder {report_dir}: {error.strerror or error}"
    return None


@contextlib.contextmanager
def _target(options: RunOptions) -> Iterator[context.RunContext]:
    """The run's context: aimed at `options.base_url` (a deployment: read-only, budgeted, paced by default), or
    at the mock server started here as a process of its own."""
    budget: int | None
    pace: float | None
    admin_token: str | None = None
    with contextlib.ExitStack() as stack:
        if options.base_url:
            # The client's own rules: a URL the API's paths can follow, and a key HTTP can carry (a
            # ConfigurationError, which is a ValueError, names what is wrong and never quotes a secret).
            base_url, embedded = check_base_url(options.base_url, "--base-url"), False
            key, source = (options.api_key, "api_key") if options.api_key else (os.environ.get(KEY_ENV, ""), KEY_ENV)
            if not key:
                raise ValueError(f"a live run needs an API key: set {KEY_ENV} (or pass --api-key)")
            check_api_key(key, source)
            budget = options.max_requests if options.max_requests is not None else DEFAULT_LIVE_MAX_REQUESTS
            pace = options.rate_limit if options.rate_limit is not None else DEFAULT_LIVE_RATE_LIMIT
        else:
            from .mockprocess import mock_process  # only an embedded run needs the server's dependencies

            served = options.mock_snapshot or options.snapshot
            server = stack.enter_context(
                mock_process(seed=options.seed, jobs=options.jobs, runs=options.runs, snapshot=served)
            )
            base_url, key, embedded, admin_token = server.base_url, server.api_key, True, server.admin_token
            budget, pace = options.max_requests, options.rate_limit
        settings = context.RunSettings(
            base_url=base_url,
            api_key=key,
            embedded=embedded,
            max_requests=budget,
            rate_limit=pace,
            seed=options.seed,
            fuzz_examples=options.fuzz_examples,
            snapshot=options.snapshot,
            admin_token=admin_token,
        )
        ctx = context.RunContext(settings)
        stack.callback(ctx.close)
        yield ctx


class TargetUnusableError(RuntimeError):
    """The target cannot be checked at all: unreachable, or the key is refused."""


def _preflight(ctx: context.RunContext) -> None:
    """One request before the suite, so that a wrong URL or key is one clear error, not thirty failed checks."""
    with ctx.http_client() as client:
        try:
            response = client.get("/api/v2/extract", params={"page_size": 1})
        except httpx.TransportError as error:  # its text may quote a header: described as the client does
            raise TargetUnusableError(f"cannot reach {ctx.settings.base_url} ({transport_failure(error)})") from None
        except httpx.HTTPError as error:
            raise TargetUnusableError(f"cannot reach {ctx.settings.base_url} ({type(error).__name__})") from None
    if response.status_code in (401, 403):
        raise TargetUnusableError(f"{ctx.settings.base_url} refused the API key ({response.status_code})")


def run(options: RunOptions) -> int:
    """Run the suite; 0 when everything conforms, 1 on any failure, 2 on a usage error, 3 when the target
    cannot be used (unreachable, or the key refused), 4 when nothing failed but the request budget left checks
    undone (INCONCLUSIVE; `suite/verdict.py`)."""
    if (problem := options.usage_error()) is not None:
        print(f"llamacloud-conformance: error: {problem}", file=sys.stderr)
        return 2
    unknown = [p for p in options.parts if p not in PARTS]
    if unknown:
        print(
            f"llamacloud-conformance: error: unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}",
            file=sys.stderr,
        )
        return 2
    try:  # an unknown snapshot, or a spec file that does not declare what its parameters mean
        for snapshot in {options.snapshot, options.mock_snapshot or options.snapshot}:  # None: the default
            Spec.load(snapshot)
    except ValueError as exc:
        print(f"llamacloud-conformance: error: --snapshot: {exc}", file=sys.stderr)
        return 2
    junit = options.report_dir / "conformance-junit.xml"
    summary = options.report_dir / "conformance-summary.md"
    if (problem := _report_files_error(options.report_dir, (junit, summary))) is not None:
        print(f"llamacloud-conformance: error: {problem}", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        try:
            ctx = stack.enter_context(_target(options))
        except ValueError as exc:
            print(f"llamacloud-conformance: error: {exc}", file=sys.stderr)
            return 2
        try:
            _preflight(ctx)
        except TargetUnusableError as exc:
            print(f"llamacloud-conformance: error: {exc}", file=sys.stderr)
            return 3
        if (problem := _make_report_dir(options.report_dir)) is not None:
            print(f"llamacloud-conformance: error: {problem}", file=sys.stderr)
            return 2
        secrets = [ctx.settings.api_key, ctx.settings.admin_token or ""]
        parts = [p for p in options.parts if ctx.settings.embedded or not PARTS[p].embedded_only]
        plugin = ConformancePlugin(ctx)
        started = time.monotonic()
        with _redacted_stdout(secrets):
            code = pytest.main(_pytest_args(parts, junit, options.pytest_args), plugins=[plugin])
        elapsed = time.monotonic() - started

    def redacted(text: str) -> str:
        return _redact(text, secrets)

    add_drift(junit, ctx.drift.findings(), ctx.spec.name)
    add_flaky(junit, ctx.flaky.flaky())
    redact_junit(junit, *secrets)
    text = write_summary(plugin.results, ctx, elapsed=elapsed, skipped_parts=sorted(set(options.parts) - set(parts)))
    summary.write_text(redacted(text), encoding="utf-8")
    with _redacted_stdout(secrets):
        print(text)
        print(f"JUnit: {junit}\nSummary: {summary}")
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return 2
    return verdict(plugin.results, ctx).exit_status


def _pytest_args(parts: Sequence[str], junit: Path, extra: Sequence[str]) -> list[str]:
    """pytest on the parts' files alone: none of the configuration of the folder the run is started from."""
    return [
        *(str(PARTS[p].file) for p in parts),
        "-p", "no:cacheprovider",
        "-p", "no:asyncio",  # the suite has no async tests; the plugin would only warn about its settings
        "-o", "addopts=",
        "-o", "testpaths=",
        "-o", "filterwarnings=",
        "-o", "python_files=test_*.py",
        "--rootdir", str(SUITE_DIR),
        "-c", os.devnull,
        f"--junitxml={junit}",
        "-o", "junit_suite_name=llamacloud-conformance",
        "-q",
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
        *extra,
    ]  # fmt: skip


def _redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = context.redact(text, secret)
    return text


def redact_junit(path: Path, *secrets: str) -> None:
    """Redact the JUnit file where its values stand: in each text and attribute as XML reads them, so that a key
    holding `&`, `<` or a quote, which the file escapes, is found as well."""
    tree = ElementTree.parse(path)  # noqa: S314 - pytest's own report, written a moment ago
    for element in tree.iter():
        if element.text:
            element.text = _redact(element.text, secrets)
        if element.tail:
            element.tail = _redact(element.tail, secrets)
        for name, value in element.attrib.items():
            element.attrib[name] = _redact(value, secrets)
    tree.write(path, encoding="utf-8", xml_declaration=True)


class _RedactedStream:
    """Stands in for stdout while the run prints, so that what it prints (a failure quoting a response that
    echoes the key) is redacted like the reports. Whole lines are redacted and passed on; a line in progress
    waits for its end (or the end of the run), so that a key is never cut in two.

    A reader that leaves early (`| head`) has what it wanted, but the run has not: it goes on, writes its
    reports and exits with its verdict, printing nothing more."""

    def __init__(self, stream: TextIO, secrets: Sequence[str]) -> None:
        self._stream = stream
        self._secrets = secrets
        self._pending = ""
        self._reader_gone = False

    def write(self, text: str) -> int:
        done, newline, self._pending = (self._pending + text).rpartition("\n")
        if newline:
            self._pass_on(done + newline)
        return len(text)

    def flush(self) -> None:
        self._pass_on("")

    def finish(self) -> None:
        pending, self._pending = self._pending, ""
        self._pass_on(pending)

    def _pass_on(self, text: str) -> None:
        if self._reader_gone:
            return
        try:
            if text:
                self._stream.write(_redact(text, self._secrets))
            self._stream.flush()
        except BrokenPipeError:
            self._reader_gone = True
            # The interpreter flushes stdout once more on the way out: let that land in /dev/null.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno, ...: the real stream's
        return getattr(self._stream, name)


@contextlib.contextmanager
def _redacted_stdout(secrets: Sequence[str]) -> Iterator[None]:
    real = sys.stdout
    stream = _RedactedStream(real, secrets)
    sys.stdout = stream
    try:
        yield
    finally:
        stream.finish()
        sys.stdout = real
