"""A generated operation's parameters as the client's keyword arguments, each checked before anything is sent.

Which query parameters an operation has, and what each takes, is the generated module's to say: its
`_get_kwargs` has one keyword per parameter of the spec, annotated with the parameter's type. The check of each
keyword is derived from that annotation (a string, a list of strings, a timezone-aware datetime, a positive
count, a member of the spec's enum, a UUID), so a regenerated client checks a new parameter with no code written
for it here, and a type this module has no rule for fails at import, naming the parameter.

A `Kind` also says what a caller may pass (`accepts`: the type a method's signature shows, which the typed
declarations of `_filters` are tested against) and what the command line needs to offer the keyword as an option
(`cli/options.py`).
"""

from __future__ import annotations

import datetime
import enum
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal
from uuid import UUID

import attrs

from llamacloud_extract_api.types import UNSET, Unset


@attrs.frozen
class Text:
    """A string, sent as given."""

    accepts: ClassVar[Any] = str | None

    def check(self, name: str, value: object) -> Any:
        if value is None:
            return UNSET
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
        return value


@attrs.frozen
class Texts:
    """Strings, sent as one repeated query key. A lone string counts as one value, not as its letters."""

    accepts: ClassVar[Any] = Iterable[str] | None

    def check(self, name: str, value: object) -> Any:
        if value is None:
            return UNSET
        if not isinstance(value, Iterable):
            raise TypeError(f"{name} must be an iterable of strings, got {type(value).__name__}")
        values = [value] if isinstance(value, str) else list(value)
        for each in values:
            if not isinstance(each, str):
                raise TypeError(f"{name} must hold strings, got {type(each).__name__}")
        return values


@attrs.frozen
class Moment:
    """A timezone-aware datetime: a naive one would be sent without an offset and read in the server's zone."""

    accepts: ClassVar[Any] = datetime.datetime | None

    def check(self, name: str, value: object) -> Any:
        if value is None:
            return UNSET
        if not isinstance(value, datetime.datetime):
            raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
        if value.utcoffset() is None:
            raise ValueError(
                f"{name} is a naive datetime ({value.isoformat()}); give it a timezone, e.g. "
                f"datetime(..., tzinfo=datetime.UTC), so that the server does not guess"
            )
        return value


@attrs.frozen
class Count:
    """A whole number of at least `minimum` (a bool is not one, though Python counts it as an int)."""

    minimum: int = 1
    accepts: ClassVar[Any] = int | None

    def check(self, name: str, value: object) -> Any:
        if value is None:
            return UNSET
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value < self.minimum:
            raise ValueError(f"{name} must be >= {self.minimum}, got {value}")
        return value


@attrs.frozen
class OneOf:
    """One of the spec's enum values, case and all. The generated enum keeps values it does not know (so that a
    newer server's responses are read); a value sent is checked against the members the spec declares."""

    enum: type[enum.Enum]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(str(member.value) for member in self.enum)

    @property
    def accepts(self) -> Any:
        """A member, or its value as a string literal (so that a type checker catches a misspelt one)."""
        return self.enum | Literal[self.values] | None

    def check(self, name: str, value: object) -> Any:
        if value is None:
            return UNSET
        if not isinstance(value, str) or value not in self.values:
            raise ValueError(f"{name} must be one of {', '.join(self.values)}; got {value!r}")
        return self.enum(value)


@attrs.frozen
class Identifier:
    """A UUID, as the spec declares; `as_given`: any string is sent unchanged, for an API whose ids of this kind
    are not all UUIDs (v2's project ids are `prj-...`, though its spec says uuid), else a string must parse."""

    as_given: bool
    accepts: ClassVar[Any] = str | UUID | None

    def check(self, name: str, value: object) -> Any:
        if value is None:
            return UNSET
        if isinstance(value, UUID) or (self.as_given and isinstance(value, str)):
            return value
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str or UUID, got {type(value).__name__}")
        try:
            return UUID(value)
        except ValueError:
            raise ValueError(f"{name} must be a UUID (the API refuses anything else), got {value!r}") from None


Kind = Text | Texts | Moment | Count | OneOf | Identifier


def kind_of(name: str, annotation: Any, *, uuids_as_given: bool) -> Kind:
    """The kind a generated keyword's annotation (`None | str | Unset`, ...) stands for."""
    sent = [t for t in _members(annotation) if t is not type(None) and t is not Unset]
    match sent:
        case [builtin] if builtin is str:
            return Text()
        case [builtin] if builtin is int:
            return Count()
        case [builtin] if builtin is datetime.datetime:
            return Moment()
        case [builtin] if builtin is UUID:
            return Identifier(as_given=uuids_as_given)
        case [listed] if listed == list[str]:
            return Texts()
        case [member] if isinstance(member, type) and issubclass(member, enum.Enum):
            return OneOf(member)
    raise TypeError(f"the client has no check for the parameter {name!r} of type {annotation}: add one to {__name__}")


def _members(annotation: Any) -> tuple[Any, ...]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    return (annotation,)


@attrs.frozen
class Keyword:
    """A keyword argument of a client method that fills a parameter of the generated operation."""

    name: str
    """As the caller gives it."""
    parameter: str
    """The generated operation's keyword (the spec's name) it fills: `name` itself, or for a newer name the client
    accepts (see `renames`), the spec's."""
    kind: Kind
    newer: str | None = None
    """For a spec name the API has renamed since: the newer name, which fills the same parameter."""

    def check(self, value: object) -> Any:
        """What the generated operation takes for `value` (UNSET for None); a bad one raises, naming `name`."""
        return self.kind.check(self.name, value)


def keywords(
    get_kwargs: Callable[..., Any],
    *,
    ignored: Iterable[str],
    newer_names: Mapping[str, str],
    uuids_as_given: bool,
) -> dict[str, Keyword]:
    """Every keyword a generated operation takes, in its order, but the `ignored` ones (a cookie no API client
    sends); each newer name a parameter has since the spec (`newer_names`, spec name -> newer name) comes just
    before the spec's name, filling the same parameter."""
    hints = typing.get_type_hints(get_kwargs)
    found: dict[str, Keyword] = {}
    for name in inspect.signature(get_kwargs).parameters:
        if name in ignored:
            continue
        kind = kind_of(name, hints[name], uuids_as_given=uuids_as_given)
        newer = newer_names.get(name)
        if newer is not None:
            found[newer] = Keyword(newer, name, kind)
        found[name] = Keyword(name, name, kind, newer)
    return found


def query(known: Mapping[str, Keyword], arguments: Mapping[str, Any], *, method: str) -> dict[str, Any]:
    """The generated operation's keyword arguments for a call's `arguments`, each checked; None leaves a parameter
    out. An argument that is no keyword of `known` is a TypeError, as Python's own for a misspelt keyword; a
    parameter given under both of its names takes one value, else a ValueError says to use the newer name."""
    checked: dict[str, Any] = {}
    given: dict[str, Keyword] = {}
    for name, value in arguments.items():
        keyword = known.get(name)
        if keyword is None:
            raise TypeError(f"{method}() got an unexpected keyword argument {name!r}")
        sent = keyword.check(value)
        if sent is UNSET:
            continue
        other = given.setdefault(keyword.parameter, keyword)
        if other is not keyword and checked[keyword.parameter] != sent:
            new, old = (keyword, other) if other.newer else (other, keyword)
            raise ValueError(
                f"{new.name}={arguments[new.name]!r} and {old.name}={arguments[old.name]!r} disagree; "
                f"{old.name} is the old name of {new.name}: give only {new.name}"
            )
        checked[keyword.parameter] = sent
    return checked
