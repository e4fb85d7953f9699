"""Fault rules: what can go wrong on the way to the API, when, and how often.

A rule is data (so it travels over HTTP as JSON, and in the `X-Mock-Fault` header as text); a FaultPlan holds the
rules a server is armed with, counts them down, and draws their seeded randomness. Acting a fault out on the
wire is the front door's job (`frontdoor.py`).
"""

from __future__ import annotations

import fnmatch
import math
import random
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

FAULT_KINDS = ("latency", "status", "drop", "truncate")
FAULT_HEADER = "x-mock-fault"


class FaultSpecError(ValueError):
    """A fault rule, or an `X-Mock-Fault` header, that cannot be understood; the message says what is wrong."""


def _check_kind(_: object, __: object, value: str) -> None:
    if value not in FAULT_KINDS:
        raise FaultSpecError(f"kind must be one of {', '.join(FAULT_KINDS)}, got {value!r}")


def _check_delay(_: object, __: object, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 600):
        raise FaultSpecError(f"delay must be a number of seconds from 0 to 600, got {value!r}")


def _check_status(_: object, __: object, value: int) -> None:
    if not (isinstance(value, int) and 400 <= value <= 599):
        raise FaultSpecError(f"status_code must be an HTTP error status (400-599), got {value!r}")


def _check_retry_after(_: object, __: object, value: float | str | None) -> None:
    if value is None or (isinstance(value, str) and value.isprintable() and value.strip()):
        return
    if isinstance(value, bool) or not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise FaultSpecError(f"retry_after must be seconds (>= 0) or a header value, got {value!r}")


def _check_count(_: object, __: object, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        raise FaultSpecError(f"count must be a whole number >= 0, got {value!r}")


def _check_rate(_: object, __: object, value: float | None) -> None:
    if value is not None and not (isinstance(value, int | float) and 0 <= value <= 1):
        raise FaultSpecError(f"rate must be a probability from 0 to 1, got {value!r}")


def _check_truncate(_: object, __: object, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and value >= 0):
        raise FaultSpecError(f"truncate_at must be a byte count >= 0, got {value!r}")


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

    kind: str = attrs.field(validator=_check_kind)
    delay: float = attrs.field(default=0.0, validator=_check_delay)
    status_code: int = attrs.field(default=503, validator=_check_status)
    retry_after: float | str | None = attrs.field(default=None, validator=_check_retry_after)
    truncate_at: int | None = attrs.field(default=None, validator=_check_truncate)
    count: int | None = attrs.field(default=None, validator=_check_count)
    rate: float | None = attrs.field(default=None, validator=_check_rate)
    seed: int = 0
    path: str = "/api/*"

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
    def from_json(cls, data: Mapping[str, Any]) -> FaultRule:
        """A rule from its JSON object (the field names of this class); unknown fields are an error."""
        if not isinstance(data, Mapping):
            raise FaultSpecError(f"a fault rule is a JSON object, got {type(data).__name__}")
        known = {f.name for f in attrs.fields(cls)}
        if unknown := sorted(set(data) - known):
            raise FaultSpecError(f"unknown fault rule fields {unknown}; known: {sorted(known)}")
        if "kind" not in data:
            raise FaultSpecError("a fault rule needs a kind: " + ", ".join(FAULT_KINDS))
        try:
            return cls(**data)
        except TypeError as error:
            raise FaultSpecError(str(error)) from None

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
        raise FaultSpecError(f"{what} needs a number, got {text!r}") from None
    return value


def _whole(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise FaultSpecError(f"{what} needs a whole number, got {text!r}")
    return int(text)


def parse_fault_header(value: str) -> list[FaultRule]:
    """The faults named by an `X-Mock-Fault` header, for this one request.

    Syntax: faults separated by commas, each `kind[=value]` with optional `;name=value` options, e.g.
    `latency=0.2`, `status=429;retry_after=2`, `drop`, `truncate=100`, `latency=0.05, status=503`.
    """
    rules = []
    for part in value.split(","):
        if not part.strip():
            continue
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
            raise FaultSpecError(f"unknown fault {kind!r} in X-Mock-Fault; known: {', '.join(FAULT_KINDS)}")
        for option in options:
            name, _, text = (s.strip() for s in option.partition("="))
            if name != "retry_after" or kind != "status":
                raise FaultSpecError(f"unknown option {name!r} for {kind} in X-Mock-Fault (status takes retry_after)")
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
        self._armed = [_Armed(r) for r in rules]

    def set(self, rules: Iterable[FaultRule]) -> None:
        """Replace every rule (counts and random sequences start afresh)."""
        armed = [_Armed(r) for r in rules]
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
