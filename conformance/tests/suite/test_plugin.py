"""The run reaches the suite through pytest alone: the plugin refuses a check that does not say which endpoint it
checks, leaves out the checks of operations the snapshot lacks (deselected, not skipped), loads each part's
Hypothesis profile while its checks run, and two runs in one process, against two snapshots, each get their own
checks without any module of the suite being forgotten in between."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from llamacloud_conformance.run import RunOptions, run
from llamacloud_conformance.spec.document import JOBS_PATH, RUNS_PATH, Spec
from llamacloud_conformance.spec.meaning import Filter, Scope
from llamacloud_conformance.suite import parts
from llamacloud_conformance.suite.context import JOBS, RUNS, RunContext, RunSettings
from llamacloud_conformance.suite.plugin import ConformancePlugin


def _collect(
    run_checks: Any, tmp_path: Path, module: str, source: str, snapshot: str | None = None, examples: int = 25
) -> tuple[int, ConformancePlugin]:
    """pytest on one module with the run's plugin (a context that sends nothing): its exit status, and the plugin."""
    (tmp_path / f"{module}.py").write_text(source)
    settings_ = RunSettings(
        base_url="http://127.0.0.1:9", api_key="k", embedded=False, snapshot=snapshot, fuzz_examples=examples
    )
    plugin = ConformancePlugin(RunContext(settings_))
    code = run_checks(tmp_path, plugin, "--import-mode=importlib", f"--junitxml={tmp_path / 'junit.xml'}")
    plugin.context.close()
    return int(code), plugin


@pytest.mark.parametrize(
    ("mark", "said"),
    [("", "says no endpoint"), ('@pytest.mark.endpoint("GET /api/v3/nothing")', "names 'GET /api/v3/nothing'")],
    ids=["unmarked", "unknown"],
)
def test_a_check_that_does_not_say_its_endpoint_is_refused_by_name(
    tmp_path: Path, run_checks: Any, capsys: pytest.CaptureFixture[str], mark: str, said: str
) -> None:
    source = f'import pytest\n\n@pytest.mark.endpoint("{JOBS}")\ndef test_marked():\n    pass\n\n{mark}\ndef test_unmarked():\n    pass\n'
    module = f"test_{'unknown' if mark else 'unmarked'}"  # a module name per case: pytest keeps what it imported
    code, plugin = _collect(run_checks, tmp_path, module, source)
    err = capsys.readouterr().err
    assert code == pytest.ExitCode.USAGE_ERROR
    assert f"{module}.py::test_unmarked {said}" in err
    assert "test_marked" not in err
    assert plugin.results == []  # nothing ran


def test_a_check_of_an_operation_the_snapshot_lacks_is_deselected_not_skipped(tmp_path: Path, run_checks: Any) -> None:
    source = f"""
import pytest

@pytest.mark.endpoint("{RUNS}")
def test_runs():
    raise AssertionError("a check of an operation the snapshot lacks ran")

@pytest.mark.endpoint("{JOBS}")
def test_jobs():
    pass

@pytest.mark.parametrize("op", [pytest.param("{RUNS}", marks=pytest.mark.endpoint("{RUNS}")),
                                pytest.param("{JOBS}", marks=pytest.mark.endpoint("{JOBS}"))])
def test_both(op):
    assert op == "{JOBS}"
"""
    assert Spec.load("2026-08-20").operation(RUNS_PATH) is None
    code, plugin = _collect(run_checks, tmp_path, "test_deselected", source, snapshot="2026-08-20")
    assert code == pytest.ExitCode.OK
    assert [(r.name, r.endpoint, r.outcome) for r in plugin.results] == [
        ("test_jobs", JOBS, "passed"),
        ("test_both[GET /api/v2/extract]", JOBS, "passed"),
    ]
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")  # noqa: S314 - pytest's own file
    assert suite is not None
    assert (suite.get("tests"), suite.get("skipped")) == ("2", "0")


def test_each_part_runs_under_its_own_hypothesis_profile_and_the_outer_one_comes_back(
    tmp_path: Path, run_checks: Any
) -> None:
    """The client vs spec part draws 4 examples per --examples (at least 20): its checks see that number."""
    source = f"""
import pytest
from hypothesis import given, settings, strategies as st

seen = []

@pytest.mark.endpoint("{JOBS}")
def test_profile():
    assert settings().max_examples == {parts.BY_NAME["client-spec"].max_examples(7)}

    @given(st.integers())
    def test_profile(number):
        seen.append(number)

    test_profile()
    assert len(seen) == {parts.BY_NAME["client-spec"].max_examples(7)}
"""
    outer = settings.get_current_profile_name()
    code, _ = _collect(run_checks, tmp_path, parts.BY_NAME["client-spec"].module, source, examples=7)
    assert code == pytest.ExitCode.OK
    assert settings.get_current_profile_name() == outer


def _checks(junit: Path) -> set[str]:
    return {
        f"{case.get('classname')}::{case.get('name')}"
        for case in ET.parse(junit).getroot().iter("testcase")  # noqa: S314 - our own file
    }


def _checks_of(snapshot: str) -> set[str]:
    """Checks a run at this snapshot must have, derived from its spec: the v1 ones only where it declares v1, a
    filter check for each filter and scope of the jobs listing."""
    spec = Spec.load(snapshot)
    jobs = spec.operation(JOBS_PATH)
    assert jobs is not None
    found = {
        "test_server_vs_spec::test_jobs_conform_to_spec",
        "test_client_vs_spec::test_client_reads_every_jobs_page_the_spec_allows",
        *(
            f"test_server_semantics::test_jobs_filter_keeps_exactly_what_matches[{p.name}]"
            for p in jobs.parameters
            if isinstance(p.meaning, Scope) or (isinstance(p.meaning, Filter) and p.meaning.kind != "one-of")
        ),
    }
    if spec.operation(RUNS_PATH) is not None:
        found |= {
            "test_server_vs_spec::test_runs_conform_to_spec",
            "test_client_vs_server::test_client_lists_exactly_the_servers_runs",
            "test_server_semantics::test_auth_is_enforced[none-runs]",
        }
    return found


@pytest.mark.parametrize("order", [("2026-08-20", "2026-03-28"), ("2026-03-28", "2026-08-20")])
def test_two_runs_in_one_process_each_check_their_own_snapshot(tmp_path: Path, order: tuple[str, str]) -> None:
    modules: dict[str, object] = {}
    for snapshot in order:
        report = tmp_path / snapshot
        options = RunOptions(snapshot=snapshot, fuzz_examples=2, jobs=60, runs=10, report_dir=report)
        assert run(options) == 0, (report / "conformance-summary.md").read_text()
        checks = _checks(report / "conformance-junit.xml")
        expected, others = _checks_of(snapshot), set().union(*map(_checks_of, order)) - _checks_of(snapshot)
        assert expected <= checks, sorted(expected - checks)
        assert not others & checks, sorted(others & checks)  # the other snapshot's own checks
        summary = (report / "conformance-summary.md").read_text()
        assert f"- checked against: the {snapshot} snapshot" in summary
        for part in parts.PARTS:  # imported once, never forgotten: the same module serves both runs
            name = f"llamacloud_conformance.suite.{part.module}"
            modules.setdefault(name, sys.modules[name])
            assert sys.modules[name] is modules[name]
