"""The README's self-contained example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"


def test_the_runnable_example_prints_what_it_promises() -> None:
    section = README.read_text().split("### Runnable without an account", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    code = match.group(1)
    promised = [line.removeprefix("# ") for line in code.splitlines() if line.startswith("# ")]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, str(README), "exec"), {})  # noqa: S102 - the README's own example
    assert output.getvalue().splitlines() == promised
