"""What a parameter does to a listing, as the spec declares it in `x-llamacloud-meaning`.

A schema says which values a parameter takes, never what it does with them: whether `status` filters, whether
`expand` adds fields, which field of an item `job_ids` compares. The mock, the conformance suite and the
command line all need that, so each snapshot's spec declares it next to the parameter (the vocabulary is in
openapi/README.md) and this module reads it. A parameter without a declaration, or with one this module does
not know, is an error naming the parameter: a new parameter is never silently accepted and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias, cast

import attrs

EXTENSION = "x-llamacloud-meaning"
FilterKind = Literal["equals", "input-type", "at-or-after", "at-or-before", "one-of"]
FILTER_KINDS: tuple[FilterKind, ...] = ("equals", "input-type", "at-or-after", "at-or-before", "one-of")


class MeaningError(ValueError):
    """A spec whose declared meanings are missing, unknown or inconsistent with its schemas."""


@attrs.frozen
class Filter:
    """Keeps the items whose `field` (a dotted path into the item) matches the parameter's value.

    `equals`: the field equals the value. `input-type`: the field's value starts with the prefix `types` gives
    the value (`file_id` -> `dfl-`). `at-or-after` / `at-or-before`: the field, a date-time, is at or after
    (before) the value, inclusive. `one-of`: the field equals one of the values of an array parameter.
    """

    kind: FilterKind
    field: str
    prefixes: tuple[tuple[str, str], ...] = ()
    """For `input-type`: (type, id prefix) pairs, in the spec's order (a tuple, so that a meaning is hashable)."""

    @property
    def types(self) -> dict[str, str]:
        """For `input-type`: each type and the prefix of its ids (`file_id` -> `dfl-`)."""
        return dict(self.prefixes)

    def type_of(self, value: object) -> str | None:
        """The input type (`file_id`, ...) whose prefix `value` carries, for an `input-type` filter."""
        if isinstance(value, str):
            for name, prefix in self.prefixes:
                if value.startswith(prefix):
                    return name
        return None


@attrs.frozen
class Scope:
    """Narrows the listing to one project or organization. A key sees only its own project, so a scope value
    either admits the key's project (and changes nothing) or lists nothing."""

    kind: Literal["project", "organization"]


@attrs.frozen
class Page:
    """Pagination: the page size asked for, or the token of the page to continue from."""

    kind: Literal["size", "token"]


@attrs.frozen
class Expand:
    """Names fields of each item to fill in (the properties marked `x-llamacloud-expandable`)."""


@attrs.frozen
class Ignored:
    """Has no effect on the listing, for the reason given (the dashboard's session cookie)."""

    why: str


Meaning: TypeAlias = Filter | Scope | Page | Expand | Ignored


def parse(declared: object, where: str) -> Meaning:
    """The meaning declared by an `x-llamacloud-meaning` value; `where` names the parameter in errors."""
    if declared is None:
        raise MeaningError(
            f"{where} declares no meaning ({EXTENSION}): the mock, the suite and the client need to know what it "
            "does (see openapi/README.md for the vocabulary)"
        )
    if not isinstance(declared, Mapping) or len(declared) == 0:
        raise MeaningError(f"{where}: {EXTENSION} must be a mapping, got {declared!r}")
    entries = dict(cast(Mapping[str, Any], declared))
    try:
        if "filter" in entries:
            return _filter(entries, where)
        if set(entries) == {"scope"} and entries["scope"] in ("project", "organization"):
            return Scope(entries["scope"])
        if set(entries) == {"page"} and entries["page"] in ("size", "token"):
            return Page(entries["page"])
        if entries == {"expand": True}:
            return Expand()
        if set(entries) == {"ignored"} and isinstance(entries["ignored"], str) and entries["ignored"]:
            return Ignored(entries["ignored"])
    except (TypeError, ValueError) as error:
        raise MeaningError(f"{where}: {EXTENSION} {declared!r}: {error}") from None
    raise MeaningError(f"{where}: {EXTENSION} {declared!r} is not in the vocabulary (see openapi/README.md)")


def _filter(entries: dict[str, Any], where: str) -> Filter:
    kind, field = entries.pop("filter"), entries.pop("field", None)
    if kind not in FILTER_KINDS:
        raise MeaningError(f"{where}: unknown filter {kind!r}; known: {', '.join(FILTER_KINDS)}")
    if not isinstance(field, str) or not field:
        raise MeaningError(f"{where}: a filter names the item field it compares (`field: NAME`)")
    types = entries.pop("types", {}) if kind == "input-type" else {}
    if kind == "input-type" and (
        not isinstance(types, Mapping) or not types or not all(isinstance(v, str) and v for v in types.values())
    ):
        raise MeaningError(
            f"{where}: an input-type filter maps each type to its id prefix (`types: {{file_id: dfl-}}`)"
        )
    if entries:
        raise MeaningError(f"{where}: unknown keys {sorted(entries)} in a {kind} filter")
    return Filter(kind, field, tuple((str(k), str(v)) for k, v in dict(types).items()))
