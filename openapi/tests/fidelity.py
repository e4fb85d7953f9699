"""A snapshot's fidelity data (`openapi/snapshots/<name>/fidelity.yaml`): what its spec must match upstream.

For each path, the upstream fragment it follows (a file in `openapi/upstream/`) and the documented differences:
RFC 6902 patches that turn the fragment into what the snapshot says, each with `what` it changes and the
`source` that says so (sections of `openapi/HISTORY.md`). Plus the responses the snapshot adds to every
operation. The data lives beside the spec so that a new snapshot is a new folder, not new code; this module only
reads it, and says exactly what is wrong with a file that does not have the expected shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonpatch
import jsonpointer
import yaml

from spec_documents import UPSTREAM, Document, upstream

FILE = "fidelity.yaml"


class FidelityFileError(ValueError):
    """A fidelity.yaml that cannot be used as it stands; the message names the file and the entry."""


@dataclass(frozen=True)
class Difference:
    what: str
    source: str
    patch: tuple[dict[str, Any], ...]  # RFC 6902 operations on the upstream fragment


@dataclass(frozen=True)
class PathFidelity:
    path: str
    upstream: str  # file name in openapi/upstream/
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class AddedResponse:
    status: str
    what: str
    source: str


@dataclass(frozen=True)
class Fidelity:
    where: Path
    paths: dict[str, PathFidelity]
    added_responses: tuple[AddedResponse, ...]

    def reference(self, path: str, differences: tuple[Difference, ...] | None = None) -> Document:
        """The path's upstream fragment with the given differences applied (all of its own by default)."""
        entry = self.paths[path]
        chosen = entry.differences if differences is None else differences
        fragment = upstream(entry.upstream)
        try:
            patched: Document = jsonpatch.apply_patch(fragment, [op for d in chosen for op in d.patch])
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
            raise FidelityFileError(
                f"{self.where}: a difference of {path} does not fit {entry.upstream}: {error}"
            ) from None
        return patched


def load(snapshot_folder: Path) -> Fidelity:
    where = snapshot_folder / FILE
    if not where.is_file():
        raise FidelityFileError(f"{where} is missing: every snapshot says which upstream fragments it follows")
    data = yaml.safe_load(where.read_text())
    _keys(data, where, "the file", required={"paths", "added_responses"})
    if not isinstance(data["paths"], dict) or not data["paths"]:
        raise FidelityFileError(f"{where}: `paths` must map each path of the spec to its fidelity entry")
    paths = {path: _path_entry(path, entry, where) for path, entry in data["paths"].items()}
    return Fidelity(where, paths, _added_responses(data["added_responses"], where))


def _path_entry(path: str, entry: Any, where: Path) -> PathFidelity:
    at = f"paths.{path}"
    _keys(entry, where, at, required={"upstream", "differences"})
    name = entry["upstream"]
    if not isinstance(name, str) or not (UPSTREAM / name).is_file():
        raise FidelityFileError(f"{where}: {at}.upstream names no file in {UPSTREAM}: {name!r}")
    if path not in upstream(name).get("paths", {}):
        raise FidelityFileError(f"{where}: {at}.upstream {name} does not describe {path}")
    if not isinstance(entry["differences"], list):
        raise FidelityFileError(f"{where}: {at}.differences must be a list (`[]` for none)")
    return PathFidelity(
        path, name, tuple(_difference(d, where, f"{at}.differences[{i}]") for i, d in enumerate(entry["differences"]))
    )


def _difference(entry: Any, where: Path, at: str) -> Difference:
    _keys(entry, where, at, required={"what", "source", "patch"})
    _text(entry, where, at, "what", "source")
    patch = entry["patch"]
    if not isinstance(patch, list) or not patch or not all(isinstance(op, dict) and "op" in op for op in patch):
        raise FidelityFileError(f"{where}: {at}.patch must be a non-empty list of RFC 6902 operations")
    return Difference(entry["what"], entry["source"], tuple(patch))


def _added_responses(entries: Any, where: Path) -> tuple[AddedResponse, ...]:
    if not isinstance(entries, dict):
        raise FidelityFileError(
            f"{where}: `added_responses` must map a status code to its what and source (`{{}}` for none)"
        )
    found = []
    for status, entry in entries.items():
        at = f"added_responses.{status}"
        _keys(entry, where, at, required={"what", "source"})
        _text(entry, where, at, "what", "source")
        found.append(AddedResponse(str(status), entry["what"], entry["source"]))
    return tuple(found)


def _keys(entry: Any, where: Path, at: str, required: set[str]) -> None:
    if not isinstance(entry, dict):
        raise FidelityFileError(f"{where}: {at} must be a mapping with {', '.join(sorted(required))}")
    if missing := required - set(entry):
        raise FidelityFileError(f"{where}: {at} lacks {', '.join(sorted(missing))}")
    if unknown := set(entry) - required:
        raise FidelityFileError(f"{where}: {at} has unknown key(s) {', '.join(sorted(unknown))}")


def _text(entry: dict[str, Any], where: Path, at: str, *keys: str) -> None:
    for key in keys:
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise FidelityFileError(f"{where}: {at}.{key} must be a non-empty string")
