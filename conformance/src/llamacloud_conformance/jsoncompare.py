"""Comparing JSON that went through a client and back: equal, but for the documented normalisations.

A parsed date-time may come back spelled differently (`Z` becomes `+00:00`, fraction digits padded to six) as
long as the instant and the offset are the same, and a UUID comes back in lower case. `same_json` accepts
exactly those, and only where the two sides differ.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

__all__ = ["same_json"]


def _as_datetime(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def same_json(expected: Any, actual: Any, at: str = "$") -> None:
    """Assert equal JSON, allowing only the documented date-time and UUID normalisations."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        assert expected.keys() == actual.keys(), f"{at}: keys {sorted(expected)} != {sorted(actual)}"
        for key in expected:
            same_json(expected[key], actual[key], f"{at}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        assert len(expected) == len(actual), f"{at}: {len(expected)} items != {len(actual)}"
        for index, (one, other) in enumerate(zip(expected, actual, strict=True)):
            same_json(one, other, f"{at}[{index}]")
    elif isinstance(expected, str) and isinstance(actual, str) and expected != actual:
        _same_normalised_string(expected, actual, at)
    else:
        assert type(expected) is type(actual), f"{at}: {expected!r} != {actual!r}"
        assert expected == actual, f"{at}: {expected!r} != {actual!r}"


def _same_normalised_string(expected: str, actual: str, at: str) -> None:
    moment, written = _as_datetime(expected), _as_datetime(actual)
    if moment is not None and written is not None:
        assert moment == written, f"{at}: {expected!r} and {actual!r} are different instants"
        assert moment.utcoffset() == written.utcoffset(), f"{at}: the offset of {expected!r} is lost in {actual!r}"
        return
    uuid = _as_uuid(expected)
    assert uuid is not None, f"{at}: {expected!r} != {actual!r}"
    assert actual == str(uuid), f"{at}: {expected!r} should come back as {str(uuid)!r}, not {actual!r}"
