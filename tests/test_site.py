"""The documentation site is made of the repository's own texts, and every code example on it runs.

`nox -s docs` builds the site with every warning an error (CI runs it); these tests hold what the build cannot:
that every page is in the navigation, that every included text exists and links only to pages the site has,
and that the Python examples of the included texts that no other test runs do run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from llamacloud_conformance.mock import running_mock

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# Texts whose examples another test runs already, against a mock of its own.
RUN_ELSEWHERE = {"README.md": "tests/test_readme.py", "overlay/README.md": "overlay/tests/test_readme.py"}


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOKS = _hooks()


def _nav_pages(entries: object) -> Iterator[str]:
    if isinstance(entries, str):
        yield entries
    elif isinstance(entries, list):
        for entry in entries:
            yield from _nav_pages(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from _nav_pages(value)


def _included() -> dict[str, str]:
    """Page -> the repository file it includes."""
    found = {}
    for page in DOCS.rglob("*.md"):
        match = HOOKS.INCLUDE.match(page.read_text().strip())
        if match:
            found[str(page.relative_to(DOCS))] = match["path"]
    return found


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert pages == set(_nav_pages(config["nav"]))


def test_every_included_text_exists_and_has_its_page() -> None:
    included = _included()
    assert included, "the guides are included texts"
    for page, source in included.items():
        assert (ROOT / source).is_file(), f"{page} includes {source}, which does not exist"
        assert HOOKS.PAGES[source] == page, f"hooks.PAGES must map {source} to {page}, so that links follow it"


def test_links_between_included_texts_point_at_their_pages() -> None:
    text = HOOKS.on_page_markdown("<!-- include: tests/fixtures/site/good.md -->", page=None)
    client, history = HOOKS.PAGES["overlay/README.md"], HOOKS.PAGES["openapi/HISTORY.md"]
    assert f"The [client guide]({client}#todays-api) and [the history]({history})." in text


def test_a_link_to_a_text_the_site_has_no_page_for_stops_the_build() -> None:
    with pytest.raises(ValueError, match=r"links to nowhere/README\.md, which the site has no page for"):
        HOOKS.on_page_markdown("<!-- include: tests/fixtures/site/bad.md -->", page=None)


@pytest.fixture(scope="module")
def mock_env() -> Iterator[dict[str, str]]:
    """The environment of an example: this one's, but for the client's settings, which point at a mock."""
    own = {k: v for k, v in os.environ.items() if not k.startswith(("LLAMA_CLOUD_", "LLAMA_PARSE_"))}
    with running_mock(api_key="site-key") as server:
        yield {**own, "LLAMA_CLOUD_BASE_URL": server.base_url, "LLAMA_CLOUD_API_KEY": server.api_key}


def _examples() -> list[tuple[str, int, str]]:
    found = []
    for source in sorted(set(_included().values()) - set(RUN_ELSEWHERE)):
        text = (ROOT / source).read_text()
        found += [(source, text[: m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]
    return found


@pytest.mark.parametrize(("source", "line", "code"), _examples(), ids=lambda v: str(v)[:40])
def test_every_other_example_runs(source: str, line: int, code: str, tmp_path: Path, mock_env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - the repository's own example, in a fresh interpreter
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=mock_env
    )
    assert result.returncode == 0, f"{source} line {line}:\n{result.stderr[-3000:]}"
    assert result.stdout.strip(), f"{source} line {line} printed nothing"
