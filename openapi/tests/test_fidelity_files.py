"""Each snapshot's fidelity.yaml cites sources that exist, and a malformed one is refused with a message that
names the file and the entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import fidelity
from spec_documents import OPENAPI, SNAPSHOTS, snapshot_names

HISTORY = OPENAPI / "HISTORY.md"
CITATION = re.compile(r"openapi/HISTORY\.md#([\w-]+)")


def _anchors() -> list[str]:
    """The anchors GitHub gives HISTORY.md's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", HISTORY.read_text(), flags=re.MULTILINE)
    return [re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings]


def test_history_anchors_are_unique_and_its_own_links_resolve() -> None:
    anchors = _anchors()
    assert len(anchors) == len(set(anchors))
    assert set(re.findall(r"\]\(#([\w-]+)\)", HISTORY.read_text())) <= set(anchors)


def _sources(name: str) -> list[tuple[str, str]]:
    loaded = fidelity.load(SNAPSHOTS / name)
    found = [(f"{path}: {d.what}", d.source) for path, e in loaded.paths.items() for d in e.differences]
    return found + [(f"added response {a.status}", a.source) for a in loaded.added_responses]


@pytest.mark.parametrize("snapshot", snapshot_names())
def test_every_source_is_a_section_of_the_history(snapshot: str) -> None:
    """Sources are `openapi/HISTORY.md#<anchor>` links (comma-separated), so the repository stands alone."""
    anchors = set(_anchors())
    for what, source in _sources(snapshot):
        cited = CITATION.findall(source)
        assert cited, f"{what}: cites no section of openapi/HISTORY.md: {source!r}"
        assert CITATION.sub("", source).strip(", ") == "", f"{what}: cites something else too: {source!r}"
        assert set(cited) <= anchors, f"{what}: no such section: {sorted(set(cited) - anchors)}"


# ---- a malformed file is refused, naming what is wrong -----------------------------------------------------

V2 = "/api/v2/extract"
FRAGMENT = "v2-extract-list.openapi-fragment.2026-08-20.json"
GOOD = {
    "paths": {V2: {"upstream": FRAGMENT, "differences": []}},
    "added_responses": {"401": {"what": "w", "source": "openapi/HISTORY.md#the-401-answer"}},
}


def _write(tmp_path: Path, data: object) -> Path:
    (tmp_path / fidelity.FILE).write_text(yaml.safe_dump(data))
    return tmp_path


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    loaded = fidelity.load(_write(tmp_path, GOOD))
    assert loaded.paths[V2].upstream == FRAGMENT
    assert [a.status for a in loaded.added_responses] == ["401"]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(fidelity.FidelityFileError, match=r"fidelity\.yaml is missing"):
        fidelity.load(tmp_path)


def _difference(patch: list[dict[str, object]]) -> dict[str, object]:
    return {"what": "w", "source": "s", "patch": patch}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"paths": GOOD["paths"]}, "the file lacks added_responses"),
        ({**GOOD, "extra": 1}, "the file has unknown key.s. extra"),
        ({**GOOD, "paths": {}}, "`paths` must map"),
        ({**GOOD, "paths": {V2: {"upstream": "nope.json", "differences": []}}}, "upstream names no file .*'nope.json'"),
        (
            {**GOOD, "paths": {"/api/v1/extractionv2/runs": {"upstream": FRAGMENT, "differences": []}}},
            f"{FRAGMENT} does not describe /api/v1/extractionv2/runs",
        ),
        ({**GOOD, "paths": {V2: {"upstream": FRAGMENT, "differences": None}}}, "differences must be a list"),
        (
            {**GOOD, "paths": {V2: {"upstream": FRAGMENT, "differences": [{"what": "w", "patch": [{"op": "x"}]}]}}},
            r"paths./api/v2/extract.differences\[0\] lacks source",
        ),
        (
            {**GOOD, "paths": {V2: {"upstream": FRAGMENT, "differences": [_difference([])]}}},
            r"differences\[0\].patch must be a non-empty list",
        ),
        ({**GOOD, "added_responses": {"401": {"what": "", "source": "s"}}}, "added_responses.401.what must be"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_entry(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(fidelity.FidelityFileError, match=message):
        fidelity.load(_write(tmp_path, data))


def test_a_patch_that_does_not_fit_its_fragment_is_refused(tmp_path: Path) -> None:
    stale = _difference([{"op": "test", "path": "/components/schemas/ExtractTier/enum", "value": ["a"]}])
    loaded = fidelity.load(_write(tmp_path, {**GOOD, "paths": {V2: {"upstream": FRAGMENT, "differences": [stale]}}}))
    with pytest.raises(fidelity.FidelityFileError, match=f"a difference of {V2} does not fit {FRAGMENT}"):
        loaded.reference(V2)
