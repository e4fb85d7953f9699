"""The package versions a benchmark ran with, for its report: a figure means little without them."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata


def installed(names: Iterable[str]) -> str:
    """`NAME VERSION` for each distribution (`NAME (not installed)` for a missing one), comma-separated."""
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)
