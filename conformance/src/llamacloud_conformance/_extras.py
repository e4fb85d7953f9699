"""Which requirements of one of this distribution's extras are missing, read from its installed metadata: the
extra is declared once, in conformance/pyproject.toml, and a command that needs it can say what to install.

The check is by metadata rather than by importing: the suite imports schemathesis and hypothesis only when
pytest collects its modules, long after a command could still say so in one line."""

from __future__ import annotations

import importlib.metadata
import re

DISTRIBUTION = "llamacloud-conformance"
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def install_line(extra: str) -> str:
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def missing(extra: str) -> list[str]:
    """The distributions `extra` requires that are not installed (in the metadata's order). Empty when this
    distribution itself is not installed (a source tree on `sys.path`): the imports then speak for themselves."""
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    absent = []
    for requirement in requirements:
        name, _, marker = requirement.partition(";")
        found = _NAME.match(name)
        if found is None or extra not in _EXTRA.findall(marker):
            continue
        try:
            importlib.metadata.distribution(found.group(1))
        except importlib.metadata.PackageNotFoundError:
            absent.append(found.group(1))
    return absent
