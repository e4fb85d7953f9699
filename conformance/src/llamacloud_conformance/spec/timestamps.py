"""RFC 3339 date-times as integer nanoseconds since the epoch.

Filters and ordering compare instants, not strings: `2026-01-01T01:00:00+01:00` and `2026-01-01T00:00:00Z` are the
same moment. Integers keep every digit a client sends (Python's datetime stops at microseconds, which would make
an inclusive bound like `...:00.0000001Z` include a job from the microsecond before it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", re.ASCII)
_NAIVE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?", re.ASCII)
_NS = 1_000_000_000
_EPOCH = dt.datetime(1970, 1, 1)
_MICROSECOND = dt.timedelta(microseconds=1)


class TimestampError(ValueError):
    """Not an RFC 3339 date-time; `naive` tells a date-time that lacks only its offset."""

    def __init__(self, message: str, *, naive: bool = False) -> None:
        super().__init__(message)
        self.naive = naive


def parse_ns(text: str, *, round_up: bool = False) -> int:
    """Nanoseconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time (the spec's `format: date-time`).

    Digits past the ninth fractional one are dropped, or, with `round_up`, round the instant up to the next
    nanosecond, so that a lower bound never admits an earlier instant.
    """
    if len(text) == 27 and _CANONICAL.fullmatch(text) and text[11:13] < "24":
        # The spelling servers (and the mock) write, `2026-03-28T12:00:00.123456Z`, read by the C parser: a
        # million-job dataset reads a million of them. A date it refuses goes the long way, for the message.
        try:
            return (dt.datetime.fromisoformat(text[:26]) - _EPOCH) // _MICROSECOND * 1000
        except ValueError:
            pass
    return _parse(text, round_up)


def _parse(text: str, round_up: bool) -> int:
    match = _RFC3339.fullmatch(text)
    if match is None:
        if _NAIVE.fullmatch(text):
            raise TimestampError("a date-time needs a timezone offset (Z or +HH:MM)", naive=True)
        raise TimestampError("not an RFC 3339 date-time such as 2026-03-28T12:00:00Z")
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    if year == 0 or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise TimestampError("the date does not exist")
    if hour > 23 or minute > 59 or second > 59:
        raise TimestampError("the time of day is out of range")
    offset = 0
    if match.group(9):
        off_hours, off_minutes = int(match.group(10)), int(match.group(11))
        if off_hours > 23 or off_minutes > 59:
            raise TimestampError("the timezone offset is out of range")
        offset = (off_hours * 60 + off_minutes) * 60 * (1 if match.group(9) == "+" else -1)
    fraction = match.group(7) or ""
    nanos = int((fraction[:9]).ljust(9, "0"))
    if round_up and fraction[9:].strip("0"):
        nanos += 1
    seconds = calendar.timegm((year, month, day, hour, minute, second)) - offset
    return seconds * _NS + nanos
