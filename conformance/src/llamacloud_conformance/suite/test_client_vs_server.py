"""Client against server: `llamacloud_extract` lists from the embedded mock server (a separate process on
loopback) under random data, random filters, random page sizes and injected faults, and must yield exactly
the server's filtered, newest-first listing: nothing lost, nothing repeated.

Only an embedded run has this part: it needs data it controls (the mock serves `Dataset.generate(seed, ...)`
in the run's snapshot, and the test computes the expected listing from the same seed) and faults it may inject.
The filters are drawn from the data by what the snapshot's parameters mean, and passed to the client under the
parameters' own names; against a snapshot newer than the client's, the client reads the renamed fields (and
says so in a `SpecDriftWarning`, which this part expects and does not count).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_extract import ExtractClient, SpecDriftWarning

from ..mock import Dataset
from ..spec.document import JOBS_PATH, RUNS_PATH, Operation, field_value
from ..spec.meaning import Filter, Scope
from .context import JOBS, RUNS, RunContext

# Each check builds its Hypothesis test as it runs, from the run's snapshot, under the check's own name (which
# Hypothesis' report of a failing case shows). Its settings are the part's profile, which the plugin loads
# meanwhile (`parts.py`: fewer examples than --examples, each is a whole listing).


@pytest.fixture(scope="module")
def admin(conformance: RunContext) -> Iterator[httpx.Client]:
    """The mock's admin API (its own token), through the run's guard like every other request."""
    with conformance.admin_client() as client:
        yield client
        client.delete("/_mock/faults")
        client.put("/_mock/dataset", json={"seed": conformance.settings.seed, "jobs": 400, "runs": 40})


def _serve(admin: httpx.Client, snapshot: str, seed: int, jobs: int, runs: int) -> Dataset:
    answer = admin.put("/_mock/dataset", json={"seed": seed, "jobs": jobs, "runs": runs})
    assert answer.status_code == 200, answer.text
    return Dataset.generate(seed=seed, jobs=jobs, runs=runs, snapshot=snapshot)


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
    """A job's date-time as an aware datetime (the generated data has whole microseconds, as Python keeps)."""
    base, _, rest = rfc3339.rstrip("Zz").partition(".")
    return dt.datetime.fromisoformat(f"{base}.{(rest or '0')[:6].ljust(6, '0')}+00:00")


@st.composite
def listings(draw: st.DrawFn, operation: Operation) -> tuple[int, int, dict[str, Any]]:
    """A dataset (seed, size) and the filters to list it with, each taken from the data by what the snapshot's
    parameter means, so that they match some jobs; at most one parameter per meaning (aliases filter alike)."""
    seed = draw(st.integers(0, 10_000))
    jobs = draw(st.integers(0, 180))
    data = Dataset.generate(seed=seed, jobs=jobs, runs=0, snapshot=operation.spec.name)
    mine = data.select_jobs()
    filters: dict[str, Any] = {}
    taken: set[object] = set()
    for parameter in operation.filters() + operation.having(Scope):
        meaning = parameter.meaning
        if not mine or meaning in taken or not draw(st.booleans()):
            continue
        taken.add(meaning)
        item = draw(st.sampled_from(mine))
        if isinstance(meaning, Scope):
            own = data.default_project
            filters[parameter.name] = own.key if meaning.kind == "project" else own.organization_id
        elif isinstance(meaning, Filter) and meaning.kind == "one-of":
            filters[parameter.name] = sorted(
                {draw(st.sampled_from(mine))["id"] for _ in range(draw(st.integers(1, 5)))}
            )
        elif isinstance(meaning, Filter) and meaning.kind == "input-type":
            filters[parameter.name] = draw(st.sampled_from(sorted(meaning.types)))
        elif isinstance(meaning, Filter) and meaning.kind in ("at-or-after", "at-or-before"):
            value = field_value(item, meaning.field)
            if value is not None:
                filters[parameter.name] = _microseconds(value)
        elif isinstance(meaning, Filter) and field_value(item, meaning.field) is not None:
            filters[parameter.name] = field_value(item, meaning.field)
    return seed, jobs, filters


def _as_query_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


@pytest.mark.endpoint(JOBS)
def test_client_lists_exactly_the_servers_listing(conformance: RunContext, admin: httpx.Client) -> None:
    run = conformance.settings
    operation = conformance.operation(JOBS_PATH)

    @settings(database=None)  # no saved example of another run (another snapshot) replayed
    @given(
        listing=listings(operation),
        page_size=st.integers(1, 120),
        faults=FAULTS,
        parallel=st.sampled_from([None, 2, 4]),
        raw=st.booleans(),
    )
    def test_client_lists_exactly_the_servers_listing(
        listing: tuple[int, int, dict[str, Any]],
        page_size: int,
        faults: list[dict[str, Any]],
        parallel: int | None,
        raw: bool,
    ) -> None:
        seed, jobs, filters = listing
        data = _serve(admin, operation.spec.name, seed, jobs, 0)
        expected = [j["id"] for j in data.select_jobs(**{k: _as_query_value(v) for k, v in filters.items()})]
        _arm(admin, faults)
        with warnings.catch_warnings():  # a client older than the snapshot says it read renamed fields: expected
            warnings.simplefilter("ignore", SpecDriftWarning)
            with ExtractClient(api_key=run.api_key, base_url=run.base_url, max_retries=8) as client:
                listed = client.jobs.list(page_size=page_size, parallel=parallel, raw=raw, **filters)
                got = [item["id"] if isinstance(item, dict) else item.id for item in listed]
        assert got == expected, (
            f"seed={seed} jobs={jobs} filters={filters} page_size={page_size} parallel={parallel} faults={faults}: "
            f"{len(got)} listed, {len(expected)} expected; missing {sorted(set(expected) - set(got))[:5]}, "
            f"unexpected {sorted(set(got) - set(expected))[:5]}, repeated {len(got) - len(set(got))}"
        )

    test_client_lists_exactly_the_servers_listing()


@pytest.mark.endpoint(RUNS)
def test_client_lists_exactly_the_servers_runs(conformance: RunContext, admin: httpx.Client) -> None:
    run = conformance.settings
    operation = conformance.operation(RUNS_PATH)

    @settings(database=None)  # no saved example of another run (another snapshot) replayed
    @given(seed=st.integers(0, 10_000), runs=st.integers(0, 60), faults=FAULTS, pick=st.integers(0, 10**6))
    def test_client_lists_exactly_the_servers_runs(
        seed: int, runs: int, faults: list[dict[str, Any]], pick: int
    ) -> None:
        data = _serve(admin, operation.spec.name, seed, 5, runs)
        mine = data.select_runs()
        filters: dict[str, Any] = {}
        if mine:  # one filter of the snapshot, with the value of one run
            parameter = operation.filters()[pick % len(operation.filters())]
            anchor = mine[pick % len(mine)]
            value = field_value(anchor, parameter.meaning.field) if isinstance(parameter.meaning, Filter) else None
            filters = {parameter.name: value} if value is not None else {}
        _arm(admin, faults)
        with ExtractClient(api_key=run.api_key, base_url=run.base_url, max_retries=8) as client:
            got = [r.to_dict()["id"] for r in client.runs.list(**filters)]
        assert got == [r["id"] for r in data.select_runs(**filters)], f"seed={seed} runs={runs} filters={filters}"

    test_client_lists_exactly_the_servers_runs()
