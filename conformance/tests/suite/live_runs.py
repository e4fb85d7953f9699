"""A conformance run against a server a test has started, as a deployment is checked: the server and semantics
parts, a generous budget and no pace (the server is on this machine), unless the test says otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from llamacloud_conformance.run import RunOptions, run


class Outcome(NamedTuple):
    code: int  # the run's exit status
    summary: str  # conformance-summary.md
    junit: str  # conformance-junit.xml


def run_against(base_url: str, api_key: str, report_dir: Path, *, fuzz_examples: int, **options: Any) -> Outcome:
    """Run the suite against `base_url`; `options` are `RunOptions`' (`max_requests`, `snapshot`, `parts`, ...)."""
    chosen: dict[str, Any] = {"max_requests": 5_000, "rate_limit": 10_000.0, "parts": ("server", "semantics")}
    settings = RunOptions(
        base_url=base_url,
        api_key=api_key,
        fuzz_examples=fuzz_examples,
        report_dir=report_dir,
        **(chosen | options),
    )
    code = run(settings)
    return Outcome(
        code,
        (report_dir / "conformance-summary.md").read_text(),
        (report_dir / "conformance-junit.xml").read_text(),
    )
