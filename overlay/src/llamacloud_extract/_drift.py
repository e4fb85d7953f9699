"""Spec drift: items that lack a field the client's spec requires, or carry it under a newer name.

A server that has moved on from the spec this client is generated from (a field renamed or dropped) still
gives typed items; what was missing is counted per listing and reported once per field, as a
`SpecDriftWarning`, when the listing ends. `strict=True` on the client refuses such items instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import attrs

__all__ = ["Drift", "SpecDriftWarning", "Tally"]


class SpecDriftWarning(UserWarning):
    """A listing held items that lack a field the client's spec requires: the server speaks a newer (or other)
    version of the API than the one this client was generated from.

    The items were read anyway: the field holds `UNSET`, or, for a field the API has renamed, the value sent
    under its newer name (`read_from`). Issued once per listing and field, when the listing ends (or is closed
    early), with the number of items concerned. `ExtractClient(strict=True)` raises `ResponseValidationError`
    for such items instead. Filter it like any warning, e.g.
    `warnings.filterwarnings("ignore", category=SpecDriftWarning)`.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        model: str,
        field: str,
        read_from: str | None,
        count: int,
        total: int,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.model = model
        """The spec's schema that requires the field (`ExtractV2Job`)."""
        self.field = field
        """The field, as a dotted path from the item (`document_input_value`, `configuration.data_schema`)."""
        self.read_from = read_from
        """The newer name the value was read from; None when the field was simply absent (it holds UNSET)."""
        self.count = count
        """Items concerned."""
        self.total = total
        """Items read in the listing."""


@attrs.frozen
class Drift:
    """One kind of drift: which schema's which field, and where its value came from instead."""

    model: str
    field: str
    read_from: str | None


Found = list[tuple[int, Drift]]
"""The drift of one page: (index of the item on the page, what it lacked), at most once per item and kind."""


class Tally:
    """The drift of one listing, counted page by page as the pages are handed to the caller."""

    def __init__(self, method: str, url: str, noun: str) -> None:
        self.method = method
        self.url = url
        self.noun = noun
        self.total = 0
        self.counts: dict[Drift, int] = {}

    def add(self, delivered: int, found: Iterable[tuple[int, Drift]]) -> None:
        """A page of which the first `delivered` items reached the caller (a `limit` may cut it short)."""
        self.total += delivered
        for index, drift in found:
            if index < delivered:
                self.counts[drift] = self.counts.get(drift, 0) + 1

    def report(self, stacklevel: int) -> None:
        """One warning per kind of drift seen since the last report, then nothing more until new drift. The
        warnings point `stacklevel` frames up from the caller of this method (1: that caller itself)."""
        counts, self.counts = self.counts, {}
        for drift, count in counts.items():
            warnings.warn(self._warning(drift, count), stacklevel=stacklevel + 1)

    def _warning(self, drift: Drift, count: int) -> SpecDriftWarning:
        how = (
            f"read from its newer name {drift.read_from!r}"
            if drift.read_from is not None
            else "the field holds UNSET on those items"
        )
        message = (
            f"{self.method} {self.url}: {count} of the {self.total} {self.noun} read lack {drift.field!r}, which "
            f"the client's API spec requires of {drift.model}; {how}. The server speaks another version of the "
            "API than this client was made for (strict=True refuses such items)."
        )
        return SpecDriftWarning(
            message,
            method=self.method,
            url=self.url,
            model=drift.model,
            field=drift.field,
            read_from=drift.read_from,
            count=count,
            total=self.total,
        )
