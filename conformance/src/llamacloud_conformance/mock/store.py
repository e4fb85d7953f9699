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
# Cached intersections of several filters: at most this many, each at most one int pointer per job (a 100,000-job
# project: 64 x 800 kB at worst), so memory stays bounded whatever clients ask.
_INTERSECTION_CACHE_SIZE = 64


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

    def selection(self) -> tuple[Any, ...]:
        """The filters that pick jobs by value (the equality filters and job_ids), hashable."""
        ids = None if self.job_ids is None else tuple(sorted(self.job_ids))
        return (self.configuration_id, self.document_input_type, self.document_input_value, self.status, ids)

    def canonical(self) -> tuple[Any, ...]:
        """Every filter, hashable and order-independent: what a page token is bound to."""
        return (*self.selection(), self.after_ns, self.before_ns, self.project_id, self.organization_id)


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
        self.postings: dict[str, dict[str | None, list[int]]] = {name: {} for name in EQUALITY_FILTERS}
        self.rank_of_id: dict[str, int] = {}
        for rank, job in enumerate(ordered):
            core = {k: v for k, v in job.items() if k not in ("configuration", "extract_metadata")}
            self.plain.append(_dumps(core)[:-1] + _NULL_EXPANDABLES)  # core is never empty: records have an id
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
                self.postings[name].setdefault(value, []).append(rank)
            self.rank_of_id[job["id"]] = rank
        self._intersections: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
        self._lock = threading.Lock()

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

    def _matching(self, query: JobQuery) -> Sequence[int] | None:
        """The ranks, ascending, that the equality filters and job_ids admit (None: every rank).

        One filter is its posting list as it is; several are intersected once and the result cached (a
        bounded LRU), so that following the pages of a multi-filter listing costs a bisection per page, like
        a single filter, instead of a scan.
        """
        lists: list[Sequence[int]] = [
            self.postings[name].get(getattr(query, name), [])
            for name in EQUALITY_FILTERS
            if getattr(query, name) is not None
        ]
        if query.job_ids is not None:
            lists.append(sorted({self.rank_of_id[i] for i in query.job_ids if i in self.rank_of_id}))
        if len(lists) <= 1:
            return lists[0] if lists else None
        key = query.selection()
        with self._lock:
            if key in self._intersections:
                self._intersections.move_to_end(key)
                return self._intersections[key]
        smallest, *others = sorted(lists, key=len)
        other_sets = [set(other) for other in others]
        matching = [rank for rank in smallest if all(rank in other for other in other_sets)]
        with self._lock:
            self._intersections[key] = matching
            if len(self._intersections) > _INTERSECTION_CACHE_SIZE:
                self._intersections.popitem(last=False)
        return matching

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
        matching = self._matching(query)
        if matching is None:
            ranks = list(range(high - 1, max(low, high - size - 1) - 1, -1))
        else:
            top = bisect.bisect_left(matching, high)
            bottom = max(bisect.bisect_left(matching, low), top - size - 1)
            ranks = list(reversed(matching[bottom:top]))
        return ranks[:size], len(ranks) > size

    def count(self, query: JobQuery) -> int:
        """How many jobs match, exactly."""
        low, high = self._bounds(query)
        if high <= low:
            return 0
        matching = self._matching(query)
        if matching is None:
            return high - low
        return bisect.bisect_left(matching, high) - bisect.bisect_left(matching, low)


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

    def list_runs(self, project: str, extraction_agent_id: str | None, run_id: str | None, job_id: str | None) -> bytes:
        """The JSON array `GET /api/v1/extractionv2/runs` returns (filters given as lowercase UUIDs)."""
        chosen = [
            run.body
            for run in self.runs.get(project, [])
            if (extraction_agent_id is None or run.extraction_agent_id == extraction_agent_id)
            and (run_id is None or run.id == run_id)
            and (job_id is None or run.job_id == job_id)
        ]
        return b"[" + b",".join(chosen) + b"]"
