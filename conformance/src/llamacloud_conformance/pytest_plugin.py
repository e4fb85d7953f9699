"""A stateful LlamaCloud stand-in for your own tests: pytest fixtures over the mock server.

Installed with the mock (`llamacloud-conformance`), pytest loads this plugin by itself (a `pytest11` entry
point), the way `pytest-httpserver` or `respx` users get theirs. It does nothing until a test asks for one of
its fixtures:

    def test_lists_failed_jobs(llamacloud_client, llamacloud_dataset):
        listed = [job.id for job in llamacloud_client.jobs.list(status="FAILED")]
        assert listed == [job["id"] for job in llamacloud_dataset.select_jobs(status="FAILED")]

* `llamacloud_mock`: a real server on 127.0.0.1, started once per session (and per snapshot), serving the
  test's dataset; faults, the request log and the data are reset between tests.
* `llamacloud_dataset`: what the server serves in this test: `Dataset.generate(seed=0, jobs=100, runs=20)` in
  the test's snapshot, unless a test module (or conftest) overrides the fixture with its own.
* `llamacloud_client`: an `ExtractClient` bound to the server (it needs `llamacloud-extract` installed; for
  asyncio, build `AsyncExtractClient(api_key=llamacloud_mock.api_key, base_url=llamacloud_mock.base_url)`
  in the test, on its own event loop).
* the snapshot: `@pytest.mark.llamacloud_snapshot("2026-08-20")` on a test (or module, via `pytestmark`),
  else `--llamacloud-snapshot NAME` on the command line or `llamacloud_snapshot = NAME` in the ini file, else
  the default snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

from .mock import Dataset, MockServer, running_mock
from .spec import snapshots

if TYPE_CHECKING:
    from llamacloud_extract import ExtractClient

MARKER = "llamacloud_snapshot"
_API_KEY = "pytest-llamacloud-key"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("llamacloud", "LlamaCloud mock server (llamacloud-conformance)")
    group.addoption(
        "--llamacloud-snapshot",
        dest="llamacloud_snapshot",
        metavar="NAME",
        help=f"the API snapshot the llamacloud_mock fixture speaks by default ({', '.join(snapshots.names())})",
    )
    parser.addini(MARKER, "the API snapshot the llamacloud_mock fixture speaks by default", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(name): the API snapshot the llamacloud_mock fixture speaks here")


class _Servers:
    """One running mock per snapshot, started the first time a test asks for that snapshot."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._servers: dict[str, MockServer] = {}

    def get(self, snapshot: str) -> MockServer:
        if snapshot not in self._servers:
            empty = Dataset.from_records(snapshot=snapshot)
            self._servers[snapshot] = self._stack.enter_context(running_mock(empty, api_key=_API_KEY))
        return self._servers[snapshot]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def _llamacloud_servers() -> Iterator[_Servers]:
    servers = _Servers()
    yield servers
    servers.close()


@pytest.fixture
def llamacloud_snapshot(request: pytest.FixtureRequest) -> str:
    """The snapshot this test's mock speaks: its marker, else the command line or ini option, else the default."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if len(marker.args) != 1 or not isinstance(marker.args[0], str):
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes one snapshot name, e.g. {MARKER}('2026-08-20')")
        chosen: str = marker.args[0]
    else:
        configured = request.config.getoption("llamacloud_snapshot") or request.config.getini(MARKER)
        chosen = str(configured) if configured else snapshots.default_name()
    if chosen not in snapshots.names():
        raise pytest.UsageError(f"unknown LlamaCloud snapshot {chosen!r}; shipped: {', '.join(snapshots.names())}")
    return chosen


@pytest.fixture
def llamacloud_dataset(llamacloud_snapshot: str) -> Dataset:
    """What the mock serves in this test; override this fixture to serve your own records."""
    return Dataset.generate(seed=0, jobs=100, runs=20, snapshot=llamacloud_snapshot)


@pytest.fixture
def llamacloud_mock(
    _llamacloud_servers: _Servers, llamacloud_snapshot: str, llamacloud_dataset: Dataset
) -> Iterator[MockServer]:
    """The session's server for this test's snapshot, serving this test's dataset, with no fault armed and an
    empty request log; whatever the test changes is undone before the next one."""
    if llamacloud_dataset.snapshot != llamacloud_snapshot:
        raise pytest.UsageError(
            f"llamacloud_dataset is in the {llamacloud_dataset.snapshot} shape, but the test asks for the "
            f"{llamacloud_snapshot} snapshot: generate it with snapshot={llamacloud_snapshot!r}"
        )
    server = _llamacloud_servers.get(llamacloud_snapshot)
    server.replace_dataset(llamacloud_dataset)
    server.clear_faults()
    server.clear_request_log()
    yield server
    server.clear_faults()
    server.clear_request_log()


def _client_module() -> Any:
    try:
        import llamacloud_extract
    except ImportError:  # the mock's distribution does not need the client; these two fixtures do
        raise pytest.UsageError(
            "the llamacloud_client fixtures need the client: pip install llamacloud-extract"
        ) from None
    return llamacloud_extract


@pytest.fixture
def llamacloud_client(llamacloud_mock: MockServer) -> Iterator[ExtractClient]:
    """An `ExtractClient` bound to the mock (its key and base URL); closed after the test."""
    client: ExtractClient = _client_module().ExtractClient(
        api_key=llamacloud_mock.api_key, base_url=llamacloud_mock.base_url
    )
    with client:
        yield client
