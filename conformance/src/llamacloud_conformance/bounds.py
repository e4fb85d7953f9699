"""How much a caller may ask of the kit, and the checks that hold a value to it.

Every input that reaches the mock from outside its own process (the admin API, fault rules, the `X-Mock-Fault`
header, the command line) is bounded here, once, so that no request can make the server allocate gigabytes,
block its event loop for minutes, or fail with a traceback; the conformance command's options that feed the
mock (the seed) take the same bounds. `conformance/README.md` lists them; a test keeps that table equal to
these constants. (Not inside `mock/`: a run against a deployment never imports the server's package.)

The checks name a problem as pydantic does (`type`, `msg`, `ctx`), so that the admin API answers with
FastAPI's 422 shape and the Python API raises with the same words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from .spec.query import ValueProblem

# A big dataset is packed (mock/table.py): about 30 us of CPU and 1.8 KiB of memory per job to make and index,
# so 1,000,000 jobs take about 35 s and 1.8 GiB (bench/RESULTS.md, the big account). That is the largest account
# the bench stages, and the most a mock is asked to hold.
MAX_JOBS = 1_000_000
MAX_RUNS = 100_000
MAX_SEED = 2**63 - 1  # fits a signed 64-bit integer, so any language can send it
MAX_PORT = 65_535
MAX_ADMIN_BODY = 64 * 1024  # bytes; a dataset request is a few dozen, a full set of fault rules a few KiB
MAX_ARMED_RULES = 32
MAX_HEADER_FAULTS = 8
MAX_DELAY = 600.0  # seconds a latency rule may hold a request
MAX_RETRY_AFTER = 86_400  # seconds; one day
MAX_COUNT = 1_000_000_000  # firings of a rule, and bytes of a truncated body
MAX_TEXT = 256  # characters of a path glob, a Retry-After text, an API key or an admin token
MIN_STATUS, MAX_STATUS = 400, 599

_VISIBLE = re.compile(r"[!-~]+", re.ASCII)  # printable ASCII without spaces: what a header token may hold
_HEADER_TEXT = re.compile(r"[ -~]+", re.ASCII)  # printable ASCII: what a header value may hold


def whole(value: Any, low: int, high: int) -> int:
    """A JSON integer from `low` to `high` (a float with no fractional part counts, as pydantic's lax mode has
    it; booleans and strings do not)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem("finite_number", "Input should be a finite number")
        if not value.is_integer():
            raise ValueProblem("int_from_float", "Input should be a valid integer, got a number with a fractional part")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueProblem("int_type", "Input should be a valid integer")
    _within(value, low, high)
    return value


def number(value: Any, low: float, high: float) -> float:
    """A finite JSON number from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem("float_type", "Input should be a valid number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueProblem("finite_number", "Input should be a finite number")
    _within(value, low, high)
    return float(value)


def text(value: Any, max_length: int = MAX_TEXT, *, spaces: bool = False) -> str:
    """A string of 1 to `max_length` printable ASCII characters (with spaces only if `spaces`): what can travel in
    an HTTP header and be printed on one line."""
    if not isinstance(value, str):
        raise ValueProblem("string_type", "Input should be a valid string")
    if not value:
        raise ValueProblem("string_too_short", "String should have at least 1 character", {"min_length": 1})
    if len(value) > max_length:
        raise ValueProblem(
            "string_too_long", f"String should have at most {max_length} characters", {"max_length": max_length}
        )
    pattern = _HEADER_TEXT if spaces else _VISIBLE
    if not pattern.fullmatch(value):
        what = "printable ASCII characters" if spaces else "printable ASCII characters without spaces"
        raise ValueProblem("string_pattern_mismatch", f"String should consist of {what}", {"pattern": pattern.pattern})
    return value


def one_of(value: Any, options: Sequence[str]) -> str:
    quoted = [f"'{o}'" for o in options]
    expected = ", ".join(quoted[:-1]) + f" or {quoted[-1]}"
    if not isinstance(value, str) or value not in options:
        raise ValueProblem("enum", f"Input should be {expected}", {"expected": expected})
    return value


def _within(value: int | float, low: float, high: float) -> None:
    if value < low:
        raise ValueProblem("greater_than_equal", f"Input should be greater than or equal to {_show(low)}", {"ge": low})
    if value > high:
        raise ValueProblem("less_than_equal", f"Input should be less than or equal to {_show(high)}", {"le": high})


def _show(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"


def _json_safe(value: Any) -> Any:
    """`value` with every infinity and NaN as its name: JSON has none, but `1e400` or `NaN` in a body are read as
    one, at any depth, and the answer that echoes them must still be JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def error(loc: Sequence[str | int], value: Any, problem: ValueProblem) -> dict[str, Any]:
    """One entry of FastAPI's 422 `detail`."""
    entry: dict[str, Any] = {"type": problem.type, "loc": list(loc), "msg": problem.msg, "input": _json_safe(value)}
    if problem.ctx:
        entry["ctx"] = problem.ctx
    return entry
