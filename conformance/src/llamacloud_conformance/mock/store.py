"""The dataset indexed for serving: per project, jobs in keyset order with their JSON pre-serialized.

A list request must not pay for JSON encoding or for a scan of every job: each job's bytes are made once (the
plain form, plus its `configuration` and `extract_metadata` values for `expand`), equality filters have
posting lists of ranks, the date range and the page-token position are found by bisection, and a page is the
join of at most `page_size + 1` byte strings. A Store is immutable; changing the data builds a new one.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .dataset import Dataset, Project, input_type, job_sort_key, project_key, run_sort_key

EQUALITY_FILTERS = ("configuration_id", "document_input_type", "document_input_value", "status")
_NULL_EXPANDABLES = b',"configuration":null,"extract_metadata":null}'
_COUNT_CACHE_SIZE = 1024


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


@attrs.frozen
class JobQuery:
    """The filters of one v2 list request, normalized so that equal meanings compare equal."""

    configuration_id: str | None = None
    document_input_type: str | None = None
    document_input_value: str | None = None
    status: str | None = None
    after_ns: int | None = None
    before_ns: int | None = None
    job_ids: frozenset[str] | None = None
    project_id: str | None = None
    organization_id: str | None = None

    def canonical(self) -> tuple[Any, ...]:
        """A hashable, order-independent value for cache keys and token digests."""
        ids = None if self.job_ids is None else tuple(sorted(self.job_ids))
        return (
            self.configuration_id,
            self.document_input_type,
            self.document_input_value,
            self.status,
            self.after_ns,
            self.before_ns,
            ids,
            self.project_id,
            self.organization_id,
        )


class ProjectJobs:
    """One project's jobs, ranked oldest (0) to newest, each rank's bytes ready to send."""

    def __init__(self, jobs: Sequence[Mapping[str, Any]]) -> None:
        ordered = sorted(jobs, key=job_sort_key)
        self.keys: list[tuple[int, str]] = [job_sort_key(j) for j in ordered]
        self.created: list[int] = [k[0] for k in self.keys]
        interned: dict[bytes, bytes] = {}  # saved configurations repeat: keep one copy of their bytes
        self.plain: list[bytes] = []
        self.configuration: list[bytes] = []
        self.extract_metadata: list[bytes] = []
        self.columns: dict[str, list[str | None]] = {name: [] for name in EQUALITY_FILTERS}
        self.postings: dict[str, dict[str | None, list[int]]] = {name: {} for name in EQUALITY_FILTERS}
        self.rank_of_id: dict[str, int] = {}
        for rank, job in enumerate(ordered):
            core = {k: v for k, v in job.items() if k not in ("configuration", "extract_metadata")}
            self.plain.append(_dumps(core)[:-1] + _NULL_EXPANDABLES)
            for field, column in (("configuration", self.configuration), ("extract_metadata", self.extract_metadata)):
                encoded = _dumps(job.get(field))
                column.append(interned.setdefault(encoded, encoded))
            values = {
                "configuration_id": job.get("configuration_id"),
                "document_input_type": input_type(job["document_input_value"]),
                "document_input_value": job["document_input_value"],
                "status": job["status"],
            }
            for name, value in values.items():
                self.columns[name].append(value)
                self.postings[name].setdefault(value, []).append(rank)
            self.rank_of_id[job["id"]] = rank
        self._counts: OrderedDict[tuple[Any, ...], int] = OrderedDict()
        self._counts_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.keys)

    def item_bytes(self, rank: int, expand: frozenset[str]) -> bytes:
        """The JSON of one job as listed, with the expandable fields filled in only when asked for."""
        if not expand:
            return self.plain[rank]
        head = self.plain[rank][: -len(_NULL_EXPANDABLES)]
        configuration = self.configuration[rank] if "configuration" in expand else b"null"
        metadata = self.extract_metadata[rank] if "extract_metadata" in expand else b"null"
        return b"".join((head, b',"configuration":', configuration, b',"extract_metadata":', metadata, b"}"))

    def _plan(self, query: JobQuery) -> tuple[Sequence[int] | None, list[tuple[list[str | None], str]], set[int] | None]:
        """The shortest posting list to walk (None: every rank), the column checks left, and the job_ids ranks."""
        lists: list[tuple[Sequence[int], str | None]] = []
        for name in EQUALITY_FILTERS:
            value = getattr(query, name)
            if value is not None:
                lists.append((self.postings[name].get(value, []), name))
        id_ranks: set[int] | None = None
        if query.job_ids is not None:
            id_ranks = {self.rank_of_id[i] for i in query.job_ids if i in self.rank_of_id}
            lists.append((sorted(id_ranks), None))
        if not lists:
            return None, [], None
        driver, driver_name = min(lists, key=lambda pair: len(pair[0]))
        checks = [
            (self.columns[name], getattr(query, name))
            for _, name in lists
            if name is not None and name != driver_name
        ]
        return driver, checks, (id_ranks if driver_name is not None else None)

    def _bounds(self, query: JobQuery) -> tuple[int, int]:
        """The rank range [low, high) the date filters allow."""
        low = 0 if query.after_ns is None else bisect.bisect_left(self.created, query.after_ns)
        high = len(self.keys) if query.before_ns is None else bisect.bisect_right(self.created, query.before_ns)
        return low, high

    def page(self, query: JobQuery, after: tuple[int, str] | None, size: int) -> tuple[list[int], bool]:
        """The ranks of the next `size` matching jobs, newest first, older than the position `after` (a
        token's), and whether more follow."""
        low, high = self._bounds(query)
        if after is not None:
            high = min(high, bisect.bisect_left(self.keys, after))
        driver, checks, id_ranks = self._plan(query)
        wanted = size + 1
        if driver is None:
            ranks = list(range(high - 1, max(low, high - wanted) - 1, -1))
        elif not checks and id_ranks is None:
            top = bisect.bisect_left(driver, high)
            bottom = max(bisect.bisect_left(driver, low), top - wanted)
            ranks = list(reversed(driver[bottom:top]))
        else:
            ranks = []
            index = bisect.bisect_left(driver, high) - 1
            while index >= 0 and len(ranks) < wanted:
                rank = driver[index]
                if rank < low:
                    break
                if (id_ranks is None or rank in id_ranks) and all(column[rank] == value for column, value in checks):
                    ranks.append(rank)
                index -= 1
        return ranks[:size], len(ranks) > size

    def count(self, query: JobQuery) -> int:
        """How many jobs match: exact, by bisection when one filter list decides, else counted once and cached."""
        low, high = self._bounds(query)
        if high <= low:
            return 0
        driver, checks, id_ranks = self._plan(query)
        if driver is None:
            return high - low
        if not checks and id_ranks is None:
            return bisect.bisect_left(driver, high) - bisect.bisect_left(driver, low)
        key = query.canonical()
        with self._counts_lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        total = sum(
            1
            for rank in driver[bisect.bisect_left(driver, low) : bisect.bisect_left(driver, high)]
            if (id_ranks is None or rank in id_ranks) and all(column[rank] == value for column, value in checks)
        )
        with self._counts_lock:
            self._counts[key] = total
            if len(self._counts) > _COUNT_CACHE_SIZE:
                self._counts.popitem(last=False)
        return total


@attrs.frozen
class Run:
    """One v1 run as listed: its bytes and the values its filters compare (lowercased UUIDs)."""

    body: bytes
    id: str
    extraction_agent_id: str
    job_id: str | None


class Store:
    """A Dataset, indexed per project."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.projects: dict[str, Project] = {p.key: p for p in dataset.projects}
        grouped_jobs: dict[str, list[Mapping[str, Any]]] = {key: [] for key in self.projects}
        for job in dataset.jobs:
            grouped_jobs.setdefault(project_key(job["project_id"]), []).append(job)
        self.jobs = {key: ProjectJobs(jobs) for key, jobs in grouped_jobs.items()}
        grouped_runs: dict[str, list[Mapping[str, Any]]] = {key: [] for key in self.projects}
        for run in dataset.runs:
            grouped_runs.setdefault(project_key(run["file"]["project_id"]), []).append(run)
        self.runs = {
            key: [
                Run(
                    _dumps(run),
                    run["id"].lower(),
                    run["extraction_agent_id"].lower(),
                    None if run.get("job_id") is None else run["job_id"].lower(),
                )
                for run in sorted(runs, key=run_sort_key, reverse=True)
            ]
            for key, runs in grouped_runs.items()
        }

    def list_runs(
        self, project: str, extraction_agent_id: str | None, run_id: str | None, job_id: str | None
    ) -> bytes:
        """The JSON array `GET /api/v1/extractionv2/runs` returns (filters given as lowercase UUIDs)."""
        chosen = [
            run.body
            for run in self.runs.get(project, [])
            if (extraction_agent_id is None or run.extraction_agent_id == extraction_agent_id)
            and (run_id is None or run.id == run_id)
            and (job_id is None or run.job_id == job_id)
        ]
        return b"[" + b",".join(chosen) + b"]"
