"""What each check costs in requests: how the summary estimates the budget a run cut short would have needed.

The table, `costs.json`, is measured, not guessed (`python -m llamacloud_conformance.suite.measure`, see
`measure.py`): each check's cost is fitted as `fixed + per_example * examples` (schemathesis' checks grow with
`--examples`, the others do not). A deployment with more data costs about the same: every walk of a listing is
capped. Retries after 429 and 5xx come on top. A check the table does not know (a new one, or a parameter
another snapshot adds) is priced as the dearest check of its name, else of its part.

The plugin and the summary read the table, and the runner reads them: so this module imports nothing of the
runner, and the command that measures the table by running the suite is a module of its own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .result import Result

TABLE = Path(__file__).with_name("costs.json")
Costs = Mapping[str, Mapping[str, Mapping[str, tuple[float, float]]]]  # mode -> part -> check -> (fixed, slope)


@attrs.frozen
class Shortfall:
    """What a run cut short by its budget left undone, and what would have covered it."""

    unfinished: tuple[tuple[Result, int | None], ...]  # each check that did not finish, with its estimate
    needed: int  # the estimated budget for the whole run
    unknown: int  # unfinished checks with no estimate at all (counted at what they sent)

    @property
    def suggested(self) -> int:
        """The estimate with a tenth more for retries, rounded up to a ten."""
        return math.ceil(self.needed * 1.1 / 10) * 10


def load(path: Path = TABLE) -> Costs:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {
        mode: {
            part: {check: (float(c[0]), float(c[1])) for check, c in checks.items()} for part, checks in parts.items()
        }
        for mode, parts in raw["costs"].items()
    }


def estimate(result: Result, *, embedded: bool, examples: int, costs: Costs) -> int | None:
    """What `result`'s check would cost at `examples` (at least what it sent before it was cut short)."""
    known = costs.get("embedded" if embedded else "live", {}).get(result.part, {})
    function = result.name.split("[", 1)[0]
    fits = [known[result.name]] if result.name in known else []
    fits = fits or [c for name, c in known.items() if name.split("[", 1)[0] == function] or list(known.values())
    if not fits:
        return None
    return max(result.requests, max(math.ceil(fixed + slope * examples) for fixed, slope in fits))


def needs_requests(part: str, name: str, *, embedded: bool, costs: Costs | None = None) -> bool:
    """Whether a check sends requests at all: measured to send none (the client-vs-spec part) is the only no."""
    check = Result(part, "both", name, "skipped", "", ())
    return estimate(check, embedded=embedded, examples=1, costs=load() if costs is None else costs) != 0


def shortfall(results: Iterable[Result], sent: int, *, embedded: bool, examples: int, costs: Costs) -> Shortfall:
    """The checks the budget left undone and the budget the whole run needs: what was sent, with each unfinished
    check's requests replaced by its estimate."""
    unfinished = [(r, estimate(r, embedded=embedded, examples=examples, costs=costs)) for r in results if r.for_budget]
    needed = sent + sum((guess if guess is not None else r.requests) - r.requests for r, guess in unfinished)
    return Shortfall(tuple(unfinished), needed, sum(guess is None for _, guess in unfinished))
