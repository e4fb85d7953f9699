"""Whether what a generated model's `from_dict` built is what the spec allows: a check compiled once per class
from the generated classes' own annotations, so that it follows the spec when the package is regenerated.

The generated `from_dict` trusts the server: it stores a number where a string belongs as it is, passes a value
that matches no branch of an `anyOf` through raw, and leaves a required field that is absent `UNSET` (our model
template's choice: openapi/templates/model.py.jinja; `overlay/tests/test_generated_weak_spots.py` shows each on
the generated code). The check finds each such value, with the path to it. An absent required field is spec
drift, not an error, unless the caller is strict; when the API has renamed the field (`renames`), its value is
read from the newer name. Unknown fields and unknown enum values, which the generated code keeps, pass.
"""

from __future__ import annotations

import datetime
import functools
import re
import sys
import types
import typing
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any

import attrs

import llamacloud_extract_api.models as generated_models
from llamacloud_extract_api.types import UNSET, Unset

from ._drift import Drift
from .renames import RENAMES

Missing = list[Drift]
"""The required fields found UNSET while checking one item."""
Check = Callable[[object, str, "Missing | None"], None]
PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)
"""What a generated `from_dict` raises on a value it cannot read."""
_SCALARS = (str, int, float, bool, datetime.datetime, datetime.date, uuid.UUID, type(None), Unset)


class Invalid(Exception):
    """A problem found deep in a response, with the path to it; the reader makes it a ResponseValidationError."""


def conforms(model: object) -> bool:
    """Whether a generated model holds exactly what its spec allows, every required field present."""
    try:
        checker(type(model))(model, "", None)
    except Invalid:
        return False
    return True


_INDEXES = re.compile(r"\[\d+\]")


@functools.lru_cache(maxsize=4096)
def _drift(cls: type, path: str, name: str, read_from: str | None) -> Drift:
    """The kind of drift of an absent field: the same object for every item (this runs once per drifted item)."""
    return Drift(cls.__name__, _INDEXES.sub("[]", f"{path}.{_json_name(name)}").lstrip("."), read_from)


def _json_name(name: str) -> str:
    """The spec's name of a generated attribute: the generator adds `_` to names Python reserves (`type_`)."""
    return name[:-1] if name.endswith("_") else name


# ---- the type check -----------------------------------------------------------------------------------------
#
# For each generated class, the check is compiled once into straight-line code, one test per field:
#
#     value = obj.id
#     if value.__class__ is not only_0: fail(obj, path, 'id', value, allowed_0, missing)
#
# Exact classes, not isinstance: JSON decoding makes no subclasses, and `True` is then no `int`. Unknown enum
# values are instances of their enum class (the templates' `_missing_`), so they pass. This runs for every
# item of every page, which is why it is compiled rather than interpreted from a table; only a value that does
# not pass goes on to `_fail`, which tells a wrong value (raised) from an absent required field (drift).

_CHECKERS: dict[type, Check] = {}


def checker(cls: type) -> Check:
    """A function `check(obj, path, missing)` for instances of the generated attrs class `cls` (and anything
    nested in it): it raises `Invalid` for a value its annotation does not allow, and for an absent (UNSET)
    required field unless `missing` is a list, to which it then appends the field. Built once per class."""
    found = _CHECKERS.get(cls)
    if found is None:
        _CHECKERS[cls] = _pending(cls)  # a model that contains itself finds this while being built
        found = _CHECKERS[cls] = _compile(cls)
    return found


def _pending(cls: type) -> Check:
    return lambda value, path, missing: checker(cls)(value, path, missing)


def _compile(cls: type) -> Check:
    namespace: dict[str, Any] = {"fail": _failure(cls)}
    lines = ["def check(obj, path, missing):"]
    for index, (name, (allowed, nested)) in enumerate(_rules(cls).items()):
        if allowed is None:
            continue
        namespace[f"allowed_{index}"] = allowed
        lines.append(f"    value = obj.{name}")
        failing = f"fail(obj, path, {name!r}, value, allowed_{index}, missing)"
        if len(allowed) == 1:
            namespace[f"only_{index}"] = next(iter(allowed))
            lines.append(f"    if value.__class__ is not only_{index}: {failing}")
        else:
            lines.append(f"    if value.__class__ not in allowed_{index}: {failing}")
        for position, (kind, check) in enumerate(nested.items()):
            namespace[f"kind_{index}_{position}"] = kind
            namespace[f"check_{index}_{position}"] = check
            lines.append(
                f"    if value.__class__ is kind_{index}_{position}: "
                f"check_{index}_{position}(value, path + {'.' + name!r}, missing)"
            )
    lines.append("    return None")
    exec(compile("\n".join(lines), f"<type check of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    return typing.cast(Check, namespace["check"])


_Rule = tuple[frozenset[type] | None, dict[type, Check]]


@functools.cache
def _rules(cls: type) -> dict[str, _Rule]:
    """Each field of `cls` (but `additional_properties`): the classes its value may have, and nested checks."""
    hints = typing.get_type_hints(cls, globalns=vars(sys.modules[cls.__module__]), localns=dict(vars(generated_models)))
    return {
        field.name: _allowed(hints[field.name]) for field in attrs.fields(cls) if field.name != "additional_properties"
    }


def _allowed(hint: Any) -> _Rule:
    """The exact classes a value annotated `hint` may have (None: anything), and checks for the nested ones."""
    if hint is Any:
        return None, {}
    allowed: set[type] = set()
    nested: dict[type, Check] = {}
    for part in typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,):
        origin = typing.get_origin(part)
        if origin is list:
            allowed.add(list)
            (element,) = typing.get_args(part)
            nested[list] = _list_checker(element)
        elif origin is dict or part is dict:
            allowed.add(dict)
        elif part is float:
            allowed |= {float, int}  # JSON has one number type: 1 is a valid `number`
        elif isinstance(part, type) and attrs.has(part):
            allowed.add(part)
            nested[part] = checker(part)
        elif isinstance(part, type) and (issubclass(part, Enum) or part in _SCALARS):
            allowed.add(part)
        else:
            return None, {}  # Any, or something this check does not understand: left alone, not rejected
    return frozenset(allowed), nested


def _list_checker(element: Any) -> Check:
    allowed, nested = _allowed(element)

    def check(values: object, path: str, missing: Missing | None) -> None:
        if allowed is None:
            return
        for index, value in enumerate(typing.cast(list[object], values)):
            if value.__class__ not in allowed:
                _wrong(f"{path}[{index}]", value, allowed)
            sub = nested.get(value.__class__)
            if sub is not None:
                sub(value, f"{path}[{index}]", missing)

    return check


# ---- what a failed check means --------------------------------------------------------------------------------


def _failure(cls: type) -> Callable[..., None]:
    """`fail(obj, path, name, value, allowed, missing)` for the compiled check of `cls`: a wrong value raises;
    an absent (UNSET) required field raises in strict mode (`missing` None), else it is read from its newer
    name if the API renamed it and the item has that, and noted in `missing`. Runs once per drifted field of
    every drifted item (each item of a newer server's listing), so the common case is kept short."""
    readers = {name: _reader(cls, name, newer) for name, newer in _renamed_fields(cls).items()}

    def fail(obj: Any, path: str, name: str, value: object, allowed: frozenset[type], missing: Missing | None) -> None:
        if value is not UNSET:
            _wrong(f"{path}.{name}", value, allowed)
        if missing is None:
            raise Invalid(f"{path} lacks the required field {_json_name(name)!r}")
        reader = readers.get(name)
        missing.append(_drift(cls, path, name, None if reader is None else reader(obj, path, missing)))

    return fail


def _renamed_fields(cls: type) -> dict[str, str]:
    """attribute name -> newer JSON name, for the fields of `cls` the API has renamed (`renames.RENAMES`)."""
    attributes = {_json_name(field.name): field.name for field in attrs.fields(cls)}
    found = {}
    for (schema, old), new in RENAMES.items():
        if schema == cls.__name__:
            if old not in attributes:
                raise LookupError(f"renames.RENAMES names {schema}.{old}, a field {schema} does not have")
            found[attributes[old]] = new
    return found


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""JSON values a generated `from_dict` stores as they are, when the annotation allows them."""


def _reader(cls: type, name: str, newer: str) -> Callable[[Any, str, Missing], str | None]:
    """`read(obj, path, missing)`: fill the absent field `name` of `obj` from the value the server sent under
    its newer name, built and checked as the field itself would be, and return that name; None when the item
    has no such value. A value of the wrong type is an error."""
    allowed, nested = _rules(cls)[name]
    plain = allowed is not None and allowed <= _PLAIN

    def read(obj: Any, path: str, missing: Missing) -> str | None:
        extra: dict[str, Any] = getattr(obj, "additional_properties", {})
        value = extra.get(newer, UNSET)
        if value is UNSET:
            return None
        if not (plain and value.__class__ in allowed):  # type: ignore[operator]
            value = _built(cls, name, value, f"{path}.{newer} (the newer name of {_json_name(name)!r})")
            check = nested.get(value.__class__)
            if check is not None:
                check(value, f"{path}.{name}", missing)
        setattr(obj, name, value)
        return newer

    return read


def _built(cls: type, name: str, sent: object, where: str) -> Any:
    """What `cls.from_dict` makes of `sent` as the field `name` (every other field absent), checked."""
    try:
        value = getattr(cls.from_dict({_json_name(name): sent}), name)  # type: ignore[attr-defined]
    except PARSE_ERRORS as exc:
        raise Invalid(f"{where} cannot be read: {type(exc).__name__}: {exc}") from None
    allowed, _ = _rules(cls)[name]
    if allowed is not None and value.__class__ not in allowed:
        _wrong(where, value, allowed)
    return value


def _wrong(where: str, value: object, allowed: frozenset[type]) -> typing.NoReturn:
    shown = sorted("absent" if t is Unset else "null" if t is type(None) else t.__name__ for t in allowed)
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    raise Invalid(f"{where}: expected {' or '.join(shown)}, got {type(value).__name__} {text}")
