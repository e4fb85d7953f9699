"""The dated snapshots of the API this kit ships, one hand-written spec each, and which one is the default.

A snapshot is a folder `openapi/snapshots/<YYYY-MM-DD>/` holding `extract-api.yaml` (the package reaches the
folder through its `snapshots` link); `openapi/snapshots/DEFAULT` names the one every tool uses unless told
otherwise. Adding a snapshot is adding a folder: nothing here lists them.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

SPEC_FILE = "extract-api.yaml"
_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")


class UnknownSnapshotError(ValueError):
    """A snapshot name or spec path that names nothing this kit can load."""


def _root() -> Traversable:
    return resources.files("llamacloud_conformance").joinpath("snapshots")


def names() -> list[str]:
    """Every shipped snapshot, oldest first."""
    return sorted(entry.name for entry in _root().iterdir() if _NAME.fullmatch(entry.name) and entry.is_dir())


def default_name() -> str:
    """The snapshot the generated client is made from and every tool uses by default."""
    return _root().joinpath("DEFAULT").read_text(encoding="utf-8").strip()


def spec_text(snapshot: str | Path) -> str:
    """The spec of a shipped snapshot (by name), or of any spec file (by path)."""
    if isinstance(snapshot, str) and _NAME.fullmatch(snapshot):
        if snapshot not in names():
            raise UnknownSnapshotError(f"no snapshot {snapshot!r}; this kit ships {', '.join(names())}")
        return _root().joinpath(snapshot, SPEC_FILE).read_text(encoding="utf-8")
    path = Path(snapshot)
    if not path.is_file():
        raise UnknownSnapshotError(f"{str(snapshot)!r} is neither a snapshot ({', '.join(names())}) nor a spec file")
    return path.read_text(encoding="utf-8")


@functools.cache
def load_document(snapshot: str) -> dict[str, Any]:
    """A snapshot's spec (or a spec file's contents) as a dict. Cached: callers must not change it."""
    document = yaml.load(spec_text(snapshot), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    if not isinstance(document, dict) or "paths" not in document:
        raise UnknownSnapshotError(f"{snapshot!r} is not an OpenAPI document")
    return document
