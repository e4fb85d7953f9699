"""MkDocs hook: a page that holds only `<!-- include: PATH -->` is the repository file at PATH, included whole.

The READMEs are the guides (the tests run their examples), so the site includes them rather than copying
them: one text, two places to read it. Links between the included files point at their pages here.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
INCLUDE = re.compile(r"^<!-- include: (?P<path>\S+) -->\s*$")
LINK = re.compile(r"\]\((?P<target>[^)#\s]+\.md)(?P<anchor>#[^)]*)?\)")
# The repository file each page includes (as pages name it), so that links between them can follow.
PAGES = {
    "README.md": "index.md",
    "overlay/README.md": "client.md",
    "conformance/README.md": "conformance.md",
    "openapi/README.md": "snapshots.md",
    "openapi/HISTORY.md": "history.md",
    "docs/facts.md": "facts.md",
    "bench/RESULTS.md": "benchmarks.md",
    "CONTRIBUTING.md": "contributing.md",
}


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    found = INCLUDE.match(markdown.strip())
    if found is None:
        return markdown
    source = found["path"]
    text = (ROOT / source).read_text(encoding="utf-8")
    here = posixpath.dirname(source)

    def relink(link: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here, link["target"]))
        page_name = PAGES.get(target)
        if page_name is None:
            raise ValueError(f"{source} links to {link['target']}, which the site has no page for: add it to PAGES")
        return f"]({page_name}{link['anchor'] or ''})"

    return LINK.sub(relink, text)
