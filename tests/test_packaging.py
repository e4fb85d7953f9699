"""Each kind of user gets what it needs from `pip install`, and nothing else: wheels build from the checkout and
install into fresh virtual environments, one per kind of install, which then import and serve or call.

| install | pulls in | never |
| --- | --- | --- |
| the client: `llamacloud-extract` (+ the generated `llamacloud-extract-api`) | httpx, attrs | click, rich, the mock's and the suite's tools |
| the client's command line: `llamacloud-extract[cli]` | click, rich too | the mock's and the suite's tools |
| the mock server: `llamacloud-conformance` | Starlette, uvicorn, PyYAML, jsonschema, httpx, attrs | the suite's tools (schemathesis, hypothesis, pytest, requests), the client, click, rich |

The build backends (hatchling, uv_build) and the runtime dependencies come from the package registry; with uv
(on PATH wherever nox runs with its uv backend) and its cache this takes a few seconds per environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from llamacloud_conformance.mockprocess import announcing_process
from llamacloud_extract_api.models import ExtractV2Job, ExtractV2JobQueryResponse

ROOT = Path(__file__).parents[1]
SNAPSHOTS = ROOT / "openapi" / "snapshots"
SPEC = SNAPSHOTS / (SNAPSHOTS / "DEFAULT").read_text().strip() / "extract-api.yaml"
V2_EXAMPLE = yaml.safe_load(SPEC.read_text())["paths"]["/api/v2/extract"]["get"]["responses"]["200"]["content"][
    "application/json"
]["examples"]["reference-page"]["value"]
TOKEN = "test-token-not-a-secret"
UV = shutil.which("uv")
# What `llamacloud-conformance[suite]` adds, as conformance/pyproject.toml declares it.
SUITE_EXTRA = {
    re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
    for requirement in tomllib.loads((ROOT / "conformance" / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["suite"]
}

# Distributions (as pip names them) and the top-level modules they bring.
CLI_TOOLS = {"click", "rich"}
SERVER_TOOLS = {"starlette", "uvicorn"}
SUITE_TOOLS = {"schemathesis", "hypothesis", "pytest", "requests"}
NOT_IN_THE_CLIENT = CLI_TOOLS | SERVER_TOOLS | SUITE_TOOLS | {"llamacloud-conformance"}
NOT_IN_THE_COMMAND = SERVER_TOOLS | SUITE_TOOLS | {"llamacloud-conformance"}
# click is uvicorn's own requirement (for uvicorn's command line), so the mock cannot leave it out; rich it can.
NOT_IN_THE_MOCK = SUITE_TOOLS | {"rich", "llamacloud-extract", "llamacloud-extract-api"}
# What the mock's users import: the mock, its command, the spec tools.
MOCK_MODULES = [
    "llamacloud_conformance.mock",
    "llamacloud_conformance.mock.__main__",
    "llamacloud_conformance.mock.checks",
    "llamacloud_conformance.spec.diff",
    "llamacloud_conformance.cli",
    "llamacloud_conformance.mockprocess",
]


def _run(*command: str | Path, cwd: Path, expect: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(  # noqa: S603 (our own build and venv tools, with paths this test made)
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == expect, (
        f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packaging")


def _fresh_venv(work: Path, name: str) -> Path:
    """The interpreter of a new, empty virtual environment (with pip in it when uv is not there)."""
    venv = work / name
    if UV:
        _run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=work)
    else:
        _run(sys.executable, "-m", "venv", venv, cwd=work)
    return venv / "bin" / "python"


def _install(python: Path, *requirements: str | Path, cwd: Path) -> None:
    if UV:
        _run(UV, "pip", "install", "--quiet", "--python", python, *requirements, cwd=cwd)
    else:
        _run(python, "-m", "pip", "install", "--quiet", *requirements, cwd=cwd)


@pytest.fixture(scope="module")
def wheels(work: Path) -> dict[str, Path]:
    """One wheel per distribution of the checkout, each built in isolation as pip would."""
    dist = work / "dist"
    builder = None if UV else _fresh_venv(work, "builder")
    for project in ("generated", "overlay", "conformance"):
        if builder is None:
            _run(str(UV), "build", "--quiet", "--wheel", "--out-dir", dist, ROOT / project, cwd=work)
        else:
            _run(builder, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT / project, cwd=work)
    built = {path.name.split("-")[0]: path for path in dist.glob("*.whl")}
    assert set(built) == {"llamacloud_extract_api", "llamacloud_extract", "llamacloud_conformance"}
    return built


@pytest.fixture(scope="module")
def client_python(work: Path, wheels: dict[str, Path]) -> Path:
    """A fresh environment with the client alone: the generated and the overlay wheels, no extra."""
    python = _fresh_venv(work, "client")
    _install(python, wheels["llamacloud_extract_api"], wheels["llamacloud_extract"], cwd=work)
    return python


@pytest.fixture(scope="module")
def cli_python(work: Path, wheels: dict[str, Path]) -> Path:
    """A fresh environment with the client and its command line: `llamacloud-extract[cli]`."""
    python = _fresh_venv(work, "cli")
    _install(python, wheels["llamacloud_extract_api"], f"{wheels['llamacloud_extract']}[cli]", cwd=work)
    return python


@pytest.fixture(scope="module")
def mock_python(work: Path, wheels: dict[str, Path]) -> Path:
    """A fresh environment with the mock alone: the conformance wheel, no extra (it needs no other wheel of ours)."""
    python = _fresh_venv(work, "mock")
    _install(python, wheels["llamacloud_conformance"], cwd=work)
    return python


def _installed(python: Path, work: Path) -> set[str]:
    listing = "import importlib.metadata as m, json; print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"
    return {name.lower().replace("_", "-") for name in json.loads(_run(python, "-c", listing, cwd=work).stdout)}


def _loaded_after_importing(python: str | Path, modules: list[str], cwd: Path) -> set[str]:
    """The top-level modules loaded once `modules` are imported, in a fresh interpreter."""
    probe = f"import json, sys\nfor m in {modules!r}: __import__(m)\nprint(json.dumps(sorted(sys.modules)))"
    return {name.split(".")[0] for name in json.loads(_run(python, "-c", probe, cwd=cwd).stdout)}


def _top_level_modules(distributions: set[str]) -> set[str]:
    return {name.replace("-", "_") for name in distributions}


# ---- the wheels ---------------------------------------------------------------------------------------------


def _wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if ".dist-info/" not in name}


def test_each_wheel_holds_its_package_and_its_typing_marker(wheels: dict[str, Path]) -> None:
    for package, wheel in wheels.items():
        files = _wheel_files(wheel)
        assert f"{package}/__init__.py" in files
        assert f"{package}/py.typed" in files, f"{wheel.name} would not be type-checked downstream"
    assert "llamacloud_extract_api/api/v2/list_extract_jobs_api_v2_extract_get.py" in _wheel_files(
        wheels["llamacloud_extract_api"]
    )


def test_the_conformance_wheel_carries_every_snapshot_itself(wheels: dict[str, Path]) -> None:
    with zipfile.ZipFile(wheels["llamacloud_conformance"]) as archive:
        assert archive.read("llamacloud_conformance/snapshots/DEFAULT") == (SNAPSHOTS / "DEFAULT").read_bytes()
        for spec in SNAPSHOTS.glob("*/extract-api.yaml"):
            shipped = f"llamacloud_conformance/snapshots/{spec.parent.name}/extract-api.yaml"
            assert archive.read(shipped) == spec.read_bytes(), f"{shipped} is not the repository's spec"


# ---- the client alone ---------------------------------------------------------------------------------------


def test_the_client_installs_without_its_command_line_or_any_test_or_server_tool(
    client_python: Path, work: Path
) -> None:
    installed = _installed(client_python, work)
    assert {"llamacloud-extract", "llamacloud-extract-api", "httpx", "attrs"} <= installed
    assert installed.isdisjoint(NOT_IN_THE_CLIENT), installed & NOT_IN_THE_CLIENT


def test_importing_the_client_loads_no_command_line_test_or_server_module(client_python: Path, work: Path) -> None:
    probe = "import llamacloud_extract; print(llamacloud_extract.__file__)"
    assert Path(_run(client_python, "-c", probe, cwd=work).stdout.strip()).is_relative_to(client_python.parents[1])
    modules = ["llamacloud_extract", "llamacloud_extract_api.api.v2.list_extract_jobs_api_v2_extract_get"]
    loaded = _loaded_after_importing(client_python, modules, work)
    assert loaded.isdisjoint(_top_level_modules(NOT_IN_THE_CLIENT))


class _SeedServer(ThreadingHTTPServer):
    """Answers GET /api/v2/extract with the spec's seed example, and 401 without the expected key."""

    requests: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: _SeedServer

    def do_GET(self) -> None:
        self.server.requests.append({"path": self.path, "authorization": self.headers.get("Authorization")})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._reply(401, {"detail": "Not authenticated"})
        elif self.path.split("?")[0] == "/api/v2/extract":
            self._reply(200, V2_EXAMPLE)
        else:
            self._reply(404, {"detail": "Not Found"})

    def _reply(self, status: int, body: Any) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def server() -> Iterator[_SeedServer]:
    httpd = _SeedServer(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _url(server: _SeedServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


GENERATED_CALL = """
import json, sys
import httpx
from llamacloud_extract_api import AuthenticatedClient
from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as list_jobs

client = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2], timeout=httpx.Timeout(10.0))
response = list_jobs.sync_detailed(client=client, page_size=2, expand=["configuration", "extract_metadata"])
print(json.dumps({"status": int(response.status_code), "type": type(response.parsed).__name__,
                  "body": response.parsed.to_dict()}))
"""

CLIENT_CALL = """
import json, sys
from llamacloud_extract import ExtractClient

with ExtractClient(base_url=sys.argv[1], api_key=sys.argv[2]) as client:
    jobs = list(client.jobs.list(limit=1, read_ahead=False, expand=["configuration"]))
print(json.dumps([job.to_dict() for job in jobs]))
"""


def test_the_installed_generated_package_lists_jobs_from_a_local_server(
    client_python: Path, work: Path, server: _SeedServer
) -> None:
    answer = json.loads(_run(client_python, "-c", GENERATED_CALL, _url(server), TOKEN, cwd=work).stdout)
    assert server.requests == [
        {
            "path": "/api/v2/extract?page_size=2&expand=configuration&expand=extract_metadata",
            "authorization": f"Bearer {TOKEN}",
        }
    ]
    assert answer["status"] == 200
    assert answer["type"] == "ExtractV2JobQueryResponse"
    assert answer["body"] == ExtractV2JobQueryResponse.from_dict(V2_EXAMPLE).to_dict()
    assert answer["body"]["items"][0]["document_input_value"] == V2_EXAMPLE["items"][0]["document_input_value"]


def test_the_installed_client_lists_jobs_from_a_local_server(
    client_python: Path, work: Path, server: _SeedServer
) -> None:
    answer = json.loads(_run(client_python, "-c", CLIENT_CALL, _url(server), TOKEN, cwd=work).stdout)
    assert answer == [ExtractV2Job.from_dict(V2_EXAMPLE["items"][0]).to_dict()]
    assert server.requests == [{"path": "/api/v2/extract?expand=configuration", "authorization": f"Bearer {TOKEN}"}]


def _extract_command(python: Path, how: str) -> list[str | Path]:
    """`llamacloud-extract` as the environment's console script, or as `python -m llamacloud_extract`."""
    return [python.parent / "llamacloud-extract"] if how == "console script" else [python, "-m", "llamacloud_extract"]


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_the_command_without_its_extra_says_in_one_line_what_to_install(
    client_python: Path, work: Path, server: _SeedServer, how: str
) -> None:
    command = _extract_command(client_python, how)
    done = _run(*command, "jobs", "list", "--base-url", _url(server), "--api-key", TOKEN, cwd=work, expect=2)
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("llamacloud-extract: error: the command line needs click, which is not installed")
    assert done.stderr.rstrip().endswith("pip install 'llamacloud-extract[cli]'")
    assert server.requests == []


@pytest.mark.parametrize(
    ("blocked", "named"), [("click", "click"), ("rich.console", "rich"), ("llamacloud_extract.cli.app", None)]
)
def test_the_entry_point_names_a_missing_library_and_never_hides_a_module_of_its_own(
    blocked: str, named: str | None, tmp_path: Path
) -> None:
    """In this environment, with a module made unimportable: a library the extra brings is named; a module of
    the package itself missing is a bug, and keeps its traceback."""
    code = f"import sys; sys.modules[{blocked!r}] = None; from llamacloud_extract.__main__ import main; main()"
    done = _run(sys.executable, "-c", code, "jobs", "list", cwd=tmp_path, expect=2 if named else 1)
    if named:
        assert done.stderr == (
            f"llamacloud-extract: error: the command line needs {named}, which is not installed: "
            "pip install 'llamacloud-extract[cli]'\n"
        )
    else:
        assert "Traceback" in done.stderr
        assert blocked in done.stderr.splitlines()[-1]


# ---- the client with its command line -----------------------------------------------------------------------


def test_the_cli_extra_adds_click_and_rich_and_nothing_of_the_mock_or_the_suite(cli_python: Path, work: Path) -> None:
    installed = _installed(cli_python, work)
    assert {"llamacloud-extract", "llamacloud-extract-api", *CLI_TOOLS} <= installed
    assert installed.isdisjoint(NOT_IN_THE_COMMAND), installed & NOT_IN_THE_COMMAND


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_the_installed_command_lists_jobs_from_a_local_server(
    cli_python: Path, work: Path, server: _SeedServer, how: str
) -> None:
    command = _extract_command(cli_python, how)
    arguments = ["jobs", "list", "--limit", "1", "--format", "json", "--base-url", _url(server), "--api-key", TOKEN]
    printed = _run(*command, *arguments, cwd=work).stdout
    assert json.loads(printed) == V2_EXAMPLE["items"]
    assert server.requests[0]["authorization"] == f"Bearer {TOKEN}"


# ---- the mock server alone ----------------------------------------------------------------------------------


def test_the_mock_installs_without_the_suite_the_client_or_a_command_line_library(
    mock_python: Path, work: Path
) -> None:
    installed = _installed(mock_python, work)
    assert {"llamacloud-conformance", *SERVER_TOOLS, "pyyaml", "jsonschema", "httpx", "attrs"} <= installed
    assert installed.isdisjoint(NOT_IN_THE_MOCK), installed & NOT_IN_THE_MOCK
    uvicorn_needs = "import importlib.metadata as m; print(' '.join(m.requires('uvicorn')))"
    assert "click" in _run(mock_python, "-c", uvicorn_needs, cwd=work).stdout  # the one CLI tool here, uvicorn's


def test_importing_the_mock_and_the_spec_tools_needs_nothing_of_the_suite(mock_python: Path, work: Path) -> None:
    """In the fresh environment, where the suite's tools are absent, so that any import of one fails."""
    loaded = _loaded_after_importing(mock_python, MOCK_MODULES, work)
    assert {"llamacloud_conformance", "starlette", "uvicorn"} <= loaded


def test_importing_the_mock_and_the_spec_tools_loads_nothing_of_the_suite_where_it_is_installed(
    tmp_path: Path,
) -> None:
    """The same guard in this environment, which has the suite: a lazy import must stay lazy. (Not for rich:
    here httpx itself imports it, with its own command line, because click, rich and pygments are installed.)"""
    loaded = _loaded_after_importing(sys.executable, MOCK_MODULES, tmp_path)
    suite = _top_level_modules(NOT_IN_THE_MOCK - {"rich"})
    assert loaded.isdisjoint(suite), loaded & suite


@pytest.mark.parametrize("how", ["llamacloud-conformance mock", "python -m llamacloud_conformance.mock"])
def test_the_installed_mock_serves_a_request(mock_python: Path, how: str) -> None:
    command = (
        [mock_python.parent / "llamacloud-conformance", "mock"]
        if how.startswith("llamacloud-conformance")
        else [mock_python, "-m", "llamacloud_conformance.mock"]
    )
    options = ["--host", "127.0.0.1", "--port", "0", "--api-key", TOKEN, "--jobs", "7", "--runs", "2", "--seed", "3"]
    with announcing_process([str(part) for part in (*command, *options)]) as announced:
        base_url = announced["LLAMA_CLOUD_BASE_URL"]
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(f"{base_url}/api/v2/extract", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == 7


def test_run_without_the_suite_says_in_one_line_what_to_install(mock_python: Path, work: Path) -> None:
    command = mock_python.parent / "llamacloud-conformance"
    done = _run(command, "run", "--report-dir", work / "reports", cwd=work, expect=2)
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    named = done.stderr.partition("(missing: ")[2].partition(")")[0]
    assert set(named.split(", ")) == SUITE_EXTRA
    assert {"llamacloud-extract", *SUITE_TOOLS} <= SUITE_EXTRA
    assert done.stderr.rstrip().endswith("pip install 'llamacloud-conformance[suite]'")
    assert not (work / "reports").exists()


def test_the_spec_differ_runs_without_the_suite(mock_python: Path, work: Path) -> None:
    done = _run(mock_python, "-m", "llamacloud_conformance.spec.diff", "2026-03-28", "2026-08-20", cwd=work, expect=1)
    assert "response-property-renamed" in done.stdout
