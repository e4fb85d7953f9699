"""Reading a 200 response: JSON, then the generated models' `from_dict`, then a type check of what they built.

The generated `from_dict` trusts the server (tooling-notes §1.5): a missing key is a bare `KeyError`, a number
where a string belongs is stored as is, a value that matches no branch of an `anyOf` is passed through raw. This
module turns each of those into a `ResponseValidationError` that says which item and which field was wrong.

The type check is derived from the generated classes' own annotations, so it follows the spec when the package
is regenerated, and unknown fields and unknown enum values (which the generated code keeps) still pass.
"""

from __future__ import annotations

import datetime
import json
import sys
import types
import typing
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import attrs
import httpx

import llamacloud_extract_api.models as generated_models
from llamacloud_extract_api.types import Unset

from ._errors import ResponseValidationError, decode_body, public_url

M = TypeVar("M")
_Check = Callable[[object, str], None]
_PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)
_SCALARS = (str, int, float, bool, datetime.datetime, datetime.date, uuid.UUID, type(None), Unset)


class _Invalid(Exception):
    """A problem found deep in a response, with the path to it; becomes a ResponseValidationError."""


def invalid(response: httpx.Response, problem: str) -> ResponseValidationError:
    method, url = response.request.method, public_url(response.request.url)
    return ResponseValidationError(
        f"{method} {url} returned {response.status_code} with a body that does not match the API spec: {problem}",
        method=method,
        url=url,
        status_code=response.status_code,
        body=decode_body(response),
    )


def json_body(response: httpx.Response) -> Any:
    """The decoded JSON body of a 2xx response."""
    try:
        return json.loads(response.content)
    except ValueError as exc:
        content_type = response.headers.get("content-type", "no content-type")
        raise invalid(response, f"the body is not JSON ({content_type}; {exc})") from None


def page_fields(response: httpx.Response, data: Any) -> tuple[list[Any], str | None, int | None]:
    """`items`, `next_page_token` and `total_size` of an `ExtractV2JobQueryResponse`, shape-checked."""
    if not isinstance(data, dict):
        raise invalid(response, f"expected a JSON object with 'items', got {type(data).__name__}")
    items = data.get("items")
    if not isinstance(items, list):
        got = "no 'items' key" if "items" not in data else f"'items' is {type(items).__name__}"
        raise invalid(response, f"expected 'items' to be a list, {got}")
    token = data.get("next_page_token")
    if token is not None and not isinstance(token, str):
        raise invalid(response, f"'next_page_token' must be a string or null, got {type(token).__name__}")
    total = data.get("total_size")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool)):
        raise invalid(response, f"'total_size' must be an integer or null, got {type(total).__name__}")
    return items, token, total


def array_items(response: httpx.Response, data: Any) -> list[Any]:
    """The elements of a bare JSON array response."""
    if not isinstance(data, list):
        raise invalid(response, f"expected a JSON array, got {type(data).__name__}")
    return data


def raw_items(response: httpx.Response, items: list[Any], what: str) -> list[dict[str, Any]]:
    """`items` unchanged once every element is known to be a JSON object (all that raw mode checks)."""
    for index, item in enumerate(items):
        if type(item) is not dict:
            raise invalid(response, f"{what}[{index}] must be a JSON object, got {type(item).__name__}")
    return items


def models(response: httpx.Response, cls: type[M], items: list[Any], what: str) -> list[M]:
    """Each element built with the generated `cls.from_dict`, then checked against `cls`'s annotations."""
    from_dict: Callable[[Any], M] = cls.from_dict  # type: ignore[attr-defined]
    check = checker(cls)
    built: list[M] = []
    append = built.append
    for index, item in enumerate(items):
        if type(item) is not dict:
            raise invalid(response, f"{what}[{index}] must be a JSON object, got {type(item).__name__}")
        try:
            model = from_dict(item)
            check(model, "")
        except _Invalid as exc:
            raise invalid(response, f"{what}[{index}]{exc}") from None
        except KeyError as exc:
            raise invalid(response, f"{what}[{index}] lacks the required field {exc}") from None
        except _PARSE_ERRORS as exc:
            raise invalid(response, f"{what}[{index}] cannot be read: {type(exc).__name__}: {exc}") from None
        append(model)
    return built


# ---- the type check -----------------------------------------------------------------------------------------
#
# For each generated class, the check is compiled once into straight-line code, one test per field:
#
#     value = obj.id
#     if value.__class__ is not str: fail(path, 'id', value, allowed_0)
#
# Exact classes, not isinstance: JSON decoding makes no subclasses, and `True` is then no `int`. Unknown enum
# values are instances of their enum class (the templates' `_missing_`), so they pass. This runs for every
# item of every page, which is why it is compiled rather than interpreted from a table.

_CHECKERS: dict[type, _Check] = {}


def checker(cls: type) -> _Check:
    """A function that raises `_Invalid` when an instance of the generated attrs class `cls` (or anything
    nested in it) holds a value its annotation does not allow. Built once per class."""
    found = _CHECKERS.get(cls)
    if found is None:
        _CHECKERS[cls] = _pending(cls)  # a model that contains itself finds this while being built
        found = _CHECKERS[cls] = _compile(cls)
    return found


def _pending(cls: type) -> _Check:
    return lambda value, path: checker(cls)(value, path)


def _compile(cls: type) -> _Check:
    hints = typing.get_type_hints(cls, globalns=vars(sys.modules[cls.__module__]), localns=dict(vars(generated_models)))
    namespace: dict[str, Any] = {"fail": _fail}
    lines = ["def check(obj, path):"]
    for index, field in enumerate(attrs.fields(cls)):
        allowed, nested = _allowed(hints[field.name])
        if field.name == "additional_properties" or allowed is None:
            continue
        namespace[f"allowed_{index}"] = allowed
        lines.append(f"    value = obj.{field.name}")
        if len(allowed) == 1:
            namespace[f"only_{index}"] = next(iter(allowed))
            lines.append(
                f"    if value.__class__ is not only_{index}: fail(path, {field.name!r}, value, allowed_{index})"
            )
        else:
            lines.append(
                f"    if value.__class__ not in allowed_{index}: fail(path, {field.name!r}, value, allowed_{index})"
            )
        for position, (kind, check) in enumerate(nested.items()):
            namespace[f"kind_{index}_{position}"] = kind
            namespace[f"check_{index}_{position}"] = check
            lines.append(
                f"    if value.__class__ is kind_{index}_{position}: "
                f"check_{index}_{position}(value, path + {'.' + field.name!r})"
            )
    lines.append("    return None")
    exec(compile("\n".join(lines), f"<type check of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    return typing.cast(_Check, namespace["check"])


def _allowed(hint: Any) -> tuple[frozenset[type] | None, dict[type, _Check]]:
    """The exact classes a value annotated `hint` may have (None: anything), and checks for the nested ones."""
    if hint is Any:
        return None, {}
    allowed: set[type] = set()
    nested: dict[type, _Check] = {}
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


def _list_checker(element: Any) -> _Check:
    allowed, nested = _allowed(element)

    def check(values: object, path: str) -> None:
        if allowed is None:
            return
        for index, value in enumerate(typing.cast(list[object], values)):
            if value.__class__ not in allowed:
                _fail(path, index, value, allowed)
            sub = nested.get(value.__class__)
            if sub is not None:
                sub(value, f"{path}[{index}]")

    return check


def _fail(path: str, name: str | int, value: object, allowed: frozenset[type]) -> None:
    where = f"{path}[{name}]" if isinstance(name, int) else f"{path}.{name}"
    shown = sorted("absent" if t is Unset else "null" if t is type(None) else t.__name__ for t in allowed)
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    raise _Invalid(f"{where}: expected {' or '.join(shown)}, got {type(value).__name__} {text}")
