"""The filter options are derived from the client's filter definition: every filter is an option, a filter the
spec gains is offered with nothing written for it, and what an export's checkpoint records keeps its form."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import click
import pytest
from click.testing import CliRunner

from llamacloud_extract._filters import JOB_EXPAND, JOB_KEYWORDS, JOB_PAGING, RUN_KEYWORDS
from llamacloud_extract._parameters import Count, Identifier, Keyword, Moment, OneOf, Text, Texts
from llamacloud_extract.cli import app
from llamacloud_extract.cli.export import digest, export_options
from llamacloud_extract.cli.options import JobFilters, _option
from llamacloud_extract_api.models import ExtractJobStatus


def _flags(command: click.Command) -> set[str]:
    return {flag for parameter in command.params for flag in parameter.opts}


@pytest.mark.parametrize("command", [app.jobs_list, app.jobs_export], ids=["list", "export"])
def test_every_filter_of_the_jobs_listing_is_an_option(command: click.Command) -> None:
    renamed = {"created_at_on_or_after": "since", "created_at_on_or_before": "until", "job_ids": "job-id"}
    wanted = {name for name in JOB_KEYWORDS if name not in JOB_PAGING}
    assert JOB_EXPAND in wanted
    assert {"--" + renamed.get(name, name).replace("_", "-") for name in wanted} <= _flags(command)


def test_every_filter_of_the_runs_listing_is_a_uuid_option() -> None:
    options = {parameter.name: parameter for parameter in app.runs_list.params}
    for name in RUN_KEYWORDS:
        assert options[name].type is click.UUID


def _command(option: Callable[[Any], Any]) -> click.Command:
    seen: dict[str, Any] = {}

    @click.command()
    @option
    def command(**given: Any) -> None:
        seen.update(given)

    command.seen = seen  # type: ignore[attr-defined]
    return command


@pytest.mark.parametrize(
    ("kind", "argv", "taken"),
    [
        (Text(), ["--made-up-colour", "red"], "red"),
        (Texts(), ["--made-up-colour", "red", "--made-up-colour", "blue"], ("red", "blue")),
        (OneOf(ExtractJobStatus), ["--made-up-colour", "failed"], "FAILED"),
        (
            Moment(),
            ["--made-up-colour", "2026-03-01T00:00:00+02:00"],
            datetime.datetime.fromisoformat("2026-03-01T00:00+02:00"),
        ),
        (Identifier(as_given=False), ["--made-up-colour", str(uuid.UUID(int=7))], uuid.UUID(int=7)),
        (Identifier(as_given=True), ["--made-up-colour", "prj-1"], "prj-1"),
        (Count(minimum=1), ["--made-up-colour", "3"], 3),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, list | tuple | str) else None,
)
def test_a_new_filter_is_an_option_of_its_kind(kind: Any, argv: list[str], taken: Any) -> None:
    """What a spec with one more query parameter gets on the command line, once regenerated."""
    command = _command(_option(Keyword("made_up_colour", "made_up_colour", kind), None, "job"))
    result = CliRunner().invoke(command, argv)
    assert result.exit_code == 0, result.output
    assert command.seen == {"made_up_colour": taken}  # type: ignore[attr-defined]
    help_text = CliRunner().invoke(command, ["--help"]).output
    assert "--made-up-colour" in help_text
    assert "The made_up_colour parameter of the request" in help_text


@pytest.mark.parametrize(
    ("kind", "value", "explains"),
    [
        (OneOf(ExtractJobStatus), "DONE", "is not a job made up colour; use one of CANCELLED, COMPLETED"),
        (Moment(), "2026-03-01T00:00:00", "has no timezone"),
        (Identifier(as_given=False), "prj-1", "UUID"),
        (Count(minimum=1), "0", "x>=1"),
    ],
)
def test_a_new_filter_refuses_what_its_kind_refuses(kind: Any, value: str, explains: str) -> None:
    command = _command(_option(Keyword("made_up_colour", "made_up_colour", kind), None, "job"))
    result = CliRunner().invoke(command, ["--made-up-colour", value])
    assert result.exit_code == 2
    assert "'--made-up-colour'" in result.output
    assert explains in result.output


def _as_an_earlier_version_recorded(filters: dict[str, Any]) -> dict[str, Any]:
    """The options an export's checkpoint held before the filters were derived (every filter, None when not given;
    repeated ones sorted): what a checkpoint on disk may hold."""
    return {"filters": filters, "limit": 5, "base_url": "http://api.test"}


def test_an_export_begun_by_an_earlier_version_resumes() -> None:
    """The checkpoint's digest decides whether an export resumes: the same listing must give the same one."""
    options: dict[str, Any] = dict.fromkeys(("status", "since", "until", "configuration_id", "document_input_type"))
    options |= {"file_input": "dfl-1", "document_input_value": None, "project_id": "prj-1", "organization_id": None}
    options |= {"job_ids": ("ext-2", "ext-1"), "expand": ("usage", "configuration", "usage")}
    options |= {"since": datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))}
    earlier = {
        "status": None,
        "since": "2026-03-01T00:00:00+00:00",
        "until": None,
        "configuration_id": None,
        "document_input_type": None,
        "document_input_value": "dfl-1",
        "project_id": "prj-1",
        "organization_id": None,
        "job_ids": ["ext-1", "ext-2"],
        "expand": ["configuration", "usage"],
    }
    now = export_options(JobFilters.from_options(options), limit=5, base_url="http://api.test")
    assert digest(now) == digest(_as_an_earlier_version_recorded(earlier))
    assert digest(now) != digest(_as_an_earlier_version_recorded({**earlier, "project_id": "prj-2"}))
    arguments = JobFilters.from_options(options).arguments()
    assert {name: value for name, value in arguments.items() if value is not None} == {
        "created_at_on_or_after": options["since"],
        "file_input": "dfl-1",
        "project_id": "prj-1",
        "job_ids": ["ext-2", "ext-1"],
        "expand": ["usage", "configuration", "usage"],
    }


def test_a_filter_the_command_learns_later_leaves_earlier_checkpoints_alone() -> None:
    earlier = _as_an_earlier_version_recorded({"status": "FAILED", "job_ids": [], "until": None})
    later = _as_an_earlier_version_recorded({"status": "FAILED", "job_ids": [], "until": None, "made_up_colour": None})
    assert digest(earlier) == digest(later)
    assert digest(earlier) != digest(_as_an_earlier_version_recorded({**later["filters"], "made_up_colour": "red"}))
