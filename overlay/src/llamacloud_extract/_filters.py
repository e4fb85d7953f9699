"""The filters of the two listings, defined once: which keywords `jobs.list` and `runs.list` take, how each is
checked, and how it is described; the methods' signatures and the command line's options are derived from here.

Two halves, held together by a test (`overlay/tests/test_filters.py`):
* The keywords and their checks are derived at import from the generated operations (`_parameters`), which are
  made from the default snapshot's spec, plus the newer parameter names the client accepts (`renames`). A spec
  with a new query parameter, regenerated, is checked and sent by the client, and offered by the command line,
  with nothing written here.
* Type checkers and editors cannot run that derivation, so the same keywords are declared as `TypedDict`s, which
  the methods take as `**filters: Unpack[...]`. The test fails, naming the keyword, when a declaration and the
  generated operation disagree (a new parameter, a changed type), until the declaration here follows.

A maintainer who regenerates the client from a spec with a new filter adds it to the `TypedDict` and to
`DESCRIPTIONS` (the command line's help), both in this module; nothing else.
"""

from __future__ import annotations

import datetime
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, TypedDict, TypeVar
from uuid import UUID

from llamacloud_extract_api.api.llama_extract import list_extract_runs_api_v1_extractionv2_runs_get as runs_operation
from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as jobs_operation
from llamacloud_extract_api.models import ExtractJobStatus

from ._parameters import Keyword, keywords
from .renames import PARAMETER_RENAMES

F = TypeVar("F", bound=Callable[..., Any])

JobStatus = ExtractJobStatus | Literal["PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]


class JobFilters(TypedDict, total=False):
    """Which jobs `jobs.list` lists: every filter of List Extract Jobs, each optional and sent with every page.

    In the order the command line offers them. `file_input` is the newer name of `document_input_value`
    (see `renames.PARAMETER_RENAMES`); both are taken, and sent under both names."""

    status: JobStatus | None
    created_at_on_or_after: datetime.datetime | None
    created_at_on_or_before: datetime.datetime | None
    configuration_id: str | None
    document_input_type: str | None
    file_input: str | None
    document_input_value: str | None
    project_id: str | UUID | None
    organization_id: str | UUID | None
    job_ids: Iterable[str] | None


class JobListArguments(JobFilters, total=False):
    """Every keyword of `jobs.list` but `raw`: the filters, and how the jobs are asked for and handed over.

    `expand`, `page_size` and `page_token` are the operation's other query parameters; `limit`, `read_ahead` and
    `parallel` are the client's own (their defaults are `LISTING_DEFAULTS`)."""

    expand: Iterable[str] | None
    page_size: int | None
    page_token: str | None
    limit: int | None
    read_ahead: bool
    parallel: int | None


class RunFilters(TypedDict, total=False):
    """Which runs `runs.list` lists: every filter of List Extract Runs (UUIDs, as the v1 API requires)."""

    extraction_agent_id: str | UUID | None
    run_id: str | UUID | None
    job_id: str | UUID | None


_COOKIES = ("session",)
"""The web dashboard's browser session, a cookie both operations declare and no API-key client sends."""

JOBS_PATH: str = jobs_operation._get_kwargs()["url"]
RUNS_PATH: str = runs_operation._get_kwargs()["url"]

JOB_PAGING = ("page_size", "page_token")
"""The query parameters that page: the pager sends them, not the caller's filters."""
JOB_EXPAND = "expand"
"""The query parameter that asks for more fields: a choice of what each job holds, not of which jobs."""

JOB_KEYWORDS: Mapping[str, Keyword] = keywords(
    jobs_operation._get_kwargs,
    ignored=_COOKIES,
    newer_names={old: new for (path, old), new in PARAMETER_RENAMES.items() if path == JOBS_PATH},
    # The spec types project_id and organization_id as uuid, yet the project ids in its own examples (those of
    # ExtractV2Job.project_id, from upstream's reference page) are `prj-...`: a caller's id is sent as given.
    uuids_as_given=True,
)
"""Every query keyword of `jobs.list`, checked as the generated operation's annotations say."""

RUN_KEYWORDS: Mapping[str, Keyword] = keywords(
    runs_operation._get_kwargs,
    ignored=_COOKIES,
    newer_names={old: new for (path, old), new in PARAMETER_RENAMES.items() if path == RUNS_PATH},
    uuids_as_given=False,
)
"""Every keyword of `runs.list` but `raw`: its filters."""


def _in_declared_order(keywords: Mapping[str, Keyword], declared: type, left_out: Iterable[str]) -> tuple[Keyword, ...]:
    """The keywords, those declared first in their declared order (the command line's), then any the generated
    operation has and the declaration does not have yet."""
    names = [name for name in declared.__annotations__ if name in keywords]
    names += [name for name in keywords if name not in names and name not in left_out]
    return tuple(keywords[name] for name in names)


JOB_FILTERS = _in_declared_order(JOB_KEYWORDS, JobFilters, (*JOB_PAGING, JOB_EXPAND))
"""The filters of `jobs.list`: its query keywords but paging and `expand`."""
RUN_FILTERS = _in_declared_order(RUN_KEYWORDS, RunFilters, ())

LISTING_DEFAULTS: Mapping[str, Any] = {"read_ahead": True}
"""The defaults of `jobs.list`'s keywords that are not None."""

DESCRIPTIONS: Mapping[str, str] = {
    "status": "Only jobs in this state",
    "created_at_on_or_after": "Only jobs created at or after this instant",
    "created_at_on_or_before": "Only jobs created at or before this instant",
    "configuration_id": "Only jobs run with this saved configuration",
    "document_input_type": "Only jobs whose input is of this type",
    "file_input": "Only jobs of this file (dfl-...) or parse job (pjb-...), whichever version of the API the server "
    "speaks",
    "project_id": "Only jobs of this project",
    "organization_id": "Only jobs of this organization",
    "job_ids": "Only this job",
    "expand": "Add a field to each job: configuration, extract_metadata, usage (newer servers)",
    "extraction_agent_id": "Only runs of this extraction agent",
    "run_id": "Only this run",
    "job_id": "Only the runs of this job",
}
"""What each filter (and `expand`) selects, for one value, as the command line's help says it (an old name the API
has replaced is described by its newer one). The spec's own descriptions do not reach the generated code, and
they say little ("Filter by status")."""


def signature(
    declared: type,
    keywords: Iterable[Keyword],
    *,
    defaults: Mapping[str, Any] = MappingProxyType({}),
    last: Iterable[inspect.Parameter] = (),
) -> inspect.Signature:
    """The signature a method taking `**arguments: Unpack[declared]` shows at run time (`help()`,
    `inspect.signature`, a notebook's completion): one keyword-only parameter per keyword, as if written out
    (default None unless `defaults` says otherwise), then `last`. A keyword the generated operation has and the
    declaration lacks yet shows with the type derived for it."""
    hints = typing.get_type_hints(declared)
    derived = {keyword.name: keyword.kind.accepts for keyword in keywords}
    written_out = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=defaults.get(name),
            annotation=hints.get(name, derived.get(name)),
        )
        for name in dict.fromkeys([*hints, *derived])
    ]
    return inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *written_out, *last])


def shows(signature: inspect.Signature) -> Callable[[F], F]:
    """Give a method the signature it shows at run time (see `signature`)."""

    def decorate(method: F) -> F:
        method.__dict__["__signature__"] = signature
        return method

    return decorate
