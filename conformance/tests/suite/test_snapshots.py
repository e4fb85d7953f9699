"""The suite against the mock, for every pair of shipped snapshots: the mock at the snapshot the run checks
passes; at any other, the run fails and its Drift section names the differences between the two (derived
here from the two specs, so a new snapshot brings its own expectations) and the snapshot the mock speaks as
the best match."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from llamacloud_conformance.run import RunOptions, run
from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import Spec
from llamacloud_conformance.spec.meaning import Filter

PAIRS = list(itertools.product(snapshots.names(), repeat=2))


def _expected(checked: Spec, served: Spec) -> set[str]:
    """The drift lines a run must report when it checks `checked` against a server of `served`: required fields
    the served items lack, fields they have that `checked` does not declare, operations the server lacks, and
    filters the server does not know (it ignores them, as FastAPI ignores unknown query parameters)."""
    lines = set()
    for operation in checked:
        theirs = served.operation(operation.path)
        if theirs is None:
            lines.add(f"| missing operation | `GET {operation.path}`")
            continue
        name = operation.item_schema_name
        lines |= {f"| missing required field | `{name}.{f}`" for f in operation.required - set(theirs.fields)}
        lines |= {
            f"| undeclared field (informational) | `{name}.{f}`" for f in set(theirs.fields) - set(operation.fields)
        }
        known = {p.name for p in theirs.parameters}
        lines |= {
            f"| parameter ignored | `{p.name}`"
            for p in operation.filters()
            if p.name not in known and isinstance(p.meaning, Filter) and p.meaning.kind == "equals"
        }
    return lines


@pytest.mark.parametrize(("checked", "served"), PAIRS, ids=[f"check {a} on a {b} mock" for a, b in PAIRS])
def test_the_suite_passes_its_own_snapshot_and_names_every_difference(
    checked: str, served: str, tmp_path: Path
) -> None:
    options = RunOptions(
        snapshot=checked,
        mock_snapshot=served,
        parts=("server", "semantics"),
        fuzz_examples=4,
        jobs=120,
        runs=20,
        report_dir=tmp_path,
    )
    code = run(options)
    summary = (tmp_path / "conformance-summary.md").read_text()
    drift = summary.split("## Drift", 1)[1].split("\n## ", 1)[0]
    if checked == served:
        assert code == 0, summary
        assert f"No departure from the {checked} snapshot" in drift
        return
    expected = _expected(Spec.load(checked), Spec.load(served))
    missing = {line for line in expected if line not in drift}
    assert not missing, f"the Drift section leaves out {sorted(missing)}:\n{drift}"
    # A server of an older snapshot may conform to a newer one (its jobs are a subset): the run fails exactly
    # when a departure breaks the spec (every one expected here, and any other it saw, a new enum value deep in
    # an expanded field, say), and says which snapshot the server matches either way.
    rows = [
        line for line in drift.splitlines() if line.startswith("| ") and not line.startswith(("| finding", "| ---"))
    ]
    breaks = [row for row in rows if "(informational)" not in row]
    assert code == (1 if breaks else 0), summary
    assert f"Best match among the shipped snapshots, by the same responses: **{served}**" in drift
