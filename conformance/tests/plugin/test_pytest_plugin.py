"""The pytest plugin, as a downstream project gets it: installed (loaded by its entry point, not named), its
fixtures used by an ordinary test file run with pytester in a directory of its own."""

from __future__ import annotations

import importlib.metadata

import pytest

pytest_plugins = ["pytester"]


def test_the_plugin_is_an_installed_entry_point() -> None:
    found = {e.name: e.value for e in importlib.metadata.entry_points(group="pytest11")}
    assert found.get("llamacloud_mock") == "llamacloud_conformance.pytest_plugin"


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # The plugin itself is not named: its entry point loads it. No cache left behind, and pytest-asyncio (installed
    # here for the repository's own tests, unknown to the downstream project) left out.
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:asyncio", "-q", *args)


def test_a_downstream_test_lists_from_the_stand_in(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_failed_jobs(llamacloud_client, llamacloud_dataset):
            listed = [job.id for job in llamacloud_client.jobs.list(status="FAILED")]
            assert listed == [job["id"] for job in llamacloud_dataset.select_jobs(status="FAILED")]
            assert listed

        def test_runs(llamacloud_client, llamacloud_dataset):
            assert len(llamacloud_client.runs.list()) == len(llamacloud_dataset.select_runs())
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_each_test_gets_its_own_dataset_and_a_clean_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from llamacloud_conformance.mock import Dataset, FaultRule

        JOB = {"id": "ext-1", "project_id": "prj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "status": "COMPLETED",
               "document_input_value": "dfl-1", "created_at": "2026-01-01T00:00:00Z",
               "updated_at": "2026-01-01T00:00:00Z"}

        class TestMine:
            @pytest.fixture
            def llamacloud_dataset(self):
                return Dataset.from_records(jobs=[JOB])

            def test_my_records(self, llamacloud_client, llamacloud_mock):
                assert [job.id for job in llamacloud_client.jobs.list()] == ["ext-1"]
                llamacloud_mock.set_faults([FaultRule.status(500, count=100)])  # left armed on purpose

        def test_the_next_test_sees_the_default_data_and_no_fault(llamacloud_client, llamacloud_mock):
            assert llamacloud_mock.faults == []
            assert len(list(llamacloud_client.jobs.list(page_size=100))) == 100
            assert len(llamacloud_mock.request_log) == 1
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_the_snapshot_is_chosen_by_marker_option_or_ini(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from llamacloud_extract import file_input

        @pytest.mark.llamacloud_snapshot("2026-08-20")
        def test_today(llamacloud_mock, llamacloud_dataset):
            assert llamacloud_mock.snapshot == "2026-08-20"
            assert "file_input" in llamacloud_dataset.jobs[0]

        def test_default(llamacloud_mock):
            assert llamacloud_mock.snapshot == pytest.importorskip("llamacloud_conformance.spec.snapshots").default_name()
        """
    )
    _run(pytester).assert_outcomes(passed=2)
    pytester.makeini("[pytest]\nllamacloud_snapshot = 2026-08-20\n")
    pytester.makepyfile(
        test_ini="""
        def test_from_ini(llamacloud_mock):
            assert llamacloud_mock.snapshot == "2026-08-20"
        """
    )
    _run(pytester, "test_ini.py").assert_outcomes(passed=1)
    _run(pytester, "test_ini.py", "--llamacloud-snapshot", "2026-03-28").assert_outcomes(failed=1)


def test_an_unknown_snapshot_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.llamacloud_snapshot("1999-01-01")
        def test_old(llamacloud_mock):
            pass
        """
    )
    result = _run(pytester)
    result.stdout.fnmatch_lines(["*unknown LlamaCloud snapshot '1999-01-01'*"])
    assert result.ret != 0
