"""The filters of one list request, normalized: what the index answers and what a page token is bound to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..spec.document import Operation
from ..spec.meaning import Filter, Scope
from ..spec.timestamps import parse_ns


@attrs.frozen
class Query:
    """The filters of one list request, normalized so that equal meanings compare equal.

    `selections` are the equality and input-type filters (by parameter name), `one_of` the array filters, the
    bounds the date range in nanoseconds, `scopes` the project and organization values.
    """

    selections: tuple[tuple[str, Any], ...] = ()
    one_of: tuple[tuple[str, tuple[str, ...]], ...] = ()
    after_ns: int | None = None
    before_ns: int | None = None
    scopes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, operation: Operation, values: Mapping[str, Any]) -> Query:
        """The query a request's converted parameter values ask for."""
        selections, one_of, scopes = [], [], []
        after = before = None
        for parameter in operation.parameters:
            value = values.get(parameter.name)
            if value is None:
                continue
            meaning = parameter.meaning
            if isinstance(meaning, Filter):
                if meaning.kind in ("equals", "input-type"):
                    selections.append((parameter.name, value))
                elif meaning.kind == "one-of":
                    one_of.append((parameter.name, tuple(sorted(set(value)))))
                elif meaning.kind == "at-or-after":
                    after = parse_ns(value, round_up=True)
                else:
                    before = parse_ns(value)
            elif isinstance(meaning, Scope):
                scopes.append((parameter.name, str(value)))
        return cls(tuple(selections), tuple(one_of), after, before, tuple(scopes))

    def selection(self) -> tuple[Any, ...]:
        """The filters that pick items by value, hashable."""
        return (self.selections, self.one_of)

    def canonical(self) -> tuple[Any, ...]:
        """Every filter, hashable and order-independent: what a page token is bound to."""
        return (self.selections, self.one_of, self.after_ns, self.before_ns, self.scopes)
