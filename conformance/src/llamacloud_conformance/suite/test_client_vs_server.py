"""Client against server: `llamacloud_extract` lists from the embedded mock server (a separate process on
loopback) under random data, random filters, random page sizes and injected faults, and must yield exactly
the server's filtered, newest-first listing: nothing lost, nothing repeated.

Only an embedded run has this part: it needs data it controls (the mock serves `Dataset.generate(seed, ...)`,
and the test computes the expected listing from the same seed) and faults it may inject.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract import ExtractClient

from ..mock import Dataset
from .context import JOBS, RUNS, current

pytestmark = pytest.mark.embedded_only
EXAMPLES = max(current().settings.fuzz_examples // 2, 5)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
STATUSES = ("PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")


@pytest.fixture(scope="module")
def admin() -> Iterator[httpx.Client]:
    """The mock's admin API (its own token), through the run's guard like every other request."""
    with current().admin_client() as client:
        yield client
        client.delete("/_mock/faults")
        client.put("/_mock/dataset", json={"seed": current().settings.seed, "jobs": 400, "runs": 40})


def _serve(admin: httpx.Client, seed: int, jobs: int, runs: int) -> Dataset:
    answer = admin.put("/_mock/dataset", json={"seed": seed, "jobs": jobs, "runs": runs})
    assert answer.status_code == 200, answer.text
    return Dataset.generate(seed=seed, jobs=jobs, runs=runs)


def _arm(admin: httpx.Client, rules: list[dict[str, Any]]) -> None:
    answer = admin.post("/_mock/faults", json=rules)
    assert answer.status_code == 200, answer.text


# Faults a well-behaved client rides out: quick 429/5xx (a short Retry-After keeps the run fast), a dropped
# connection, a truncated body, a little latency. Each is limited in count so retries always get through.
FAULTS = st.lists(
    st.one_of(
        st.builds(
            lambda code, rate, seed: {"kind": "status", "status_code": code, "retry_after": "0.01",
                                      "rate": rate, "seed": seed, "count": 3},
            st.sampled_from([429, 500, 502, 503]), st.floats(0.1, 0.5), st.integers(0, 99),
        ),
        st.just({"kind": "drop", "count": 1}),
        st.just({"kind": "truncate", "count": 1}),
        st.just({"kind": "latency", "delay": 0.005, "rate": 0.3, "seed": 7}),
    ),
    max_size=2,
)  # fmt: skip


def _microseconds(rfc3339: str) -> dt.datetime:
    """A job's created_at as an aware datetime (Python keeps microseconds; the mock may store nanoseconds)."""
    base, _, rest = rfc3339.rstrip("Zz").partition(".")
    return dt.datetime.fromisoformat(f"{base}.{(rest or '0')[:6].ljust(6, '0')}+00:00")


@st.composite
def listings(draw: st.DrawFn) -> tuple[int, int, dict[str, Any]]:
    """A dataset (seed, size) and the filters to list it with, taken from the data so that they match some."""
    seed = draw(st.integers(0, 10_000))
    jobs = draw(st.integers(0, 180))
    data = Dataset.generate(seed=seed, jobs=jobs, runs=0)
    mine = data.select_jobs()
    filters: dict[str, Any] = {}
    if draw(st.booleans()) and mine:
        filters["status"] = draw(st.sampled_from(STATUSES))
    if draw(st.booleans()) and mine:
        low, high = sorted(draw(st.sampled_from(mine))["created_at"] for _ in range(2))
        filters["created_at_on_or_after"] = _microseconds(low)
        if draw(st.booleans()):
            filters["created_at_on_or_before"] = _microseconds(high)
    if draw(st.booleans()) and mine:
        filters["job_ids"] = sorted({draw(st.sampled_from(mine))["id"] for _ in range(draw(st.integers(1, 5)))})
    if draw(st.booleans()) and mine:
        values = [j["configuration_id"] for j in mine if j.get("configuration_id")]
        if values:
            filters["configuration_id"] = draw(st.sampled_from(values))
    if draw(st.booleans()) and mine:
        filters["document_input_type"] = draw(st.sampled_from(["file_id", "parse_job_id"]))
    return seed, jobs, filters


def _as_query_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


@pytest.mark.endpoint(JOBS)
@SETTINGS
@given(
    listing=listings(),
    page_size=st.integers(1, 120),
    faults=FAULTS,
    parallel=st.sampled_from([None, 2, 4]),
    raw=st.booleans(),
)
def test_client_lists_exactly_the_servers_listing(
    admin: httpx.Client,
    listing: tuple[int, int, dict[str, Any]],
    page_size: int,
    faults: list[dict[str, Any]],
    parallel: int | None,
    raw: bool,
) -> None:
    seed, jobs, filters = listing
    data = _serve(admin, seed, jobs, 0)
    expected = [j["id"] for j in data.select_jobs(**{k: _as_query_value(v) for k, v in filters.items()})]
    _arm(admin, faults)
    run = current().settings
    with ExtractClient(api_key=run.api_key, base_url=run.base_url, max_retries=8) as client:
        listed = client.jobs.list(page_size=page_size, parallel=parallel, raw=raw, **filters)
        got = [item["id"] if isinstance(item, dict) else item.id for item in listed]
    assert got == expected, (
        f"seed={seed} jobs={jobs} filters={filters} page_size={page_size} parallel={parallel} faults={faults}: "
        f"{len(got)} listed, {len(expected)} expected; missing {sorted(set(expected) - set(got))[:5]}, "
        f"unexpected {sorted(set(got) - set(expected))[:5]}, repeated {len(got) - len(set(got))}"
    )


@pytest.mark.endpoint(RUNS)
@SETTINGS
@given(seed=st.integers(0, 10_000), runs=st.integers(0, 60), faults=FAULTS, pick=st.integers(0, 10**6))
def test_client_lists_exactly_the_servers_runs(
    admin: httpx.Client, seed: int, runs: int, faults: list[dict[str, Any]], pick: int
) -> None:
    data = _serve(admin, seed, 5, runs)
    mine = data.select_runs()
    filters: dict[str, Any] = {}
    if mine:
        anchor = mine[pick % len(mine)]
        filters = {"extraction_agent_id": anchor["extraction_agent_id"]}
    _arm(admin, faults)
    run = current().settings
    with ExtractClient(api_key=run.api_key, base_url=run.base_url, max_retries=8) as client:
        got = [r.to_dict()["id"] for r in client.runs.list(**filters)]
    assert got == [r["id"] for r in data.select_runs(**filters)], f"seed={seed} runs={runs} filters={filters}"
