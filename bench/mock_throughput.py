"""Mock server throughput: list requests per second over loopback, and the server's memory.

The mock runs as its own process (`python -m llamacloud_conformance.mock`), holding 100,000 jobs by default;
a load generator in a second process (wrk when it is installed, else a small asyncio one below) requests
100-item pages for a fixed time. Each scenario cycles through the URLs of many different pages (collected
first by following next_page_token), so the keyset lookups are exercised, not one cached page. Then the same
for a big account, 1,000,000 jobs by default (the listing export users stage): how long it takes to be
ready, its RSS, and its requests/s.

    python bench/mock_throughput.py [--jobs 100000] [--big-jobs 1000000] [--seconds 8] [--connections 16]

Prints a Markdown table: requests/s and latency per scenario, then the server's RSS after start-up and after
every scenario (flat means memory does not grow with requests), and how long the documented command takes to
start; then the big account's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import mockserver
import targets
from mockserver import API_KEY
from versions import installed

PATH = "/api/v2/extract"
SERVER_PACKAGES = [
    "llamacloud-conformance",
    "starlette",
    "uvicorn",
    "httptools",
    "uvloop",
]  # what the figures depend on
SCENARIOS: dict[str, tuple[str, dict[str, Any]]] = {
    "v2, 100-item pages, no filter": (PATH, {"page_size": 100}),
    "v2, 100-item pages, status + input type + date filters": (
        PATH,
        {
            "page_size": 100,
            "status": "COMPLETED",
            "document_input_type": "file_id",
            "created_at_on_or_after": "2025-06-01T00:00:00Z",
        },
    ),
    "v2, 100-item pages, expand both": (PATH, {"page_size": 100, "expand": ["configuration", "extract_metadata"]}),
    "v2, 100-item pages, filters + expand": (
        PATH,
        {"page_size": 100, "status": "COMPLETED", "expand": ["configuration", "extract_metadata"]},
    ),
    "v1 runs, whole list (100 runs)": ("/api/v1/extractionv2/runs", {}),
}
BIG_SCENARIOS = [
    "v2, 100-item pages, no filter",
    "v2, 100-item pages, status + input type + date filters",
    "v2, 100-item pages, expand both",
]
BIG_READY_SECONDS = 30
BIG_RSS_MIB = 2048
BIG_REQUESTS_PER_SECOND = 5000


def page_paths(base_url: str, path: str, params: dict[str, Any], pages: int) -> list[str]:
    """The request paths of the first `pages` pages of a listing (following the tokens)."""
    found = []
    token = None
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {API_KEY}"}) as client:
        for _ in range(pages):
            query = {**params, **({"page_token": token} if token else {})}
            found.append(f"{path}?{urlencode(query, doseq=True)}" if query else path)
            response = client.get(found[-1])
            response.raise_for_status()
            body = response.json()
            token = body.get("next_page_token") if isinstance(body, dict) else None
            if not token:
                break
    return found


WRK_SCRIPT = """
local paths = %(paths)s
local i = 0
wrk.headers["Authorization"] = "Bearer %(key)s"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%f, "bytes": %%d, "p50_ms": %%f, "p99_ms": %%f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, summary.bytes, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def find_wrk() -> str | None:
    """wrk from PATH; as root on Debian, install it first if it is missing (a benchmark-only tool)."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": False, "timeout": 300}
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet)  # type: ignore[call-overload]
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-q"], **quiet)  # type: ignore[call-overload]
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet)  # type: ignore[call-overload]
    return shutil.which("wrk")


def run_wrk(wrk: str, base_url: str, paths: list[str], seconds: int, connections: int) -> dict[str, Any]:
    lua_paths = "{" + ",".join(json.dumps(p) for p in paths) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": lua_paths, "key": API_KEY})
    try:
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, base_url]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        os.unlink(script.name)
    if done.returncode:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


async def _python_load(base_url: str, paths: list[str], seconds: float, connections: int) -> dict[str, Any]:
    """A minimal HTTP/1.1 keep-alive load generator (used when wrk is not available)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    totals = {"bytes": 0, "errors": 0}

    async def worker(offset: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        index = offset
        while time.perf_counter() < deadline:
            path = paths[index % len(paths)]
            index += 1
            sent = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {API_KEY}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - sent)
            totals["bytes"] += len(head) + length
            if not head.startswith(b"HTTP/1.1 200"):
                totals["errors"] += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "bytes": totals["bytes"],
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": totals["errors"],
    }


def run_python_load(base_url: str, paths: list[str], seconds: float, connections: int) -> dict[str, Any]:
    """The fallback generator, in a second process like wrk would be."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump({"base_url": base_url, "paths": paths, "seconds": seconds, "connections": connections}, spec)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--load-generator", spec.name], capture_output=True, text=True, check=True
        )
    finally:
        os.unlink(spec.name)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def load(wrk: str | None, base_url: str, paths: list[str], seconds: int, connections: int) -> dict[str, Any]:
    """One scenario's figures, from wrk or the fallback generator."""
    if wrk:
        return run_wrk(wrk, base_url, paths, seconds, connections)
    return run_python_load(base_url, paths, seconds, connections)


def print_rows(rows: list[tuple[str, int, dict[str, Any]]]) -> None:
    print("| scenario | distinct pages | requests/s | p50 ms | p99 ms | MB/s | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, distinct, r in rows:
        rate = r["requests"] / r["seconds"]
        mbps = r["bytes"] / r["seconds"] / 1e6
        print(
            f"| {name} | {distinct} | {rate:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {mbps:,.0f} | {r['errors']} |"
        )


def big_account(args: argparse.Namespace, wrk: str | None) -> None:
    """The big account: start-up, memory and requests/s with `--big-jobs` jobs."""
    with mockserver.running(args.big_jobs, 100) as mock:
        ready, rss, peak = mock.started_in, mock.rss_mib(), mock.peak_rss_mib()
        rows = []
        for name in BIG_SCENARIOS:
            path, params = SCENARIOS[name]
            paths = page_paths(mock.base_url, path, params, args.pages)
            rows.append((name, len(paths), load(wrk, mock.base_url, paths, args.seconds, args.connections)))
        after = mock.rss_mib()
    print(f"### A big account: {args.big_jobs:,} jobs\n")
    print(
        f"`python -m llamacloud_conformance.mock --jobs {args.big_jobs} --runs 100`: ready (accepting connections) "
        f"{ready:.1f} s after launch; RSS {rss:,.0f} MiB once ready (peak {peak:,.0f} MiB), {after:,.0f} MiB after "
        "the scenarios below.\n"
    )
    print_rows(rows)
    print()
    plain = rows[0][2]["requests"] / rows[0][2]["seconds"]
    what = f"mock at {args.big_jobs:,} jobs"
    targets.report(
        f"{what}: start-up to ready", f"{ready:.1f} s", f"<= {BIG_READY_SECONDS} s", ready <= BIG_READY_SECONDS
    )
    targets.report(f"{what}: RSS once ready", f"{rss:,.0f} MiB", "<= 2 GiB", rss <= BIG_RSS_MIB)
    targets.report(
        f"{what}: list requests/s, 100-item pages, no filter",
        f"{plain:,.0f}",
        f">= {BIG_REQUESTS_PER_SECOND:,}",
        plain >= BIG_REQUESTS_PER_SECOND,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--big-jobs", type=int, default=1_000_000, help="the big account's jobs")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pages", type=int, default=100, help="distinct pages each scenario cycles through")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10,000 jobs, 2 s per scenario")
    parser.add_argument("--load-generator", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.jobs, args.big_jobs, args.seconds, args.pages = 10_000, 50_000, 2, 20
    if args.load_generator:  # the fallback generator's own process
        spec = json.loads(Path(args.load_generator).read_text())
        print(json.dumps(asyncio.run(_python_load(**spec))))
        return 0

    wrk = find_wrk()
    generator = f"wrk ({wrk}), 1 thread, {args.connections} connections" if wrk else "python asyncio (wrk not found)"

    with mockserver.running(5000, 500) as quick:  # the documented command's size: must start in under 2 s
        startup = quick.started_in

    with mockserver.running(args.jobs, 100) as mock:
        base_url, big_startup = mock.base_url, mock.started_in
        rows, memory = [], [("after start-up", mock.rss_mib())]
        for name, (path, params) in SCENARIOS.items():
            paths = page_paths(base_url, path, params, args.pages)
            rows.append((name, len(paths), load(wrk, base_url, paths, args.seconds, args.connections)))
            memory.append((f"after '{name}'", mock.rss_mib()))
        # The first scenario again: if memory grew with requests, it would show here.
        path, params = SCENARIOS["v2, 100-item pages, no filter"]
        paths = page_paths(base_url, path, params, args.pages)
        again = load(wrk, base_url, paths, args.seconds, args.connections)
        rows.append(("v2, 100-item pages, no filter (again)", len(paths), again))
        memory.append(("after the repeat", mock.rss_mib()))

    print("## Mock server throughput\n")
    print(
        f"{args.jobs:,} jobs stored; the mock as its own process (`python -m llamacloud_conformance.mock`), "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Load generator: {generator}, "
        f"{args.seconds:g} s per scenario, over 127.0.0.1. {installed(SERVER_PACKAGES)}.\n"
    )
    print_rows(rows)
    print("\n| server memory | RSS MiB |")
    print("| --- | ---: |")
    for label, value in memory:
        print(f"| {label} | {value:,.0f} |")
    total = sum(r["requests"] for _, _, r in rows)
    late = sum(r["requests"] for _, _, r in rows[2:])
    print(f"\nRSS change over the whole run ({total:,} requests): {memory[-1][1] - memory[0][1]:+.1f} MiB; ", end="")
    print(f"over the last {len(rows) - 2} scenarios ({late:,} requests): {memory[-1][1] - memory[2][1]:+.1f} MiB")
    print(f"Start-up of `python -m llamacloud_conformance.mock --jobs 5000 --runs 500`: {startup:.2f} s to ready")
    print(f"Start-up with {args.jobs:,} jobs: {big_startup:.1f} s to ready\n")
    plain = rows[0][2]["requests"] / rows[0][2]["seconds"]
    targets.report(
        f"mock: list requests/s, 100-item pages, no filter, {args.jobs:,} jobs",
        f"{plain:,.0f}",
        ">= 2,000",
        plain >= 2000,
    )
    settled = memory[-1][1] - memory[2][1]
    targets.report(
        f"mock: RSS change over the last {len(rows) - 2} scenarios ({late:,} requests)",
        f"{settled:+.1f} MiB of {memory[2][1]:,.0f}",
        "flat (< 5 %)",
        abs(settled) < 0.05 * memory[2][1],
    )
    targets.report("mock: start-up with 5,000 jobs and 500 runs", f"{startup:.2f} s", "< 2 s", startup < 2)
    big_account(args, wrk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
