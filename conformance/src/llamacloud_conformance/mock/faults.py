"""Fault rules: what can go wrong on the way to the API, when, and how often.

A rule is data (so it travels over HTTP as JSON, and in the `X-Mock-Fault` header as text); a FaultPlan holds the
rules a server is armed with, counts them down, and draws their seeded randomness. Acting a fault out on the
wire is the front door's job (`frontdoor.py`).
"""

from __future__ import annotations

import fnmatch
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .. import bounds
from ..spec.query import ValueProblem

FAULT_KINDS = ("latency", "status", "drop", "truncate")
FAULT_HEADER = "x-mock-fault"


class FaultSpecError(ValueError):
    """A fault rule, or an `X-Mock-Fault` header, that cannot be understood; the message says what is wrong.

    `problems` names each bad field of a rule as (field, the value given, what is wrong with it), for the admin
    API's 422."""

    def __init__(self, message: str, problems: Sequence[tuple[str, Any, ValueProblem]] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


def _retry_after(value: Any) -> float | str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return bounds.text(value, spaces=True)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(
            "retry_after_type",
            f"Input should be seconds (a number from 0 to {bounds.MAX_RETRY_AFTER}) or a header value (text)",
        )
    return bounds.number(value, 0, bounds.MAX_RETRY_AFTER)


def _optional_whole(high: int) -> Callable[[Any], int | None]:
    return lambda value: None if value is None else bounds.whole(value, 0, high)


# What each field of a rule may hold: one table for the Python API (attrs validators) and the admin API.
_FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "kind": lambda value: bounds.one_of(value, FAULT_KINDS),
    "delay": lambda value: bounds.number(value, 0, bounds.MAX_DELAY),
    "status_code": lambda value: bounds.whole(value, bounds.MIN_STATUS, bounds.MAX_STATUS),
    "retry_after": _retry_after,
    "truncate_at": _optional_whole(bounds.MAX_COUNT),
    "count": _optional_whole(bounds.MAX_COUNT),
    "rate": lambda value: None if value is None else bounds.number(value, 0, 1),
    "seed": lambda value: bounds.whole(value, 0, bounds.MAX_SEED),
    "path": lambda value: bounds.text(value),
}


def _checked(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    try:
        _FIELD_CHECKS[attribute.name](value)
    except ValueProblem as problem:
        message = f"{attribute.name}: {problem.msg}, got {value!r:.60}"
        raise FaultSpecError(message, [(attribute.name, value, problem)]) from None


@attrs.frozen
class FaultRule:
    """One fault, and which requests it hits.

    kind: `latency` (wait `delay` seconds, then answer normally; stacks with the others), `status` (answer
    `status_code` with a JSON `{"detail": ...}` body and, for 429 or when `retry_after` is set, a Retry-After
    header), `drop` (close the connection without a byte of response) or `truncate` (send the headers and the
    first `truncate_at` bytes of the real body, default half, then close).

    Which requests: those whose path matches `path` (a glob; default every API path). With `count`, only the
    next `count` of them; with `rate`, each with that probability, drawn from `random.Random(seed)` so a run is
    repeatable; with both, at most `count` firings at that rate; with neither, every one.
    """

    kind: str = attrs.field(validator=_checked)
    delay: float = attrs.field(default=0.0, validator=_checked)
    status_code: int = attrs.field(default=503, validator=_checked)
    retry_after: float | str | None = attrs.field(default=None, validator=_checked)
    truncate_at: int | None = attrs.field(default=None, validator=_checked)
    count: int | None = attrs.field(default=None, validator=_checked)
    rate: float | None = attrs.field(default=None, validator=_checked)
    seed: int = attrs.field(default=0, validator=_checked)
    path: str = attrs.field(default="/api/*", validator=_checked)

    @classmethod
    def latency(cls, seconds: float, **options: Any) -> FaultRule:
        """Answer normally, `seconds` late."""
        return cls("latency", delay=seconds, **options)

    @classmethod
    def status(cls, code: int, *, retry_after: float | str | None = None, **options: Any) -> FaultRule:
        """Answer `code` (429, 500, 502, 503, ...) instead of the real response."""
        return cls("status", status_code=code, retry_after=retry_after, **options)

    @classmethod
    def drop(cls, **options: Any) -> FaultRule:
        """Close the connection without answering."""
        return cls("drop", **options)

    @classmethod
    def truncate(cls, at: int | None = None, **options: Any) -> FaultRule:
        """Send the first `at` bytes of the body (default half), then close the connection."""
        return cls("truncate", truncate_at=at, **options)

    def retry_after_header(self) -> str | None:
        """The Retry-After value to send: the rule's, else 1 second for a 429, else none."""
        value = self.retry_after if self.retry_after is not None else (1 if self.status_code == 429 else None)
        if value is None or isinstance(value, str):
            return value
        return str(int(value)) if float(value).is_integer() else repr(float(value))

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> FaultRule:
        """A rule from its JSON object (the field names of this class). Every problem is named at once: unknown
        fields, a missing kind, each field out of its bounds."""
        if not isinstance(data, Mapping):
            problem = ValueProblem("model_type", "Input should be a valid dictionary or object")
            raise FaultSpecError(f"a fault rule is a JSON object, got {type(data).__name__}", [("", data, problem)])
        problems: list[tuple[str, Any, ValueProblem]] = []
        if "kind" not in data:
            problems.append(("kind", dict(data), ValueProblem("missing", "Field required")))
        for name, value in data.items():
            check = _FIELD_CHECKS.get(name) if isinstance(name, str) else None
            if check is None:
                problems.append((str(name), value, ValueProblem("extra_forbidden", "Extra inputs are not permitted")))
                continue
            try:
                check(value)
            except ValueProblem as problem:
                problems.append((name, value, problem))
        if problems:
            said = "; ".join(f"{name}: {problem.msg}" for name, _, problem in problems)
            raise FaultSpecError(f"{said} (known fields: {', '.join(_FIELD_CHECKS)})", problems)
        return cls(**data)

    def describe(self) -> str:
        """A short label, used in the request log and the `X-Mock-Fault-Injected` response header."""
        if self.kind == "latency":
            return f"latency={self.delay:g}"
        if self.kind == "status":
            return f"status={self.status_code}"
        if self.kind == "truncate":
            return "truncate" if self.truncate_at is None else f"truncate={self.truncate_at}"
        return self.kind


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"{what} needs a number, got {text[:40]!r}") from None
    return value


_DIGITS = re.compile(r"[0-9]{1,10}", re.ASCII)  # int() of ten ASCII digits is cheap and cannot overflow a bound


def _whole(text: str, what: str) -> int:
    if not _DIGITS.fullmatch(text.strip()):
        raise FaultSpecError(f"{what} needs a whole number (at most 10 digits), got {text[:40]!r}")
    return int(text)


def parse_fault_header(value: str) -> list[FaultRule]:
    """The faults named by an `X-Mock-Fault` header, for this one request.

    Syntax: faults separated by commas, each `kind[=value]` with optional `;name=value` options, e.g.
    `latency=0.2`, `status=429;retry_after=2`, `drop`, `truncate=100`, `latency=0.05, status=503`.
    """
    rules: list[FaultRule] = []
    for part in value.split(","):
        if not part.strip():
            continue
        if len(rules) == bounds.MAX_HEADER_FAULTS:
            raise FaultSpecError(f"X-Mock-Fault names more than {bounds.MAX_HEADER_FAULTS} faults")
        head, *options = (piece.strip() for piece in part.split(";"))
        kind, _, argument = (s.strip() for s in head.partition("="))
        fields: dict[str, Any] = {}
        if kind == "latency":
            fields["delay"] = _number(argument, "latency")
        elif kind == "status":
            fields["status_code"] = _whole(argument, "status")
        elif kind == "truncate":
            fields["truncate_at"] = _whole(argument, "truncate") if argument else None
        elif kind == "drop":
            if argument:
                raise FaultSpecError("drop takes no value")
        else:
            raise FaultSpecError(f"unknown fault {kind[:40]!r} in X-Mock-Fault; known: {', '.join(FAULT_KINDS)}")
        for option in options:
            name, _, text = (s.strip() for s in option.partition("="))
            if name != "retry_after" or kind != "status":
                raise FaultSpecError(
                    f"unknown option {name[:40]!r} for {kind} in X-Mock-Fault (status takes retry_after)"
                )
            fields["retry_after"] = _number(text, "retry_after")
        rules.append(FaultRule(kind, **fields))
    if not rules:
        raise FaultSpecError("X-Mock-Fault names no fault")
    return rules


@attrs.frozen
class Decision:
    """What happens to one request: a total delay, then at most one fault that replaces the response."""

    delay: float = 0.0
    outcome: FaultRule | None = None
    applied: tuple[str, ...] = ()


class _Armed:
    def __init__(self, rule: FaultRule) -> None:
        self.rule = rule
        self.remaining = rule.count
        self.random = random.Random(rule.seed)  # noqa: S311 - a repeatable fault rate, not secrets


class FaultPlan:
    """The rules a server is armed with, in order; thread-safe, so tests can re-arm a running server."""

    def __init__(self, rules: Iterable[FaultRule] = ()) -> None:
        self._lock = threading.Lock()
        self._armed: list[_Armed] = []
        self.set(rules)

    def set(self, rules: Iterable[FaultRule]) -> None:
        """Replace every rule (counts and random sequences start afresh). Every request consults every rule, so
        there are at most `bounds.MAX_ARMED_RULES`."""
        armed = [_Armed(r) for r in rules]
        if len(armed) > bounds.MAX_ARMED_RULES:
            raise FaultSpecError(f"at most {bounds.MAX_ARMED_RULES} fault rules may be armed, got {len(armed)}")
        with self._lock:
            self._armed = armed

    def clear(self) -> None:
        self.set(())

    def snapshot(self) -> list[dict[str, Any]]:
        """The rules as JSON, each with how many firings it has left (`remaining`, null for unlimited)."""
        with self._lock:
            return [{**a.rule.to_json(), "remaining": a.remaining} for a in self._armed]

    def decide(self, path: str, per_request: Sequence[FaultRule] = ()) -> Decision:
        """The faults for one request: the header's first, then the armed rules in order.

        Every matching latency rule adds its delay; the first other rule that fires decides the outcome, and
        the rules after it are not consulted (their counts and random draws are left for later requests).
        """
        delay, outcome, applied = 0.0, None, []
        for rule in per_request:
            if rule.kind == "latency":
                delay += rule.delay
                applied.append(rule.describe())
            elif outcome is None:
                outcome = rule
                applied.append(rule.describe())
        if not self._armed:
            return Decision(delay, outcome, tuple(applied))
        with self._lock:
            for armed in self._armed:
                rule = armed.rule
                if (rule.kind != "latency" and outcome is not None) or not fnmatch.fnmatchcase(path, rule.path):
                    continue
                if armed.remaining == 0:
                    continue
                if rule.rate is not None and armed.random.random() >= rule.rate:
                    continue
                if armed.remaining is not None:
                    armed.remaining -= 1
                applied.append(rule.describe())
                if rule.kind == "latency":
                    delay += rule.delay
                else:
                    outcome = rule
        return Decision(delay, outcome, tuple(applied))
