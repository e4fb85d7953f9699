"""One conformance run: pick the target (the embedded mock, or a URL and a key), run the suite with pytest,
and leave a JUnit file and a Markdown summary behind.

pytest is the engine because it already is what schemathesis' Python API plugs into, and it gives JUnit XML
for free; the suite's modules are ordinary test modules shipped inside this package.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from . import bounds
from .spec.document import Spec
from .suite import context
from .suite.junit import add_drift, add_flaky
from .suite.plugin import ConformancePlugin
from .suite.report import write_summary
from .suite.verdict import verdict

SUITE_DIR = Path(__file__).parent / "suite"
PARTS = {
    "server": "test_server_vs_spec.py",
    "semantics": "test_server_semantics.py",
    "client-spec": "test_client_vs_spec.py",
    "client-server": "test_client_vs_server.py",
}
EMBEDDED_ONLY = {"client-server"}
DEFAULT_LIVE_MAX_REQUESTS = 400
DEFAULT_LIVE_RATE_LIMIT = 5.0


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
    """Why the reports cannot be written there, or None once the folder exists. A report file that exists but
    is not a regular file (a FIFO would block the end of the run; a device would be fed or replaced) is refused."""
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"--report-dir: cannot make the folder {report_dir}: {error.strerror or error}"
    for path in files:
        if (path.exists() or path.is_symlink()) and not path.is_file():
            return f"--report-dir: {path} exists and is not a regular file; remove it or choose another folder"
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
            key = options.api_key or os.environ.get("LLAMA_CLOUD_API_KEY", "")
            if not key:
                raise ValueError("a live run needs an API key: set LLAMA_CLOUD_API_KEY (or pass --api-key)")
            base_url, embedded = options.base_url.rstrip("/"), False
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
        except httpx.HTTPError as error:
            raise TargetUnusableError(f"cannot reach {ctx.settings.base_url}: {error}") from None
    if response.status_code in (401, 403):
        raise TargetUnusableError(f"{ctx.settings.base_url} refused the API key ({response.status_code})")


def _forget_suite_modules() -> None:
    """The suite's modules read the run's context when they are imported, so a second run in one process must
    import them afresh (pytest would otherwise reuse the first run's, aimed at the first run's target)."""
    for name in [m for m in sys.modules if m.startswith(f"{__package__}.suite.test_")]:
        del sys.modules[name]


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
        for snapshot in {options.snapshot, options.mock_snapshot} - {None}:
            Spec.load(snapshot)
        Spec.load(options.snapshot)
    except ValueError as exc:
        print(f"llamacloud-conformance: error: --snapshot: {exc}", file=sys.stderr)
        return 2
    junit = options.report_dir / "conformance-junit.xml"
    summary = options.report_dir / "conformance-summary.md"
    if (problem := _report_files_error(options.report_dir, (junit, summary))) is not None:
        print(f"llamacloud-conformance: error: {problem}", file=sys.stderr)
        return 2
    try:
        target = _target(options)
        ctx = target.__enter__()
    except ValueError as exc:
        print(f"llamacloud-conformance: error: {exc}", file=sys.stderr)
        return 2
    try:
        _preflight(ctx)
    except TargetUnusableError as exc:
        target.__exit__(None, None, None)
        print(f"llamacloud-conformance: error: {exc}", file=sys.stderr)
        return 3
    try:
        parts = [p for p in options.parts if ctx.settings.embedded or p not in EMBEDDED_ONLY]
        files = [str(SUITE_DIR / PARTS[p]) for p in parts]
        plugin = ConformancePlugin(ctx)
        _forget_suite_modules()
        context.install(ctx)
        started = time.monotonic()
        args = [
            *files,
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
            *options.pytest_args,
        ]  # fmt: skip
        code = pytest.main(args, plugins=[plugin])
        elapsed = time.monotonic() - started
    finally:
        context.install(None)
        target.__exit__(None, None, None)
    secrets = [ctx.settings.api_key, ctx.settings.admin_token or ""]

    def redacted(text: str) -> str:
        for secret in secrets:
            text = context.redact(text, secret)
        return text

    add_drift(junit, ctx.drift.findings(), ctx.spec.name)
    add_flaky(junit, ctx.flaky.flaky())
    junit.write_text(redacted(junit.read_text(encoding="utf-8")), encoding="utf-8")
    text = write_summary(plugin.results, ctx, elapsed=elapsed, skipped_parts=sorted(set(options.parts) - set(parts)))
    summary.write_text(redacted(text), encoding="utf-8")
    print(redacted(text))
    print(f"JUnit: {junit}\nSummary: {summary}")
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return 2
    return verdict(plugin.results, ctx).exit_status
