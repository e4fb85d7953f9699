"""`nox -s bench`: every benchmark in one run, and one Markdown report of it.

Runs each section script in turn, each as its own process (so no section's imports, threads or memory colour
the next), shows its output as it comes, and writes the report: the machine and the package versions, every
target with its verdict, then the sections. The ratios in a section are always measured side by side in that
one run; this machine is shared, so absolute figures move from run to run.

    python bench/run.py [--quick] [--output bench/RESULTS.md] SCRIPT...

`--quick` is a smoke run (small sizes, seconds per section); it writes no report unless `--output` is given.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from targets import PREFIX, verdict
from versions import installed

HERE = Path(__file__).parent
PACKAGES = ["httpx", "llamacloud-extract", "llama-cloud", "llamacloud-conformance", "uvicorn", "starlette"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def run_section(script: str, quick: bool) -> tuple[list[str], list[dict[str, object]], int, float]:
    """The section's Markdown lines (shown as they come), its targets, its exit code and its run time."""
    command = [sys.executable, "-u", script, *(["--quick"] if quick else [])]
    started = time.perf_counter()
    lines, found = [], []
    with tempfile.TemporaryFile("w+") as stderr:  # a file, not a pipe: a chatty stderr cannot stall the section
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=HERE.parent)
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(PREFIX):
                found.append(json.loads(line.removeprefix(PREFIX)))
                continue
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
        code = process.wait()
        stderr.seek(0)
        errors = stderr.read()
    if code:
        print(errors, file=sys.stderr)
        lines += [f"**`{script}` failed with exit code {code}:**", "", "```", errors.strip()[-3000:], "```", ""]
    return lines, found, code, time.perf_counter() - started


README = HERE.parent / "README.md"
README_MARKERS = ("<!-- bench-table -->", "<!-- /bench-table -->")


def _update_readme(summary: str) -> None:
    """Keep the README's copy of the summary table (between its two markers) in step with the latest run."""
    text = README.read_text()
    start, end = (text.find(marker) for marker in README_MARKERS)
    if start < 0 or end < start:
        return
    README.write_text(f"{text[: start + len(README_MARKERS[0])]}\n{summary}\n\n{text[end:]}")
    print(f"summary table updated in {README.name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scripts", nargs="+", help="the section scripts, in order")
    parser.add_argument("--quick", action="store_true", help="a smoke run of every section")
    parser.add_argument("--output", type=Path, help="where the report goes (default bench/RESULTS.md, not in --quick)")
    args = parser.parse_args()
    output = args.output or (None if args.quick else HERE / "RESULTS.md")

    started = time.perf_counter()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.machine()}"
    sections, found, failed = [], [], []
    for script in args.scripts:
        lines, targets, code, seconds = run_section(script, args.quick)
        sections.append("\n".join(lines).strip() + f"\n\n_(`{script}`: {seconds:.0f} s)_\n")
        found += targets
        if code:
            failed.append(script)
    total = time.perf_counter() - started

    report = [
        "# Benchmarks" + (" (quick smoke run: sizes too small to mean anything)" if args.quick else ""),
        "",
        f"`nox -s bench{' -- --quick' if args.quick else ''}`, {when}, {total / 60:.1f} minutes. Machine: {machine}, "
        f"shared with other work. Python {platform.python_version()}, {installed(PACKAGES)}.",
        "",
        "| target | measured | goal | verdict |",
        "| --- | --- | --- | --- |",
        *(f"| {t['what']} | {t['measured']} | {t['goal']} | {verdict(t['met'])} |" for t in found),  # type: ignore[arg-type]
        "",
        *sections,
    ]
    text = "\n".join(report).rstrip() + "\n"
    print("\n" + "\n".join(report[: 6 + len(found)]))
    if output is not None:
        output.write_text(text)
        print(f"\nwritten to {output}")
        _update_readme("\n".join(report[2 : 6 + len(found)]).strip())
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
