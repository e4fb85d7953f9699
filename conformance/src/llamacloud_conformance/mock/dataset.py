"""What the mock serves: jobs and runs in the API's wire shape, the projects they belong to, and a plain
reference implementation of the list semantics that tests use to compute what a listing must return.

Records are kept exactly as given (full, expanded form: `configuration` and `extract_metadata` filled in); the
server decides per request what to leave out.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .generate import generate_jobs, generate_runs
from .spec import component_validator
from .timestamps import parse_ns

JsonDict = dict[str, Any]

_PRJ_UUID = re.compile(r"prj-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
_BARE_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ORG_NAMESPACE = uuid.UUID("6f1c8f0e-4a57-4d0e-9a43-0d6c1b1f2a10")
EXPANDABLE = ("configuration", "extract_metadata")


def project_key(project_id: str) -> str:
    """The identity of a project however it is spelled: `prj-<uuid>` (v2 jobs) and `<uuid>` (v1 files, the
    `project_id` query parameter) name the same project; UUIDs compare case-insensitively."""
    match = _PRJ_UUID.fullmatch(project_id)
    if match:
        return match.group(1).lower()
    if _BARE_UUID.fullmatch(project_id):
        return project_id.lower()
    return project_id


def input_type(document_input_value: str) -> str | None:
    """What `document_input_type` a job's input is: `file_id` for `dfl-...`, `parse_job_id` for `pjb-...`."""
    if document_input_value.startswith("dfl-"):
        return "file_id"
    if document_input_value.startswith("pjb-"):
        return "parse_job_id"
    return None


def job_sort_key(job: Mapping[str, Any]) -> tuple[int, str]:
    """Jobs are listed by this key, descending: newest first, then id descending among equal timestamps."""
    return parse_ns(job["created_at"]), job["id"]


def run_sort_key(run: Mapping[str, Any]) -> tuple[int, int, str]:
    """Runs are listed by this key, descending: newest first, runs without `created_at` last, then id."""
    created = run.get("created_at")
    return (0, 0, run["id"]) if created is None else (1, parse_ns(created), run["id"])


def served_job(job: Mapping[str, Any], expand: Iterable[str] = ()) -> JsonDict:
    """`job` as the list endpoint returns it: `configuration` and `extract_metadata` are null unless expanded."""
    wanted = set(expand)
    out = dict(job)
    for field in EXPANDABLE:
        out[field] = job.get(field) if field in wanted else None
    return out


def _as_rfc3339(value: str | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("datetime filters need a timezone-aware datetime")
        return value.isoformat()
    return value


@attrs.frozen
class Project:
    """A project (`prj-<uuid>`) and the organization (a UUID) it belongs to."""

    id: str
    organization_id: str

    @property
    def key(self) -> str:
        return project_key(self.id)


def _check(records: Sequence[Mapping[str, Any]], schema: str, what: str) -> None:
    validator = component_validator(schema)
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"{what}[{index}] is a {type(record).__name__}, not a dict in the API's JSON shape")
        error = next(iter(validator.iter_errors(record)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(the record)"
            raise ValueError(
                f"{what}[{index}] (id {record.get('id')!r}) is not a valid {schema}: {where}: {error.message}"
            )
        if record["id"] in seen:
            raise ValueError(f"{what}[{index}]: the id {record['id']!r} appears twice")
        seen.add(record["id"])


@attrs.frozen(eq=False)
class Dataset:
    """Jobs (v2) and runs (v1), and the projects they belong to; the first project is the default one, whose
    API key a `running_mock` hands out."""

    jobs: tuple[JsonDict, ...]
    runs: tuple[JsonDict, ...]
    projects: tuple[Project, ...]

    @property
    def default_project(self) -> Project:
        return self.projects[0]

    @property
    def default_project_id(self) -> str:
        return self.default_project.id

    @classmethod
    def generate(
        cls,
        seed: int = 0,
        jobs: int = 100,
        runs: int = 20,
        *,
        other_projects: int = 2,
        other_share: float = 0.1,
    ) -> Dataset:
        """Deterministic, realistic data: `jobs` jobs and `runs` runs in the default project, plus
        `other_share` as many again spread over `other_projects` more projects (at least one record each, so
        project scoping always has something to hide). The second project shares the default project's
        organization; the others have organizations of their own."""
        rng = random.Random(seed)  # noqa: S311 - seeded test data, not secrets
        org = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        projects = [Project(f"prj-{uuid.UUID(int=rng.getrandbits(128), version=4)}", org)]
        for number in range(other_projects):
            org = org if number == 0 else str(uuid.UUID(int=rng.getrandbits(128), version=4))
            projects.append(Project(f"prj-{uuid.UUID(int=rng.getrandbits(128), version=4)}", org))
        all_jobs, all_runs = [], []
        for number, project in enumerate(projects):
            share = 1.0 if number == 0 else other_share / max(1, other_projects)
            job_count = jobs if number == 0 else max(1, round(jobs * share))
            run_count = runs if number == 0 else max(1, round(runs * share))
            all_jobs += generate_jobs(rng, project.id, job_count)
            all_runs += generate_runs(rng, project.key, run_count)
        return cls(tuple(all_jobs), tuple(all_runs), tuple(projects))

    @classmethod
    def from_records(
        cls,
        jobs: Iterable[Mapping[str, Any]] = (),
        runs: Iterable[Mapping[str, Any]] = (),
        *,
        default_project_id: str | None = None,
        organizations: Mapping[str, str] | None = None,
    ) -> Dataset:
        """Exactly these records, checked against the spec's `ExtractV2Job` / `ExtractRun` schemas (a ValueError
        names the first bad record and field).

        The default project is `default_project_id`, else the first job's project, else the first run's file's
        project. `organizations` maps project ids (either spelling) to organization UUIDs; a project left out
        gets a stable organization UUID derived from its id.
        """
        given_jobs, given_runs = list(jobs), list(runs)
        _check(given_jobs, "ExtractV2Job", "jobs")
        _check(given_runs, "ExtractRun", "runs")
        job_list, run_list = [dict(j) for j in given_jobs], [dict(r) for r in given_runs]
        orgs = {project_key(k): v.lower() for k, v in (organizations or {}).items()}
        spellings: dict[str, str] = {}  # project key -> the id as the records spell it (prj-... preferred)
        for job in job_list:
            spellings.setdefault(project_key(job["project_id"]), job["project_id"])
        for run in run_list:
            key = project_key(run["file"]["project_id"])
            spellings.setdefault(key, f"prj-{key}")
        if default_project_id is not None:
            default_key = project_key(default_project_id)
            spellings.setdefault(default_key, default_project_id)
        elif spellings:
            default_key = next(iter(spellings))
        else:
            default_key = "00000000-0000-4000-8000-000000000000"
            spellings[default_key] = f"prj-{default_key}"
        ordered = [default_key, *(k for k in spellings if k != default_key)]
        projects = tuple(Project(spellings[k], orgs.get(k) or str(uuid.uuid5(_ORG_NAMESPACE, k))) for k in ordered)
        return cls(tuple(job_list), tuple(run_list), projects)

    def with_records(self, jobs: Iterable[Mapping[str, Any]] = (), runs: Iterable[Mapping[str, Any]] = ()) -> Dataset:
        """This dataset plus more records (checked like `from_records`), keeping the projects it has."""
        added = Dataset.from_records(jobs, runs, default_project_id=self.default_project_id)
        for what, old, new in (("jobs", self.jobs, added.jobs), ("runs", self.runs, added.runs)):
            if clash := {r["id"] for r in old} & {r["id"] for r in new}:
                raise ValueError(f"{what}: these ids are already in the dataset: {sorted(clash)[:5]}")
        known = {p.key for p in self.projects}
        extra = tuple(p for p in added.projects if p.key not in known)
        return Dataset((*self.jobs, *added.jobs), (*self.runs, *added.runs), (*self.projects, *extra))

    def project(self, project_id: str | None = None) -> Project:
        """The project with this id (either spelling), or the default project."""
        if project_id is None:
            return self.default_project
        key = project_key(project_id)
        for project in self.projects:
            if project.key == key:
                return project
        raise KeyError(f"the dataset has no project {project_id!r}")

    # ---- the reference semantics: plain, unindexed, and meant to be read ---------------------------------

    def select_jobs(
        self,
        project: str | None = None,
        *,
        configuration_id: str | None = None,
        document_input_type: str | None = None,
        document_input_value: str | None = None,
        status: str | None = None,
        created_at_on_or_after: str | dt.datetime | None = None,
        created_at_on_or_before: str | dt.datetime | None = None,
        job_ids: Iterable[str] | None = None,
        project_id: str | None = None,
        organization_id: str | None = None,
    ) -> list[JsonDict]:
        """The jobs `GET /api/v2/extract` lists, across all pages, for a key of `project` (default: the
        default project) and these filters (named as the query parameters), newest first."""
        scope = self.project(project)
        wanted_ids = None if job_ids is None else set(job_ids)
        after = None if created_at_on_or_after is None else parse_ns(_as_rfc3339(created_at_on_or_after), round_up=True)
        before = None if created_at_on_or_before is None else parse_ns(_as_rfc3339(created_at_on_or_before))
        if project_id is not None and project_key(project_id) != scope.key:
            return []
        if organization_id is not None and organization_id.lower() != scope.organization_id:
            return []
        chosen = []
        for job in self.jobs:
            created = parse_ns(job["created_at"])
            if (
                project_key(job["project_id"]) == scope.key
                and (configuration_id is None or job.get("configuration_id") == configuration_id)
                and (document_input_type is None or input_type(job["document_input_value"]) == document_input_type)
                and (document_input_value is None or job["document_input_value"] == document_input_value)
                and (status is None or job["status"] == status)
                and (after is None or created >= after)
                and (before is None or created <= before)
                and (wanted_ids is None or job["id"] in wanted_ids)
            ):
                chosen.append(job)
        return sorted(chosen, key=job_sort_key, reverse=True)

    def select_runs(
        self,
        project: str | None = None,
        *,
        extraction_agent_id: str | None = None,
        run_id: str | None = None,
        job_id: str | None = None,
    ) -> list[JsonDict]:
        """The runs `GET /api/v1/extractionv2/runs` returns for a key of `project` and these filters."""
        scope = self.project(project)

        def same(value: str | None, wanted: str | None) -> bool:
            return wanted is None or (value is not None and value.lower() == wanted.lower())

        chosen = [
            run
            for run in self.runs
            if project_key(run["file"]["project_id"]) == scope.key
            and same(run["extraction_agent_id"], extraction_agent_id)
            and same(run["id"], run_id)
            and same(run.get("job_id"), job_id)
        ]
        return sorted(chosen, key=run_sort_key, reverse=True)
