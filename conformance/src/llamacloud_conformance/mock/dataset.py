"""What the mock serves: jobs and runs in one snapshot's wire shape, the projects they belong to, and a plain
reference implementation of the list semantics that tests use to compute what a listing must return.

Records are kept exactly as given (full, expanded form: every expandable field filled in); the server decides
per request what to leave out. What each filter does is what the snapshot's spec declares
(`x-llamacloud-meaning`), read here and nowhere else in the mock's reference semantics.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..spec.document import JOBS_PATH, RUNS_PATH, Operation, Spec, field_value
from ..spec.meaning import Filter, Scope
from ..spec.timestamps import parse_ns
from .draws import Draws
from .generate import Generator
from .table import PackedItems, Table, TableBuilder

PACK_FROM = 20_000
"""Items of a paged listing from which `Dataset.generate` packs them: as dicts a job takes about 5 KB, packed
about 1.3 KB; below this, dicts are cheap and plain to read."""
OTHER_PROJECT_MOST = 1_000
"""Records of one kind at most in each project but the default one (see `Dataset.generate`)."""

JsonDict = dict[str, Any]

_PREFIXED_UUID = re.compile(r"[a-z]+-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
_BARE_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ORG_NAMESPACE = uuid.UUID("6f1c8f0e-4a57-4d0e-9a43-0d6c1b1f2a10")


def project_key(project_id: str) -> str:
    """The identity of a project however it is spelled: `prj-<uuid>` (v2 jobs) and `<uuid>` (v1 files, the
    `project_id` query parameter) name the same project; UUIDs compare case-insensitively."""
    match = _PREFIXED_UUID.fullmatch(project_id)
    if match:
        return match.group(1).lower()
    if _BARE_UUID.fullmatch(project_id):
        return project_id.lower()
    return project_id


def item_project(operation: Operation, item: Mapping[str, Any]) -> str:
    return project_key(str(field_value(item, operation.listing.project_by)))


def order_field(operation: Operation) -> str | None:
    """The date-time field items are listed by, newest first: the spec's, else the mock's own choice of
    `created_at` (v1 promises no order; the mock lists it newest first too, items without a time last)."""
    return operation.listing.newest_first_by or ("created_at" if "created_at" in operation.fields else None)


def sort_key(operation: Operation) -> Any:
    """Items are listed by this key, descending: newest first, then id descending among equal times."""
    field = order_field(operation)

    def key(item: Mapping[str, Any]) -> tuple[int, int, str]:
        moment = item.get(field) if field else None
        return (0, 0, str(item["id"])) if moment is None else (1, parse_ns(moment), str(item["id"]))

    return key


def served(operation: Operation, item: Mapping[str, Any], expand: Iterable[str] = ()) -> JsonDict:
    """`item` as the list endpoint returns it: every expandable field null unless it was asked for."""
    wanted = set(expand)
    out = dict(item)
    for field in operation.expandable:
        out[field] = item.get(field) if field in wanted else None
    return out


def served_job(job: Mapping[str, Any], expand: Iterable[str] = (), snapshot: str | None = None) -> JsonDict:
    """`served` for a job of `snapshot` (default: the default snapshot)."""
    operation = Spec.load(snapshot).operation(JOBS_PATH)
    if operation is None:
        raise KeyError(f"the {snapshot} snapshot has no GET {JOBS_PATH}")
    return served(operation, job, expand)


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """The cycle collector paused: making a dataset allocates millions of objects and no cycles, and the collector
    would walk all those that are kept, again and again (half the start-up time at 100,000 jobs)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _as_rfc3339(value: object) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("datetime filters need a timezone-aware datetime")
        return value.isoformat()
    return str(value)


@attrs.frozen
class Project:
    """A project (`prj-<uuid>`) and the organization (a UUID) it belongs to."""

    id: str
    organization_id: str

    @property
    def key(self) -> str:
        return project_key(self.id)


def _check(spec: Spec, records: Sequence[Mapping[str, Any]], schema: str, what: str) -> None:
    validator = spec.component_validator(schema)
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"{what}[{index}] is a {type(record).__name__}, not a dict in the API's JSON shape")
        error = next(iter(validator.iter_errors(record)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(the record)"
            raise ValueError(
                f"{what}[{index}] (id {record.get('id')!r}) is not a valid {schema}: {where}: {error.message} "
                f"(the {spec.name} snapshot)"
            )
        if record["id"] in seen:
            raise ValueError(f"{what}[{index}]: the id {record['id']!r} appears twice")
        seen.add(record["id"])


@attrs.frozen(eq=False)
class Dataset:
    """Jobs (v2) and runs (v1) in the shape of one snapshot's spec, and the projects they belong to; the first
    project is the default one, whose API key a `running_mock` hands out. A snapshot without the v1 operation
    holds no runs.

    The items of a paged listing are either dicts (a tuple) or packed (`PackedItems`: JSON bytes per project,
    read back as dicts on demand), which a big generated dataset is, so that a million jobs fit in memory. Either
    way the reference semantics below read them as dicts, and a server serves them alike.
    """

    jobs: Sequence[JsonDict]
    runs: Sequence[JsonDict]
    projects: tuple[Project, ...]
    spec: Spec = attrs.field(factory=Spec.load, repr=lambda spec: spec.name)

    @property
    def default_project(self) -> Project:
        return self.projects[0]

    @property
    def default_project_id(self) -> str:
        return self.default_project.id

    @property
    def snapshot(self) -> str:
        return self.spec.name

    @classmethod
    def generate(
        cls,
        seed: int = 0,
        jobs: int = 100,
        runs: int = 20,
        *,
        other_projects: int = 2,
        other_share: float = 0.1,
        snapshot: str | None = None,
        packed: bool | None = None,
    ) -> Dataset:
        """Deterministic, realistic data in the shape of `snapshot` (default: the default snapshot): `jobs` jobs
        and `runs` runs in the default project, plus `other_share` as many again spread over `other_projects`
        more projects (at least one record each, so project scoping always has something to hide, and at most
        OTHER_PROJECT_MOST each: enough to hide, and a big account does not pay for a tenth of itself again). The
        second project shares the default project's organization; the others have organizations of their own.

        `packed` packs the items of paged listings as they are made (default: from PACK_FROM items on); the
        records are the same either way."""
        spec = Spec.load(snapshot)
        rng = Draws(seed)  # seeded test data, not secrets
        org = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        projects = [Project(f"prj-{uuid.UUID(int=rng.getrandbits(128), version=4)}", org)]
        for number in range(other_projects):
            org = org if number == 0 else str(uuid.UUID(int=rng.getrandbits(128), version=4))
            projects.append(Project(f"prj-{uuid.UUID(int=rng.getrandbits(128), version=4)}", org))
        share = other_share / max(1, other_projects)
        counts = {
            path: [
                wanted if n == 0 else min(max(1, round(wanted * share)), OTHER_PROJECT_MOST)
                for n in range(len(projects))
            ]
            for path, wanted in ((JOBS_PATH, jobs), (RUNS_PATH, runs))
            if path in spec.operations
        }
        if packed is None:
            packed = max((sum(c) for c in counts.values()), default=0) >= PACK_FROM
        makers = {path: Generator(spec, spec.operations[path]) for path in counts}
        made: dict[str, list[JsonDict]] = {path: [] for path in counts}
        builders = {
            path: {p.key: TableBuilder(spec.operations[path], order_field(spec.operations[path])) for p in projects}
            for path in counts
            if packed and spec.operations[path].listing.items is not None
        }
        with without_gc():
            for number, project in enumerate(projects):
                for path, wanted in counts.items():
                    records = makers[path].iter_records(rng, project.id, wanted[number])
                    if path in builders:
                        take = builders[path][project.key].take  # the records are made for it: no copy
                        for record in records:
                            take(record)
                    else:
                        made[path] += records
            items: dict[str, Sequence[JsonDict]] = {path: tuple(found) for path, found in made.items()}
            for path, built in builders.items():
                items[path] = PackedItems(spec.operations[path], {key: b.build() for key, b in built.items()})
        return cls(items.get(JOBS_PATH, ()), items.get(RUNS_PATH, ()), tuple(projects), spec)

    @classmethod
    def from_records(
        cls,
        jobs: Iterable[Mapping[str, Any]] = (),
        runs: Iterable[Mapping[str, Any]] = (),
        *,
        default_project_id: str | None = None,
        organizations: Mapping[str, str] | None = None,
        snapshot: str | None = None,
    ) -> Dataset:
        """Exactly these records, checked against the snapshot's item schemas (a ValueError names the first bad
        record and field).

        The default project is `default_project_id`, else the first job's project, else the first run's
        project. `organizations` maps project ids (either spelling) to organization UUIDs; a project left out
        gets a stable organization UUID derived from its id.
        """
        spec = Spec.load(snapshot)
        given = {JOBS_PATH: list(jobs), RUNS_PATH: list(runs)}
        spellings: dict[str, str] = {}  # project key -> the id as the records spell it (prj-... preferred)
        for path, what in ((JOBS_PATH, "jobs"), (RUNS_PATH, "runs")):
            operation = spec.operation(path)
            if operation is None:
                if given[path]:
                    raise ValueError(f"the {spec.name} snapshot has no GET {path}, so it cannot serve {what}")
                continue
            _check(spec, given[path], operation.item_schema_name, what)
            for record in given[path]:
                key = item_project(operation, record)
                spellings.setdefault(key, f"prj-{key}" if _BARE_UUID.fullmatch(key) else key)
        if default_project_id is not None:
            default_key = project_key(default_project_id)
            spellings.setdefault(default_key, default_project_id)
        elif spellings:
            default_key = next(iter(spellings))
        else:
            default_key = "00000000-0000-4000-8000-000000000000"
            spellings[default_key] = f"prj-{default_key}"
        orgs = {project_key(k): v.lower() for k, v in (organizations or {}).items()}
        ordered = [default_key, *(k for k in spellings if k != default_key)]
        projects = tuple(Project(spellings[k], orgs.get(k) or str(uuid.uuid5(_ORG_NAMESPACE, k))) for k in ordered)
        return cls(tuple(dict(j) for j in given[JOBS_PATH]), tuple(dict(r) for r in given[RUNS_PATH]), projects, spec)

    def with_records(self, jobs: Iterable[Mapping[str, Any]] = (), runs: Iterable[Mapping[str, Any]] = ()) -> Dataset:
        """This dataset plus more records (checked like `from_records`), keeping the projects it has (and its
        layout: a packed dataset is packed again, which reads every record)."""
        added = Dataset.from_records(jobs, runs, default_project_id=self.default_project_id, snapshot=self.spec.name)
        for what, old, new in (("jobs", self.jobs, added.jobs), ("runs", self.runs, added.runs)):
            if clash := {r["id"] for r in old} & {r["id"] for r in new}:
                raise ValueError(f"{what}: these ids are already in the dataset: {sorted(clash)[:5]}")
        known = {p.key for p in self.projects}
        extra = tuple(p for p in added.projects if p.key not in known)
        grown = Dataset((*self.jobs, *added.jobs), (*self.runs, *added.runs), (*self.projects, *extra), self.spec)
        return grown.packed() if isinstance(self.jobs, PackedItems) else grown

    def project(self, project_id: str | None = None) -> Project:
        """The project with this id (either spelling), or the default project."""
        if project_id is None:
            return self.default_project
        key = project_key(project_id)
        for project in self.projects:
            if project.key == key:
                return project
        raise KeyError(f"the dataset has no project {project_id!r}")

    def items(self, path: str) -> Sequence[JsonDict]:
        return self.jobs if path == JOBS_PATH else self.runs if path == RUNS_PATH else ()

    def packed(self) -> Dataset:
        """The same dataset with the items of its paged listings packed (see `PackedItems`)."""
        items = {path: self.items(path) for path in (JOBS_PATH, RUNS_PATH)}
        for path, operation in self.spec.operations.items():
            if operation.listing.items is not None and not isinstance(items[path], PackedItems):
                grouped: dict[str, list[JsonDict]] = {p.key: [] for p in self.projects}
                for item in items[path]:
                    grouped.setdefault(item_project(operation, item), []).append(item)
                with without_gc():
                    tables = {key: Table.of(operation, order_field(operation), found) for key, found in grouped.items()}
                items[path] = PackedItems(operation, tables)
        return Dataset(items[JOBS_PATH], items[RUNS_PATH], self.projects, self.spec)

    def count(self, path: str, project: str | None = None) -> int:
        """How many items `GET path` lists for a key of `project` without filters (default project), without
        reading them."""
        operation = self.spec.operation(path)
        if operation is None:
            return 0
        key = self.project(project).key
        items = self.items(path)
        if isinstance(items, PackedItems):
            table = items.tables.get(key)
            return len(table) if table is not None else 0
        return sum(1 for item in items if item_project(operation, item) == key)

    def input_type(self, value: object) -> str | None:
        """The input type (`file_id`, `parse_job_id`) an input id's prefix gives, as the jobs' input-type filter
        reads it."""
        operation = self.spec.operation(JOBS_PATH)
        for parameter in operation.filters() if operation else ():
            if isinstance(parameter.meaning, Filter) and parameter.meaning.kind == "input-type":
                return parameter.meaning.type_of(value)
        return None

    # ---- the reference semantics: plain, unindexed, and meant to be read ---------------------------------

    def select(self, path: str, project: str | None = None, **filters: Any) -> list[JsonDict]:
        """The items `GET path` lists, across all pages, for a key of `project` (default: the default project)
        and these filters (named as the query parameters; None means not given), newest first."""
        operation = self.spec.operation(path)
        if operation is None:
            raise KeyError(f"the {self.spec.name} snapshot has no GET {path}")
        scope = self.project(project)
        tests = [_predicate(operation, name, value, scope) for name, value in filters.items() if value is not None]
        if any(test is None for test in tests):  # a scope that excludes the key's own project
            return []
        chosen = [
            item
            for item in self.items(path)
            if item_project(operation, item) == scope.key and all(test(item) for test in tests if test is not None)
        ]
        return sorted(chosen, key=sort_key(operation), reverse=True)

    def select_jobs(self, project: str | None = None, **filters: Any) -> list[JsonDict]:
        """`select` for `GET /api/v2/extract`."""
        return self.select(JOBS_PATH, project, **filters)

    def select_runs(self, project: str | None = None, **filters: Any) -> list[JsonDict]:
        """`select` for `GET /api/v1/extractionv2/runs`."""
        return self.select(RUNS_PATH, project, **filters)


def _predicate(operation: Operation, name: str, value: Any, scope: Project) -> Any:
    """A test of an item for one filter; None when the filter lists nothing at all for this key."""
    try:
        parameter = operation.parameter(name)
    except KeyError:
        raise TypeError(f"{operation.label} has no parameter {name!r}") from None
    meaning = parameter.meaning
    if isinstance(meaning, Scope):
        given = str(value)
        own = scope.key if meaning.kind == "project" else scope.organization_id
        return (lambda item: True) if project_key(given) == own or given.lower() == own else None
    if not isinstance(meaning, Filter):
        raise TypeError(f"{operation.label}: {name!r} is not a filter")
    field = meaning.field
    caseless = "uuid" in operation.spec.formats(parameter.schema)
    if meaning.kind == "equals":
        wanted = str(value).lower() if caseless else value
        return lambda item: _same(field_value(item, field), wanted, caseless)
    if meaning.kind == "input-type":
        return lambda item: meaning.type_of(field_value(item, field)) == value
    if meaning.kind == "one-of":
        wanted_set = {value} if isinstance(value, str) else set(value)
        return lambda item: field_value(item, field) in wanted_set
    bound = parse_ns(_as_rfc3339(value), round_up=meaning.kind == "at-or-after")
    if meaning.kind == "at-or-after":
        return lambda item: field_value(item, field) is not None and parse_ns(field_value(item, field)) >= bound
    return lambda item: field_value(item, field) is not None and parse_ns(field_value(item, field)) <= bound


def _same(value: Any, wanted: Any, caseless: bool) -> bool:
    """Equality, case-insensitive for UUIDs (RFC 9562 allows either case)."""
    if caseless:
        return value is not None and str(value).lower() == wanted
    return bool(value == wanted)
