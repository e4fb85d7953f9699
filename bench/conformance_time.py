"""Conformance run time: the wall time of the conformance suite against the embedded mock, split by part.

It runs what `nox -s conformance` runs (`llamacloud-conformance run`, here as `python -m llamacloud_conformance
run`) once, in full, and splits the time by part from the JUnit report: the sum of each part's test
durations, the rest being start-up (the mock process, the spec) and collection. Where the suite (the
`suite` extra of llamacloud-conformance) is not installed it says so instead.

    python bench/conformance_time.py [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import targets


def parts() -> dict[str, str] | None:
    """Part name -> its test module, or None when the suite is not installed."""
    try:
        from llamacloud_conformance.suite.parts import PARTS
    except ImportError:  # the base install of llamacloud-conformance: the mock without the suite
        return None
    return {part.name: part.module for part in PARTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: the semantics part only")
    args = parser.parse_args()
    print("## Conformance run time\n")
    known = parts()
    if known is None:
        print("Not measured: the conformance suite is not installed (`pip install './conformance[suite]'`).\n")
        return
    chosen = ["semantics"] if args.quick else list(known)
    command = [sys.executable, "-m", "llamacloud_conformance", "run"]
    if args.quick:
        command += ["--part", "semantics"]
    with tempfile.TemporaryDirectory(prefix="bench-conformance-") as reports:
        started = time.perf_counter()
        done = subprocess.run([*command, "--report-dir", reports], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        junit = Path(reports) / "conformance-junit.xml"
        cases = list(ET.parse(junit).iter("testcase")) if junit.exists() else []  # noqa: S314 - our own file

    module_part = {Path(module).stem: part for part, module in known.items()}
    per_part = {part: [0, 0, 0.0] for part in chosen}  # tests, failed, seconds
    for case in cases:
        part = module_part.get((case.get("classname") or "").split(".")[0])
        if part in per_part:
            per_part[part][0] += 1
            per_part[part][1] += any(child.tag in ("failure", "error") for child in case)
            per_part[part][2] += float(case.get("time") or 0)

    verdict = "passed" if done.returncode == 0 else f"**exit code {done.returncode}**"
    print(
        f"`{' '.join(['python', *command[1:]])}` against the embedded mock (what `nox -s conformance` runs): "
        f"{verdict}, {wall:.1f} s wall. Per part: the sum of its test durations from the JUnit report.\n"
    )
    print("| part | tests | failed | seconds | share of the wall time |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for part, (tests, failed, seconds) in per_part.items():
        print(f"| {part} | {tests} | {failed} | {seconds:.1f} | {seconds / wall:.0%} |")
    rest = wall - sum(seconds for _, _, seconds in per_part.values())
    print(f"| start-up, collection, fixtures | | | {rest:.1f} | {rest / wall:.0%} |")
    print(f"| **total** | {sum(t for t, _, _ in per_part.values())} | | {wall:.1f} | 100% |\n")
    if done.returncode:
        print("```\n" + (done.stdout + done.stderr).strip()[-1500:] + "\n```\n")
    targets.report(
        "conformance: `llamacloud-conformance run` on the mock, wall time", f"{wall:.1f} s", "(information)", None
    )


if __name__ == "__main__":
    main()
