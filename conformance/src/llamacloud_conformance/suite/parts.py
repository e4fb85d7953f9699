"""The parts of the conformance suite, declared once: the runner picks their files by name (`--part`), the plugin
and the reports name their checks by title, and each part's Hypothesis examples follow from `--examples` here.

A new part is a test module in this folder and one line below.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs

SUITE_DIR = Path(__file__).parent


@attrs.frozen
class Part:
    name: str
    """What `--part` calls it."""
    module: str
    """Its test module in this folder, without `.py`."""
    title: str
    """How the summary, the JUnit file's measures (`costs.json`) and the flaky log name it."""
    embedded_only: bool = False
    """It needs the embedded mock (data it controls, faults it injects): a run against a deployment leaves it out."""
    examples_per_example: float = 1.0
    """Hypothesis examples per `--examples` (a check that costs no request can afford more)."""
    least_examples: int = 1

    @property
    def file(self) -> Path:
        return SUITE_DIR / f"{self.module}.py"

    def max_examples(self, examples: int) -> int:
        """Hypothesis' `max_examples` for this part's checks in a run of `--examples examples`."""
        return max(int(examples * self.examples_per_example), self.least_examples)


PARTS = (
    Part("server", "test_server_vs_spec", "server vs spec (schemathesis)"),
    Part("semantics", "test_server_semantics", "server semantics"),
    Part("client-spec", "test_client_vs_spec", "client vs spec", examples_per_example=4, least_examples=20),
    Part(
        "client-server",
        "test_client_vs_server",
        "client vs server",
        embedded_only=True,
        examples_per_example=0.5,
        least_examples=5,
    ),
)
BY_NAME: Mapping[str, Part] = {part.name: part for part in PARTS}
BY_MODULE: Mapping[str, Part] = {part.module: part for part in PARTS}


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")


def part_of(nodeid: str) -> Part | None:
    """The part a test belongs to, from its node id."""
    return BY_MODULE.get(_module(nodeid))


def title_of(nodeid: str) -> str:
    """The title of the part a test belongs to (a module that is no part: its own name)."""
    part = part_of(nodeid)
    return part.title if part is not None else _module(nodeid)
