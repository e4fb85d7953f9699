"""Measuring the table of costs (`costs.json`): `python -m llamacloud_conformance.suite.measure` runs the suite
against the mock server at two `--examples` values in both modes (against a deployment: read-only, the server
and semantics parts; embedded: every part), reads each test case's `requests` property from the JUnit file, and
fits each check's cost as `fixed + per_example * examples`.

It is the one module of the suite that runs the suite: what reads the table (`costs.py`) stays free of the
runner, which reads it back.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..mock import Dataset, running_mock
from ..run import RunOptions, run
from . import parts
from .costs import TABLE

MEASURED_AT = (5, 100)  # the two --examples values the fit is made from


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
        "how": "python -m llamacloud_conformance.suite.measure: requests per check against the mock server (seed 1, "
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
