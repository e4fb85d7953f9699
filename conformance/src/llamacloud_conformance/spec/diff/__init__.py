"""What changed between two specs, and whom each change breaks: `python -m llamacloud_conformance.spec.diff A B`.

No maintained Python differ reads OpenAPI 3.1 well enough for these specs, so this one is built on the normal
form the fidelity tests use: `operations` walks two documents side by side, `fields` and `compare` compare one
parameter or body, `rules` says what each kind of change breaks, `report` writes Markdown.
"""

from __future__ import annotations

from typing import Any

import yaml

from .. import snapshots
from ..normal_form import Document
from .operations import diff_documents
from .report import render
from .rules import RULES, RULES_TABLE, Change, Rule

__all__ = [
    "RULES",
    "RULES_TABLE",
    "Change",
    "Rule",
    "SpecUnusableError",
    "diff_documents",
    "diff_specs",
    "load_spec",
    "render",
]


class SpecUnusableError(ValueError):
    """A snapshot name or spec path that names no readable OpenAPI 3 document."""


def load_spec(name_or_path: str) -> Document:
    """A snapshot's spec, by name, or a spec file (YAML or JSON; extra top-level keys such as `_source` allowed)."""
    try:
        document: Any = snapshots.load_document(name_or_path)
    except snapshots.UnknownSnapshotError as error:
        raise SpecUnusableError(str(error)) from None
    except yaml.YAMLError as error:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SpecUnusableError(f"{name_or_path!r} is not YAML or JSON: {problem}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecUnusableError(f"cannot read {name_or_path!r}: {error}") from None
    if not str(document.get("openapi", "")).startswith("3."):
        raise SpecUnusableError(f"{name_or_path!r} is not an OpenAPI 3 document (no `openapi: 3.x` key)")
    return dict(document)


def diff_specs(old: str, new: str) -> list[Change]:
    """Every change from spec `old` to spec `new` (snapshot names or spec paths)."""
    return diff_documents(load_spec(old), load_spec(new))
