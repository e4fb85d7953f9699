"""What one check of a run came to: what the plugin records, and what the summary, the verdict and the budget
estimate read (a module of its own, so that they read it without importing the plugin)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    part: str  # the part's title: server vs spec (schemathesis), server semantics, client vs spec, ...
    endpoint: str  # "GET /api/v2/extract", "GET /api/v1/extractionv2/runs", or "both"
    name: str
    outcome: str  # passed, failed, skipped
    message: str  # the failure (or the reason for a skip), secrets redacted later
    reproduce: tuple[str, ...]  # curl lines found in the failure
    for_budget: bool = False  # skipped, or cut short, because the request budget was used up
    requests: int = 0  # requests the check sent (its setup, call and teardown), through the run's guard
