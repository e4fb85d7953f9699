"""The README's self-contained examples run and print what the README says they print."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"


@pytest.mark.parametrize("section", ["### Runnable without an account", "### Runnable against today's API"])
def test_the_runnable_example_prints_what_it_promises(section: str) -> None:
    text = README.read_text().split(section, 1)[1]
    match = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert match is not None
    code = match.group(1)
    promised = [line.removeprefix("# ") for line in code.splitlines() if line.startswith("# ")]
    output = io.StringIO()
    with contextlib.redirect_stdout(output), warnings.catch_warnings():
        warnings.simplefilter("error")  # the example handles its own warnings, and raises no other
        exec(compile(code, str(README), "exec"), {})  # noqa: S102 - the README's own example
    assert output.getvalue().splitlines() == promised
