"""Arguments for the client's `jobs.list(...)`, drawn from the snapshot's parameters by what each one means.

The client's keywords are named as the spec's parameters, so the snapshot decides which arguments exist and
what values they take: an enum's values, an aware datetime for a date bound, a UUID for a scope, a list for an
array filter. Two parameters that mean the same (2026-08-20's `file_input` and its deprecated alias) are never
given together: the client refuses two different values for one filter, as it should.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from ..spec.document import Operation, Parameter
from ..spec.meaning import Expand, Filter, Ignored, Meaning, Page, Scope

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)


def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
    return st.datetimes(min_value=dt.datetime(1971, 1, 2), max_value=dt.datetime(2999, 1, 1), timezones=offsets)


def keywords(method: Callable[..., Any]) -> set[str]:
    """The keyword arguments a client method takes."""
    return {p.name for p in inspect.signature(method).parameters.values() if p.kind is p.KEYWORD_ONLY}


def sendable(operation: Operation) -> list[Parameter]:
    """The parameters a client sends (all but those that mean nothing to an API client, like the session cookie)."""
    return [p for p in operation.parameters if not isinstance(p.meaning, Ignored)]


def values(operation: Operation, parameter: Parameter) -> st.SearchStrategy[Any]:
    """Valid argument values for one parameter, by its meaning and schema."""
    meaning = parameter.meaning
    spec = operation.spec
    enum = [v for b in spec.branches(parameter.schema) for v in b.get("enum", ()) if v is not None]
    if isinstance(meaning, Page):
        return st.integers(1, 10_000) if meaning.kind == "size" else TEXT
    if isinstance(meaning, Expand):
        return st.lists(st.sampled_from(operation.expandable) | TEXT, min_size=1, max_size=3)
    if isinstance(meaning, Scope) or "uuid" in spec.formats(parameter.schema):
        return st.uuids() | st.uuids().map(str)
    if isinstance(meaning, Filter):
        if meaning.kind in ("at-or-after", "at-or-before"):
            return aware_datetimes()
        if meaning.kind == "one-of":
            return st.lists(TEXT, min_size=1, max_size=4)
        if meaning.kind == "input-type":
            return st.sampled_from(sorted(meaning.types)) | TEXT
        if enum:
            return st.sampled_from(enum)
    return TEXT


def arguments(operation: Operation, accepted: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Some of the operation's parameters the client accepts, each with a valid value; one per meaning."""
    by_meaning: dict[Meaning, list[Parameter]] = {}
    for parameter in sendable(operation):
        if parameter.name in accepted:
            by_meaning.setdefault(parameter.meaning, []).append(parameter)

    @st.composite
    def draw(draw: st.DrawFn) -> dict[str, Any]:
        chosen: dict[str, Any] = {}
        for parameters in by_meaning.values():
            if draw(st.booleans()):
                parameter = draw(st.sampled_from(parameters))
                chosen[parameter.name] = draw(values(operation, parameter))
        return chosen

    return draw()


def one_per_meaning(operation: Operation, filters: Mapping[str, Any]) -> bool:
    """Whether no two of these arguments mean the same filter."""
    meanings = [operation.parameter(name).meaning for name in filters]
    return len(meanings) == len(set(meanings))
