"""`--project-id`: a project as every job names it (`prj-<uuid>`), or as the API's parameter takes it (the UUID).

The spec declares the `project_id` query parameter of List Extract Jobs a UUID (`format: uuid`), while a job's
own `project_id` is `prj-<uuid>` (the spec's example of `ExtractV2Job.project_id`, from upstream's reference
page). So the option takes either and sends the bare UUID, the one form the parameter's schema admits. Anything
else names no project the parameter can take, and is refused before a request, naming the option, instead of
being answered by the server with a 422 about `query.project_id`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import click

PREFIX = "prj-"
"""How a job's `project_id` starts: the UUID follows it."""
SENT = (
    f"{PREFIX}<uuid> as jobs show it, or the UUID alone; the bare UUID is sent, as the spec's project_id "
    "parameter is a UUID"
)
"""What the option's help says it takes and sends."""

if TYPE_CHECKING:  # generic in recent click, not subscriptable at run time in older ones
    _StrType = click.ParamType[str]
else:
    _StrType = click.ParamType


def bare_uuid(project: str) -> str | None:
    """The UUID `project` names, in its canonical form (lower case, 8-4-4-4-12), or None if it names none."""
    candidate = project[len(PREFIX) :] if project[: len(PREFIX)].lower() == PREFIX else project
    try:
        return str(uuid.UUID(candidate))
    except ValueError:
        return None


def same_project(value: Any) -> Any:
    """A project id as it is sent (the bare UUID), whichever form it was recorded in; any other value as it is."""
    bare = bare_uuid(value) if isinstance(value, str) else None
    return bare if bare is not None else value


class ProjectId(_StrType):
    """`prj-<uuid>` or `<uuid>`, in any case, taken as the bare UUID."""

    name = "PROJECT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        bare = bare_uuid(str(value))
        if bare is None:
            self.fail(
                f"{value!r} is not a project id: give {PREFIX}<uuid>, as a job's project_id shows it, or the UUID "
                "alone (the API's project_id parameter takes a UUID)",
                param,
                ctx,
            )
        return bare
