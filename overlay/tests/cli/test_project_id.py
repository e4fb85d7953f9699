"""`--project-id` takes a project as every job names it (`prj-<uuid>`) or as the API's parameter takes it (the
UUID), and sends the bare UUID, the one form the spec's `format: uuid` admits; anything else is refused by name."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_extract.cli.export import digest
from llamacloud_extract.cli.projects import bare_uuid

_FORMS = st.sampled_from(["prj-{}", "PRJ-{}", "{}"])


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(project=st.uuids(), form=_FORMS, upper=st.booleans())
def test_a_project_in_either_form_is_sent_as_its_bare_uuid(
    runner: Any, kit: Any, project: uuid.UUID, form: str, upper: bool
) -> None:
    store = kit.JobStore([kit.job(1)])
    typed = form.format(str(project).upper() if upper else str(project))
    outcome = runner(store, "jobs", "list", "--project-id", typed)
    assert outcome.code == 0, outcome.stderr
    (request,) = store.requests
    assert request.url.params["project_id"] == str(project)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1).filter(lambda text: bare_uuid(text) is None and not text.startswith("-")))
def test_anything_that_names_no_uuid_is_a_usage_error_naming_the_option(runner: Any, kit: Any, text: str) -> None:
    store = kit.JobStore([kit.job(1)])
    outcome = runner(store, "jobs", "list", "--project-id", text)
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert "'--project-id'" in outcome.stderr
    assert "is not a project id" in outcome.stderr
    assert store.requests == []


@pytest.mark.parametrize(
    "text", ["prj-", "prj-1", "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", "org-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"]
)
def test_a_prefix_or_a_uuid_alone_is_not_enough(text: str) -> None:
    assert bare_uuid(text) is None


def test_the_help_says_what_is_sent(runner: Any) -> None:
    outcome = runner(None, "jobs", "list", "--help")
    help_text = " ".join(outcome.stdout.split())
    assert "--project-id PROJECT" in help_text
    assert "prj-<uuid> as jobs show it, or the UUID alone; the bare UUID is sent" in help_text


def test_an_export_recorded_with_the_prefixed_form_resumes_with_the_bare_one() -> None:
    """A version that sent the id as given recorded `prj-<uuid>` in its checkpoint; the same project now."""
    project = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

    def options(value: str) -> dict[str, Any]:
        return {"filters": {"project_id": value}, "limit": None, "base_url": "http://api.test"}

    assert digest(options(f"prj-{project}")) == digest(options(project))
    assert digest(options(f"prj-{project}")) != digest(options("bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee"))
