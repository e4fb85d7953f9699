"""The listings' filters are defined once (`llamacloud_extract._filters`): the keywords and checks are derived from
the generated operations, and the typed declarations that editors and type checkers read must say the same, so
that a spec with a new query parameter, regenerated, fails here naming it until the declaration follows."""

from __future__ import annotations

import datetime
import enum
import inspect
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from llamacloud_extract import ExtractJobStatus
from llamacloud_extract._filters import (
    DESCRIPTIONS,
    JOB_EXPAND,
    JOB_KEYWORDS,
    JOB_PAGING,
    RUN_KEYWORDS,
    JobFilters,
    JobListArguments,
    RunFilters,
    signature,
)
from llamacloud_extract._parameters import Count, Identifier, Moment, OneOf, Text, Texts, keywords, kind_of
from llamacloud_extract.jobs import AsyncJobs, Jobs
from llamacloud_extract.renames import PARAMETER_RENAMES
from llamacloud_extract.runs import AsyncRuns, Runs
from llamacloud_extract_api.api.llama_extract import list_extract_runs_api_v1_extractionv2_runs_get as runs_operation
from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as jobs_operation
from llamacloud_extract_api.types import UNSET, Unset

SNAPSHOTS = Path(__file__).parents[2] / "openapi" / "snapshots"
DECLARED_IN = "llamacloud_extract/_filters.py"
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: datetime.timezone(datetime.timedelta(minutes=m)))


def _sample(annotation: Any) -> Any:
    """A value of a generated keyword's type, to see where `_get_kwargs` puts it (this test's own reading of the
    annotation, not the client's)."""
    for member in typing.get_args(annotation) or (annotation,):
        if member is str:
            return "x"
        if member is int:
            return 1
        if member is datetime.datetime:
            return datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        if member is uuid.UUID:
            return uuid.UUID(int=1)
        if member == list[str]:
            return ["x"]
        if isinstance(member, type) and issubclass(member, enum.Enum):
            return next(iter(member))
    raise AssertionError(f"no sample for {annotation}")


def query_parameters(get_kwargs: Callable[..., Any]) -> list[str]:
    """The query parameters of a generated operation: its keywords whose value lands in the query string (not
    in a cookie or a header)."""
    hints = typing.get_type_hints(get_kwargs)
    return [
        name
        for name in inspect.signature(get_kwargs).parameters
        if name in get_kwargs(**{name: _sample(hints[name])})["params"]
    ]


def newer_names(path: str) -> set[str]:
    return {new for (where, _), new in PARAMETER_RENAMES.items() if where == path}


def disagreement(declared: type, expected: set[str]) -> str:
    """What is wrong with a declaration's keys, naming each keyword; empty when nothing is."""
    keys = set(typing.get_type_hints(declared))
    problems = []
    if missing := sorted(expected - keys):
        problems.append(f"{declared.__name__} lacks {missing}, which the generated operation has")
    if extra := sorted(keys - expected):
        problems.append(f"{declared.__name__} has {extra}, which the generated operation does not")
    return "; ".join(problems) + (f": declare them in {DECLARED_IN}" if problems else "")


def expected_job_filters(get_kwargs: Callable[..., Any]) -> set[str]:
    path = get_kwargs()["url"]
    return set(query_parameters(get_kwargs)) - {*JOB_PAGING, JOB_EXPAND} | newer_names(path)


def test_the_job_filters_declared_are_the_generated_operations_query_parameters() -> None:
    assert not disagreement(JobFilters, expected_job_filters(jobs_operation._get_kwargs))


def test_the_run_filters_declared_are_the_generated_operations_query_parameters() -> None:
    expected = set(query_parameters(runs_operation._get_kwargs)) | newer_names(runs_operation._get_kwargs()["url"])
    assert not disagreement(RunFilters, expected)


def test_the_other_listing_keywords_are_the_paging_and_expand_parameters() -> None:
    own = {"limit", "read_ahead", "parallel"}
    others = set(typing.get_type_hints(JobListArguments)) - set(typing.get_type_hints(JobFilters)) - own
    assert others == {*JOB_PAGING, JOB_EXPAND}
    assert {*JOB_PAGING, JOB_EXPAND} <= set(query_parameters(jobs_operation._get_kwargs))


def _with_a_new_parameter(**given: Any) -> dict[str, Any]:
    """The generated operation as a spec with one more query parameter, `made_up_colour`, would make it."""
    colour = given.pop("made_up_colour", UNSET)
    made: dict[str, Any] = jobs_operation._get_kwargs(**given)
    if colour is not UNSET:
        made["params"]["made_up_colour"] = colour
    return made


_COLOUR = inspect.Parameter(
    "made_up_colour", inspect.Parameter.KEYWORD_ONLY, default=UNSET, annotation=None | str | Unset
)
_GENERATED = inspect.signature(jobs_operation._get_kwargs)
_with_a_new_parameter.__dict__["__signature__"] = _GENERATED.replace(
    parameters=[*_GENERATED.parameters.values(), _COLOUR]
)
_with_a_new_parameter.__annotations__ = {
    **typing.get_type_hints(jobs_operation._get_kwargs),
    "made_up_colour": _COLOUR.annotation,
}


def test_a_new_query_parameter_fails_the_declaration_naming_it_and_is_derived_meanwhile() -> None:
    problem = disagreement(JobFilters, expected_job_filters(_with_a_new_parameter))
    assert "lacks [" in problem
    assert "'made_up_colour'" in problem
    assert DECLARED_IN in problem
    derived = keywords(_with_a_new_parameter, ignored=("session",), newer_names={}, uuids_as_given=True)
    assert derived["made_up_colour"].kind == Text()  # checked and sent with nothing written for it
    shown = signature(JobFilters, derived.values())
    assert shown.parameters["made_up_colour"].annotation == str | None
    assert shown.parameters["made_up_colour"].kind is inspect.Parameter.KEYWORD_ONLY


def test_a_parameter_of_a_type_without_a_check_fails_at_import_naming_it() -> None:
    with pytest.raises(TypeError, match="'ratio'"):
        kind_of("ratio", float | None | Unset, uuids_as_given=True)


def _members(annotation: Any) -> set[Any]:
    """The types a union admits, nested unions flattened (`A | (B | None)` is `{A, B, None}`)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set().union(*(_members(member) for member in typing.get_args(annotation)))
    return {annotation}


@pytest.mark.parametrize(
    ("declared", "derived"), [(JobListArguments, JOB_KEYWORDS), (RunFilters, RUN_KEYWORDS)], ids=["jobs", "runs"]
)
def test_each_declared_type_is_what_the_derived_check_accepts(declared: type, derived: Mapping[str, Any]) -> None:
    hints = typing.get_type_hints(declared)
    for name, keyword in derived.items():
        if name not in hints:
            continue  # not declared at all: the tests of the declared keys name it
        assert _members(hints[name]) == _members(keyword.kind.accepts), (
            f"{declared.__name__}[{name!r}] is {hints[name]}, but the generated operation takes "
            f"{keyword.kind.accepts}: change it in {DECLARED_IN}"
        )


def test_the_job_status_literal_is_the_specs_enum() -> None:
    status = _members(typing.get_type_hints(JobFilters)["status"])
    (literal,) = [member for member in status if typing.get_origin(member) is typing.Literal]
    assert set(typing.get_args(literal)) == {status.value for status in ExtractJobStatus}


def test_every_option_the_command_line_derives_is_described() -> None:
    offered = {k.name for k in (*JOB_KEYWORDS.values(), *RUN_KEYWORDS.values())} - set(JOB_PAGING)
    described = offered - {k.name for k in JOB_KEYWORDS.values() if k.newer is not None}  # by its newer name
    assert set(DESCRIPTIONS) == described, f"describe each filter once, in {DECLARED_IN}"


@pytest.mark.parametrize(
    ("methods", "declared"),
    [((Jobs.list, AsyncJobs.list), JobListArguments), ((Runs.list, AsyncRuns.list), RunFilters)],
    ids=["jobs", "runs"],
)
def test_the_methods_show_every_keyword_at_run_time(methods: tuple[Any, Any], declared: type) -> None:
    """`help()`, notebooks and the conformance suite read the signature: every keyword, as if written out."""
    sync, asynchronous = (inspect.signature(method) for method in methods)
    assert sync == asynchronous
    keyword_only = {
        name: parameter.annotation
        for name, parameter in sync.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert keyword_only == {**typing.get_type_hints(declared), "raw": bool}
    assert all(p.default is None for n, p in sync.parameters.items() if n not in ("self", "raw", "read_ahead"))
    assert sync.parameters["raw"].default is False
    if "read_ahead" in sync.parameters:
        assert sync.parameters["read_ahead"].default is True


def test_an_unknown_keyword_is_a_type_error_naming_it(kit: Any) -> None:
    def never(request: Any) -> Any:
        raise AssertionError("nothing should have been sent")

    client, _ = kit.client(never)
    with pytest.raises(TypeError, match="unexpected keyword argument 'made_up_colour'"):
        client.jobs.list(made_up_colour="red")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="unexpected keyword argument 'made_up_colour'"):
        client.runs.list(made_up_colour="red")  # type: ignore[call-overload]


def _declared_parameter_renames() -> dict[tuple[str, str], str]:
    """(path, parameter of the client's spec) -> its newer name, for every pair a snapshot shows: a parameter the
    client's spec lacks, filtering exactly as a parameter of the client's spec does that this snapshot marks
    deprecated."""
    default = (SNAPSHOTS / "DEFAULT").read_text().strip()
    load = lambda name: yaml.safe_load((SNAPSHOTS / name / "extract-api.yaml").read_text())  # noqa: E731
    mine = load(default)["paths"]
    found: dict[tuple[str, str], str] = {}
    for snapshot in sorted(p.name for p in SNAPSHOTS.iterdir() if p.is_dir() and p.name != default):
        for path, operations in load(snapshot)["paths"].items():
            theirs = {p["name"]: p for p in operations["get"].get("parameters", []) if "name" in p}
            known = {p["name"] for p in mine.get(path, {}).get("get", {}).get("parameters", []) if "name" in p}
            for old, parameter in theirs.items():
                if old not in known or not parameter.get("deprecated"):
                    continue
                meaning = parameter.get("x-llamacloud-meaning")
                for new, other in theirs.items():
                    if new not in known and other.get("x-llamacloud-meaning") == meaning:
                        found[path, old] = new
    return found


def test_the_parameter_renames_are_those_the_snapshots_show() -> None:
    declared = _declared_parameter_renames()
    assert declared, "the 2026-08-20 snapshot renames document_input_value to file_input"
    assert dict(PARAMETER_RENAMES) == declared


@given(st.sampled_from(["status", "page_size", "created_at_on_or_after", "job_ids", "project_id"]), st.data())
def test_each_kind_accepts_exactly_its_own_values(name: str, data: st.DataObject) -> None:
    """A value is sent when it is of the parameter's type, and refused, naming the keyword, when it is not."""
    keyword = JOB_KEYWORDS[name]
    values: dict[type, st.SearchStrategy[Any]] = {
        OneOf: st.sampled_from([s.value for s in ExtractJobStatus]),
        Count: st.integers(min_value=1),
        Moment: st.datetimes(timezones=OFFSETS),
        Texts: st.lists(st.text()) | st.text(),
        Identifier: st.uuids() | st.text(),
    }
    wrong: dict[type, st.SearchStrategy[Any]] = {
        OneOf: st.text().filter(lambda t: t not in ExtractJobStatus.__members__) | st.integers(),
        Count: st.integers(max_value=0) | st.floats() | st.booleans(),
        Moment: st.datetimes() | st.dates() | st.text(),
        Texts: st.lists(st.integers(), min_size=1) | st.integers(),
        Identifier: st.integers() | st.floats(),
    }
    good = data.draw(values[type(keyword.kind)])
    sent = keyword.check(good)
    assert sent is not UNSET
    assert keyword.check(None) is UNSET
    if isinstance(keyword.kind, Texts):
        assert sent == ([good] if isinstance(good, str) else good)
    bad = data.draw(wrong[type(keyword.kind)])
    with pytest.raises((TypeError, ValueError), match=name):
        keyword.check(bad)
