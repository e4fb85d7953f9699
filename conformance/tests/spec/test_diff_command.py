"""`python -m llamacloud_conformance.spec.diff A B` as a user runs it: exit status, stdout, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from llamacloud_conformance.spec.diff.__main__ import main

ROOT = Path(__file__).parents[3]
MARCH = ROOT / "openapi" / "upstream" / "v2-extract-list.openapi-fragment.2026-03-28.json"
AUGUST = ROOT / "openapi" / "upstream" / "v2-extract-list.openapi-fragment.2026-08-20.json"


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "llamacloud_conformance.spec.diff", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_module_runs_as_a_command() -> None:
    breaking = _command("2026-03-28", str(AUGUST.relative_to(ROOT)))
    assert breaking.returncode == 1, breaking.stderr
    assert breaking.stdout.startswith("# API changes from `2026-03-28` to `openapi/upstream/")
    assert "| api-removed | `(operation)` | **yes** | no |" in breaking.stdout
    assert breaking.stderr == ""
    same = _command("2026-03-28", "2026-03-28")
    assert same.returncode == 0, same.stderr
    assert "**No changes.**" in same.stdout


def test_a_change_that_breaks_only_servers_exits_0(tmp_path: Path) -> None:
    fragment = json.loads(MARCH.read_text())
    fragment["paths"]["/api/v2/extract"]["get"]["parameters"].append(
        {"name": "new_filter", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    newer = tmp_path / "newer.yaml"
    newer.write_text(yaml.safe_dump(fragment))
    assert main([str(MARCH), str(newer)]) == 0
    assert main([str(newer), str(MARCH)]) == 1


def _unusable(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name -> (argument, what the error must say)"""
    (tmp_path / "list.yaml").write_text("- just\n- a list\n")
    (tmp_path / "broken.json").write_text('{"openapi": "3.1.0", "paths": {')
    (tmp_path / "swagger.yaml").write_text("swagger: '2.0'\npaths: {}\n")
    pattern = json.loads(MARCH.read_text())
    pattern["components"]["schemas"]["ExtractV2Job"]["properties"]["id"]["pattern"] = "^ext-"
    (tmp_path / "pattern.json").write_text(json.dumps(pattern))
    dangling = json.loads(MARCH.read_text())
    dangling["components"]["schemas"].pop("ExtractJobUsage")
    (tmp_path / "dangling.json").write_text(json.dumps(dangling))
    return {
        "unknown snapshot": ("2099-01-01", "no snapshot '2099-01-01'"),
        "missing file": (str(tmp_path / "nothing.yaml"), "is neither a snapshot"),
        "a folder": (str(tmp_path), "is neither a snapshot"),
        "not a mapping": (str(tmp_path / "list.yaml"), "is not an OpenAPI document"),
        "not JSON": (str(tmp_path / "broken.json"), "is not YAML or JSON"),
        "not OpenAPI 3": (str(tmp_path / "swagger.yaml"), "is not an OpenAPI 3 document"),
        "an unknown keyword": (str(tmp_path / "pattern.json"), "does not know the keyword(s) ['pattern']"),
        "a $ref to nothing": (str(tmp_path / "dangling.json"), "a $ref points at nothing (no 'ExtractJobUsage'"),
    }


CASES = [
    "unknown snapshot",
    "missing file",
    "a folder",
    "not a mapping",
    "not JSON",
    "not OpenAPI 3",
    "an unknown keyword",
    "a $ref to nothing",
]


@pytest.mark.parametrize("case", CASES)
def test_an_unusable_spec_is_a_one_line_error_with_status_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argument, message = _unusable(tmp_path)[case]
    for args in ([str(MARCH), argument], [argument, str(MARCH)]):
        assert main(args) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.count("\n") == 1, err
        assert err.startswith("python -m llamacloud_conformance.spec.diff: error: ")
        assert message in err
        assert "Traceback" not in err


def test_a_missing_argument_is_a_usage_error() -> None:
    result = _command("2026-03-28")
    assert result.returncode == 2
    assert "the following arguments are required: B" in result.stderr
