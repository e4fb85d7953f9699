"""How a benchmark states a target: one `TARGET {json}` line on stdout, which `bench/run.py` gathers into the
summary at the top of RESULTS.md (and leaves out of the section itself)."""

from __future__ import annotations

import json

PREFIX = "TARGET "


def report(what: str, measured: str, goal: str, met: bool | None) -> None:
    """`met` None: measured for information, no target to meet."""
    print(PREFIX + json.dumps({"what": what, "measured": measured, "goal": goal, "met": met}), flush=True)


def verdict(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "**MISSED**")
