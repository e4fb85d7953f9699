"""Per-item cost of listing v2 extract jobs, for this client and the baselines, from the same canned bytes.

Every variant pages through the same pre-encoded pages (100 items each), served in process by an
`httpx.MockTransport`, so what is measured is the client's own work: building requests, reading JSON, building
models, paginating. The floor is `httpx` plus `json.loads` alone. The official `llama-cloud` SDK is measured
too when it is importable (`pip install llama-cloud==2.19.0`).

The bodies come in four shapes: the client's own snapshot (2026-03-28) and today's API (2026-08-20:
`file_input` instead of `document_input_value`, newer fields, which the typed client reads with a drift
warning), each with optional fields sent as null and with them left out (as a server that drops nulls sends
them: less JSON to decode, the same models to build, so the ratio to the floor is harder to meet).

    python bench/client_per_item.py [--pages 20] [--repeat 15] [--quick]

Each figure is the median of the interleaved rounds (the variants take turns, round after round).
Issue 3's targets: typed models at most 3x the floor per item, raw mode at most 1.3x, in every shape.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import targets

from llamacloud_extract import ExtractClient, SpecDriftWarning

PAGE_SIZE = 100
BASE_URL = "http://bench.invalid"
EXPAND = ["configuration", "extract_metadata"]
SEED, NOW = "2026-03-28", "2026-08-20"
SHAPES = [(SEED, False), (SEED, True), (NOW, False), (NOW, True)]
"""(snapshot, whether null fields are left out)."""


def shape_name(shape: tuple[str, bool]) -> str:
    return f"{shape[0]}{', nulls absent' if shape[1] else ''}"


def job(index: int, expanded: bool, shape: tuple[str, bool] = (SEED, False)) -> dict[str, Any]:
    """One job as the API of `shape` sends it, with or without the `expand` fields."""
    snapshot, drop_nulls = shape
    item = seed_job(index, expanded) if snapshot == SEED else newer_job(index, expanded)
    return without_nulls(item) if drop_nulls else item


def without_nulls(value: Any) -> Any:
    """`value` with every object member that is null left out, at every level."""
    if isinstance(value, dict):
        return {key: without_nulls(member) for key, member in value.items() if member is not None}
    if isinstance(value, list):
        return [without_nulls(member) for member in value]
    return value


def newer_job(index: int, expanded: bool) -> dict[str, Any]:
    """The same job as the API of 2026-08-20 sends it: `file_input`, the newer usage and configuration fields,
    and, expanded, `usage` (as `expand=usage` would add it)."""
    item = seed_job(index, expanded)
    item = {("file_input" if key == "document_input_value" else key): value for key, value in item.items()}
    item["metadata"] = {"usage": {"num_pages_extracted": 3, "num_pages_billed": 3}}
    if not expanded:
        item["usage"] = None
    else:
        configuration = item["configuration"]
        del configuration["extract_version"], configuration["lang"]
        configuration |= {"version": "2026-08-12", "disable_cache": False, "spreadsheet_mode": False}
        configuration["sheet_names"] = None
        item["usage"] = {"credits": 45.0, "extract_credits": 30.0, "parse_credits": 15.0}
    return item


def seed_job(index: int, expanded: bool) -> dict[str, Any]:
    """One job as the API of the client's spec (2026-03-28) sends it."""
    created = datetime.datetime(2026, 3, 27, 18, 0, tzinfo=datetime.UTC) - datetime.timedelta(seconds=index)
    item: dict[str, Any] = {
        "id": f"ext-{index:08x}-bbbb-cccc-dddd-eeeeeeeeeeee",
        "project_id": "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "configuration_id": "cfg-11111111-2222-3333-4444-555555555555",
        "document_input_value": f"dfl-{index:08x}-bbbb-cccc-dddd-eeeeeeeeeeee",
        "status": "COMPLETED",
        "error_message": None,
        "extract_result": {"invoice_number": f"INV-{index}", "total": 1234.5, "currency": "USD", "paid": True},
        "metadata": {"usage": {"num_pages_extracted": 3, "num_document_tokens": 2048, "num_output_tokens": 96}},
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "updated_at": (created + datetime.timedelta(seconds=42)).isoformat().replace("+00:00", "Z"),
    }
    if not expanded:  # the spec's expandable fields: null unless asked for
        item["configuration"] = item["extract_metadata"] = None
    else:
        item["configuration"] = {
            "data_schema": {"type": "object", "properties": {"total": {"type": "number"}}},
            "tier": "agentic",
            "extraction_target": "per_doc",
            "extract_version": "latest",
            "lang": "en",
            "cite_sources": True,
            "confidence_scores": True,
            "max_pages": None,
            "target_pages": None,
            "system_prompt": None,
            "parse_tier": "fast",
            "parse_config_id": None,
        }
        item["extract_metadata"] = {
            "field_metadata": {"document_metadata": {"total": {"confidence": 0.98}}, "page_metadata": None},
            "parse_job_id": f"pjb-{index:08x}-bbbb-cccc-dddd-eeeeeeeeeeee",
            "parse_tier": "fast",
        }
    return item


def canned_transport(
    pages: int, expanded: bool, latency: float = 0.0, shape: tuple[str, bool] = (SEED, False)
) -> tuple[httpx.MockTransport, int]:
    """A transport that serves `pages` pages chained by tokens `p1`, `p2`, ..., each `latency` seconds late
    (a stand-in for the network); and the item count."""
    bodies = {}
    for number in range(pages):
        items = [job(number * PAGE_SIZE + i, expanded, shape) for i in range(PAGE_SIZE)]
        following = f"p{number + 1}" if number + 1 < pages else None
        page = {"items": items, "next_page_token": following, "total_size": None}
        bodies[f"p{number}" if number else None] = json.dumps(page).encode()
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        if latency:
            time.sleep(latency)
        return httpx.Response(200, content=bodies[request.url.params.get("page_token") or None], headers=headers)

    return httpx.MockTransport(handler), pages * PAGE_SIZE


def floor(transport: httpx.MockTransport, expanded: bool) -> int:
    count = 0
    params: dict[str, Any] = {"page_size": PAGE_SIZE, **({"expand": EXPAND} if expanded else {})}
    with httpx.Client(transport=transport, base_url=BASE_URL) as client:
        token = None
        while True:
            query = {**params, "page_token": token} if token else params
            page = json.loads(client.get("/api/v2/extract", params=query).content)
            for _item in page["items"]:
                count += 1
            token = page.get("next_page_token")
            if not token:
                return count


def ours(raw: bool, read_ahead: bool) -> Callable[[httpx.MockTransport, bool], int]:
    def run(transport: httpx.MockTransport, expanded: bool) -> int:
        count = 0
        http = httpx.Client(transport=transport)
        with ExtractClient(api_key="bench", base_url=BASE_URL, http_client=http, max_retries=0) as client:
            listing = client.jobs.list(
                page_size=PAGE_SIZE, expand=EXPAND if expanded else None, raw=raw, read_ahead=read_ahead
            )
            for _item in listing:
                count += 1
        http.close()
        return count

    return run


def official(transport: httpx.MockTransport, expanded: bool) -> int:
    from llama_cloud import LlamaCloud  # optional: measured only when installed

    count = 0
    http = httpx.Client(transport=transport)
    client = LlamaCloud(api_key="bench", base_url=BASE_URL, http_client=http, max_retries=0)
    kwargs: dict[str, Any] = {"expand": EXPAND} if expanded else {}
    for _item in client.extract.list(page_size=PAGE_SIZE, **kwargs):
        count += 1
    http.close()
    return count


def official_version() -> str | None:
    try:
        import llama_cloud  # optional: measured only when installed
    except ImportError:
        return None
    return str(llama_cloud.__version__)


def measure(
    variants: list[tuple[str, Callable[[httpx.MockTransport, bool], int], float | None]],
    pages: int,
    expanded: bool,
    repeat: int,
    latency: float = 0.0,
    shape: tuple[str, bool] = (SEED, False),
) -> list[float]:
    """Each variant's median run, in microseconds per item. The variants take turns, round after round, so that
    a burst of load from elsewhere on the machine hits them all alike, and the median is the typical round."""
    transport, expected = canned_transport(pages, expanded, latency, shape)
    runs: list[list[float]] = [[] for _ in variants]
    for round_number in range(repeat + 1):
        for index, (name, run, _target) in enumerate(variants):
            gc.collect()
            started = time.perf_counter()
            count = run(transport, expanded)
            elapsed = time.perf_counter() - started
            if count != expected:
                raise SystemExit(f"{name} listed {count} items, expected {expected}")
            if round_number:  # round 0 warms up: imports, caches
                runs[index].append(elapsed)
    return [statistics.median(seconds) / expected * 1e6 for seconds in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="pages per listing (100 items each)")
    parser.add_argument("--repeat", type=int, default=15, help="rounds per variant; the median counts")
    parser.add_argument("--latency-ms", type=float, default=2.0, help="server latency per page in the last table")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 pages, 3 rounds")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.repeat = 3, 3
    # Today's API (2026-08-20) drifts from the client's spec: once per listing, the typed client says so.
    warnings.simplefilter("ignore", SpecDriftWarning)

    variants: list[tuple[str, Callable[[httpx.MockTransport, bool], int], float | None]] = [
        ("floor: httpx + json.loads", floor, None),
        ("llamacloud_extract, typed", ours(raw=False, read_ahead=True), 3.0),
        ("llamacloud_extract, typed, read_ahead=False", ours(raw=False, read_ahead=False), None),
        ("llamacloud_extract, raw=True", ours(raw=True, read_ahead=True), 1.3),
        ("llamacloud_extract, raw=True, read_ahead=False", ours(raw=True, read_ahead=False), None),
    ]
    version = official_version()
    if version is not None:
        variants.append((f"official llama-cloud {version}", official, None))

    print("## Per-item client cost\n")
    print(
        f"Listing v2 jobs from the same canned bytes through an in-process `httpx.MockTransport` (no network): "
        f"{args.pages} pages x {PAGE_SIZE} items per listing, the median of {args.repeat} rounds in which the "
        "variants take turns. The floor is `httpx` + `json.loads` alone. The bodies are in the shape of the "
        f"client's spec ({SEED}) and of today's API ({NOW}: `file_input`, newer fields; the typed client reads "
        "them with a drift warning), with optional fields sent as null or left out. Targets (issue 3) apply to "
        "the defaults (read-ahead on), in every shape."
    )
    if version is None:
        print("\n(llama-cloud is not installed: the official SDK's rows are left out; `nox -s bench` installs it)")
    print()
    print("| shape | variant | expand | µs/item | x floor | target |")
    print("| --- | --- | --- | ---: | ---: | --- |")
    for shape in SHAPES:
        for expanded in (False, True):
            costs = measure(variants, args.pages, expanded, args.repeat, shape=shape)
            for (name, _run, target), cost in zip(variants, costs, strict=True):
                ratio = cost / costs[0]
                verdict = "" if target is None else f"<= {target}x " + ("met" if ratio <= target else "**MISSED**")
                where = f"{shape_name(shape)}, expand={'yes' if expanded else 'no'}"
                print(
                    f"| {shape_name(shape)} | {name} | {'yes' if expanded else 'no'} | {cost:.2f} | {ratio:.2f}x | {verdict} |"
                )
                if target is not None:
                    what = f"per-item cost, {name.removeprefix('llamacloud_extract, ')}, {where}"
                    targets.report(what, f"{ratio:.2f}x floor", f"<= {target}x", ratio <= target)
                elif name.startswith("official"):
                    targets.report(f"per-item cost, official SDK, {where}", f"{ratio:.2f}x floor", "(baseline)", None)

    print()
    print(
        f"With {args.latency_ms:g} ms of latency per page (what read-ahead is for), {SEED}, expand=yes, "
        "median of 3 rounds:"
    )
    print()
    latency_variants = [variants[0], variants[1], variants[2]]
    costs = measure(latency_variants, args.pages, True, 3, args.latency_ms / 1000)
    print("| variant | µs/item | x floor |")
    print("| --- | ---: | ---: |")
    for (name, _run, _target), cost in zip(latency_variants, costs, strict=True):
        print(f"| {name} | {cost:.2f} | {cost / costs[0]:.2f}x |")
    print()


if __name__ == "__main__":
    main()
