"""A run's verdict, and the exit status it gives the command: one rule, read by the summary and the runner.

FAIL when anything was found wrong (a failed check, a drift that breaks the snapshot), whatever else
happened; INCONCLUSIVE when nothing was found wrong but a check did not run, or was cut short, because the
request budget was used up (a pass would claim what was never checked); PASS otherwise. The exit statuses
`2` (usage error) and `3` (the target cannot be used) are the runner's, decided before any check runs.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from .context import RunContext
from .result import Result


class Verdict(enum.Enum):
    PASS = 0
    FAIL = 1
    INCONCLUSIVE = 4

    @property
    def exit_status(self) -> int:
        return self.value


def verdict(results: Iterable[Result], ctx: RunContext) -> Verdict:
    results = list(results)
    if any(r.outcome == "failed" for r in results) or ctx.drift.failing():
        return Verdict.FAIL
    if any(r.for_budget for r in results):
        return Verdict.INCONCLUSIVE
    return Verdict.PASS
