"""What each check costs in requests: how the summary estimates the budget a run cut short would have needed.

The table, `costs.json`, is measured, not guessed: `python -m llamacloud_conformance.suite.costs` runs the suite
against the mock server at two `--examples` values in both modes (against a deployment: read-only, the server
and semantics parts; embedded: every part), reads each test case's `requests` property from the JUnit file, and
fits each check's cost as `fixed + per_example * examples` (schemathesis' checks grow with `--examples`, the
others do not). A deployment with more data costs about the same: every walk of a listing is capped. Retries
after 429 and 5xx come on top. A check the table does not know (a new one, or a parameter another snapshot
adds) is priced as the dearest check of its name, else of its part.
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from . import parts
from .plugin import Result

TABLE = Path(__file__).with_name("costs.json")
MEASURED_AT = (5, 100)  # the two --examples values the fit is made from
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


# ---- measuring the table ----------------------------------------------------------------------------------------


def requests_per_check(junit: Path) -> dict[str, dict[str, int]]:
    """part -> check name (as the summary names it) -> the `requests` property of its test case."""
    found: dict[str, dict[str, int]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314 - our own file
        spent = next((p.get("value") for p in case.iter("property") if p.get("name") == "requests"), None)
        module, *classes = (case.get("classname") or "").split(".")
        part = parts.BY_MODULE.get(module)
        if spent is None or part is None:
            continue
        found.setdefault(part.title, {})["::".join([*classes, case.get("name") or ""])] = int(spent)
    return found


def _fit(low: Mapping[str, Mapping[str, int]], high: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """[fixed, per_example] per check through the two measures (a check found in one run only: flat)."""
    few, many = MEASURED_AT
    fitted: dict[str, Any] = {}
    for part in sorted(set(low) | set(high)):
        for check in sorted(set(low.get(part, {})) | set(high.get(part, {}))):
            a = low.get(part, {}).get(check)
            b = high.get(part, {}).get(check)
            if a is None or b is None or b <= a:
                fitted.setdefault(part, {})[check] = [max(x for x in (a, b) if x is not None), 0]
                continue
            slope = (b - a) / (many - few)
            fitted.setdefault(part, {})[check] = [round(b - slope * many, 1), round(slope, 3)]
    return fitted


def measure() -> dict[str, Any]:
    """Run the suite against the mock at both example counts, in both modes, and fit the table."""
    from ..mock import Dataset, running_mock  # only measuring needs a server
    from ..run import RunOptions, run

    per_mode: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="conformance-costs-") as tmp:
        for mode in ("live", "embedded"):
            counts = []
            for examples in MEASURED_AT:
                folder = Path(tmp) / f"{mode}-{examples}"
                options = RunOptions(fuzz_examples=examples, report_dir=folder, rate_limit=1e9, max_requests=10**9)
                if mode == "live":
                    data = Dataset.generate(seed=options.seed, jobs=options.jobs, runs=options.runs)
                    with running_mock(dataset=data, api_key="costs-key") as server:
                        options.base_url, options.api_key = server.base_url, "costs-key"
                        options.parts = ("server", "semantics")
                        code = run(options)
                else:
                    code = run(options)
                if code != 0:
                    raise SystemExit(
                        f"the {mode} run at --examples {examples} did not pass (exit {code}): see {folder}"
                    )
                counts.append(requests_per_check(folder / "conformance-junit.xml"))
            per_mode[mode] = _fit(*counts)
    return {
        "how": "python -m llamacloud_conformance.suite.costs: requests per check against the mock server (seed 1, "
        f"400 jobs, 40 runs, the default snapshot), fitted as [fixed, per_example] from --examples {MEASURED_AT}",
        "costs": per_mode,
    }


def dumps(table: Mapping[str, Any]) -> str:
    """The table as JSON, one check a line (so that a new measure reads as a diff of the checks that moved)."""
    text = json.dumps(table, indent=1, sort_keys=True)
    return re.sub(r"\[\s+([0-9.]+),\s+([0-9.]+)\s+\]", r"[\1, \2]", text) + "\n"


if __name__ == "__main__":
    TABLE.write_text(dumps(measure()), encoding="utf-8")
    print(f"wrote {TABLE}", file=sys.stderr)
