"""Peak memory while iterating a listing: it must not grow with the number of jobs.

Each size is listed in a fresh subprocess (so one size's peak cannot hide another's), from canned pages served
in process by an `httpx.MockTransport`: 100 distinct page bodies, cycled, each page carrying its own
`next_page_token`, so the client pages exactly as against a server. The child reports `ru_maxrss` (the process's
peak RSS) at the end, and its RSS before the listing started.

    python bench/memory.py [--small 10000] [--large 1000000] [--quick]

Target (issue 6): the peak for 1,000,000 jobs within 10 % of the peak for 10,000.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import targets
from client_per_item import job

from llamacloud_extract import ExtractClient

PAGE_SIZE = 100
DISTINCT_PAGES = 100
MODES = {
    "typed (default: read-ahead)": {},
    "raw=True": {"raw": True},
    "typed, read_ahead=False": {"read_ahead": False},
}


def current_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def canned_transport(jobs: int) -> httpx.MockTransport:
    """Pages `p0`, `p1`, ... of `jobs` jobs in all; their items are drawn from `DISTINCT_PAGES` pre-encoded ones."""
    pages = -(-jobs // PAGE_SIZE)
    bodies = [
        json.dumps([job(n * PAGE_SIZE + i, expanded=False) for i in range(PAGE_SIZE)]).encode()
        for n in range(DISTINCT_PAGES)
    ]
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        number = int((request.url.params.get("page_token") or "p0")[1:])
        following = b'"p%d"' % (number + 1) if number + 1 < pages else b"null"
        body = b'{"items":' + bodies[number % DISTINCT_PAGES] + b',"next_page_token":' + following + b"}"
        return httpx.Response(200, content=body, headers=headers)

    return httpx.MockTransport(handler)


def child(jobs: int, mode: str) -> dict[str, Any]:
    """List `jobs` jobs (in this process) and report the peak RSS."""
    http = httpx.Client(transport=canned_transport(jobs))
    with ExtractClient(api_key="bench", base_url="http://bench.invalid", http_client=http) as client:
        before = current_rss_kib()
        started = time.perf_counter()
        count = sum(1 for _ in client.jobs.list(page_size=PAGE_SIZE, **MODES[mode]))
        seconds = time.perf_counter() - started
    if count != jobs:
        raise SystemExit(f"listed {count} jobs, expected {jobs}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"jobs": jobs, "mode": mode, "peak_kib": peak, "before_kib": before, "seconds": seconds}


def in_subprocess(jobs: int, mode: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(jobs), "--mode", mode], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 and 20,000 jobs")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="typed (default: read-ahead)", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.mode)))
        return
    if args.quick:
        args.small, args.large = 1_000, 20_000

    print("## Memory while listing\n")
    print(
        f"Peak RSS (`ru_maxrss`) of a fresh process that lists N jobs in {PAGE_SIZE}-item pages from canned bytes "
        "(`httpx.MockTransport`, in process); 'before' is its RSS once the client and the canned pages exist. "
        "Parallel mode is not measured: it holds the windows not reached yet, by design.\n"
    )
    print("| mode | jobs | peak RSS MiB | before the listing MiB | listing s | peak vs the small listing |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for mode in MODES:
        small, large = in_subprocess(args.small, mode), in_subprocess(args.large, mode)
        ratio = large["peak_kib"] / small["peak_kib"]
        for r in (small, large):
            print(
                f"| {mode} | {r['jobs']:,} | {r['peak_kib'] / 1024:.1f} | {r['before_kib'] / 1024:.1f} | "
                f"{r['seconds']:.1f} | {r['peak_kib'] / small['peak_kib']:.3f}x |"
            )
        targets.report(
            f"memory: peak RSS, {args.large:,} vs {args.small:,} jobs, {mode}",
            f"{ratio:.3f}x ({large['peak_kib'] / 1024:.1f} vs {small['peak_kib'] / 1024:.1f} MiB)",
            "<= 1.10x",
            ratio <= 1.10,
        )
    print()


if __name__ == "__main__":
    main()
