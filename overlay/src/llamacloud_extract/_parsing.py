"""Reading a 200 response: JSON, its shape, then the generated models' `from_dict` and the check (`_conforms`) of
what they built; a wrong value becomes a `ResponseValidationError` that says which item and which field was
wrong, always. An absent required field is spec drift: in strict mode an error too; otherwise it is recorded, so
that the listing can report it once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from ._conforms import PARSE_ERRORS, Invalid, Missing, checker
from ._drift import Found
from ._errors import ResponseValidationError, decode_body, public_url

M = TypeVar("M")


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


def models(response: httpx.Response, cls: type[M], items: list[Any], what: str, found: Found | None) -> list[M]:
    """Each element built with the generated `cls.from_dict`, then checked against `cls`'s annotations.

    `found` None is strict mode: an absent required field raises. Otherwise each item's drift is appended to
    `found` as (index, Drift), and the item is kept."""
    from_dict: Callable[[Any], M] = cls.from_dict  # type: ignore[attr-defined]
    check = checker(cls)
    missing: Missing | None = None if found is None else []
    built: list[M] = []
    append = built.append
    for index, item in enumerate(items):
        if type(item) is not dict:
            raise invalid(response, f"{what}[{index}] must be a JSON object, got {type(item).__name__}")
        try:
            model = from_dict(item)
            check(model, "", missing)
        except Invalid as exc:
            raise invalid(response, f"{what}[{index}]{exc}") from None
        except PARSE_ERRORS as exc:
            raise invalid(response, f"{what}[{index}] cannot be read: {type(exc).__name__}: {exc}") from None
        if missing:
            if len(missing) == 1:
                found.append((index, missing[0]))  # type: ignore[union-attr]
            else:  # once per kind: list positions do not count (`extract_result[].x` is one field)
                found.extend((index, drift) for drift in dict.fromkeys(missing))  # type: ignore[union-attr]
            missing.clear()
        append(model)
    return built
