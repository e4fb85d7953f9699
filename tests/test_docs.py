"""The repository stands alone: whatever its code and documents cite is in it.

The project was researched into documents that a contributor who clones the repository does not have (an "API
ground truth" and "tooling notes"). The facts the code relies on are written into the repository instead
(`docs/facts.md`, `openapi/HISTORY.md`, the package READMEs), with their upstream sources, and cited as
`<file>.md#<section>`; these tests hold both halves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SKIPPED_FOLDERS = {".git", ".nox", "generated", "reports", "__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}
SKIPPED_FOLDERS |= {".hypothesis", "upstream"}  # upstream/: verbatim JSON fragments, not ours to word
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yaml", ".yml", ".jinja", ".cfg", ".txt", ".sh"}
OUTSIDE = re.compile(r"ground[- ]truth|tooling[- ]notes", re.IGNORECASE)
# Files whose citations another branch rewrites (issue 13, the overlay's restructuring): empty this set once it
# is merged, so that the test covers them too.
BEING_REWRITTEN: set[str] = set()
CITATION = re.compile(r"(?<![\w./:-])([\w./-]*\w\.md)#([\w-]+)")
FENCE = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)


def _files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if SKIPPED_FOLDERS & set(relative.parts[:-1]) or not path.is_file() or path.is_symlink():
            continue
        if path.suffix in TEXT_SUFFIXES or relative.parts[0] == ".ci":
            yield path


INCLUDE = re.compile(r"^<!-- include: (?P<path>\S+) -->\s*$")  # a page of the site that is a file of the repository


def _anchors(markdown: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings (outside code blocks): lower case, punctuation
    dropped, spaces as hyphens. A page of the documentation site that includes a file has that file's."""
    text = markdown.read_text()
    if (included := INCLUDE.match(text.strip())) is not None:
        text = (ROOT / included["path"]).read_text()
    headings = re.findall(r"^#{1,6} (.+)$", FENCE.sub("", text), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_nothing_cites_the_documents_the_repository_does_not_have() -> None:
    this = Path(__file__).relative_to(ROOT).as_posix()
    citing = {
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in _files()
        if path.relative_to(ROOT).as_posix() not in BEING_REWRITTEN | {this}
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    }
    assert not citing, f"say the fact in docs/facts.md (with its upstream source) and cite that: {sorted(citing)}"


def _citations() -> list[tuple[str, Path, str]]:
    found = []
    for path in _files():
        for match in CITATION.finditer(path.read_text(errors="replace")):
            target, anchor = match.groups()
            resolved = next((p for p in (ROOT / target, path.parent / target) if p.is_file()), ROOT / target)
            found.append((path.relative_to(ROOT).as_posix(), resolved, anchor))
    return found


CITATIONS = _citations()


def test_the_facts_are_cited() -> None:
    """docs/facts.md is there to be cited: from the code and configuration as well as from the documents."""
    facts = ROOT / "docs" / "facts.md"
    citing = {where for where, target, _ in CITATIONS if target == facts}
    assert any(where.endswith((".py", ".toml", ".yaml")) for where in citing), citing


@pytest.mark.parametrize(
    ("where", "target", "anchor"), CITATIONS, ids=[f"{w}:{t.relative_to(ROOT)}#{a}" for w, t, a in CITATIONS]
)
def test_every_cited_section_exists(where: str, target: Path, anchor: str) -> None:
    assert target.is_file(), f"{where} cites {target.relative_to(ROOT)}, which the repository does not have"
    assert anchor in _anchors(target), f"{where} cites {target.relative_to(ROOT)}#{anchor}: no such section"
