"""Downstream code can `pip install` the client from a checkout: wheels build, install into a fresh virtual
environment without any test or server dependency, import, and make a real call to a local HTTP server.

The build backends (hatchling, uv_build) and the runtime dependencies come from the package registry; with uv
(on PATH wherever nox runs with its uv backend) and its cache this takes a few seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from llamacloud_extract_api.models import ExtractV2JobQueryResponse

ROOT = Path(__file__).parents[1]
SNAPSHOTS = ROOT / "openapi" / "snapshots"
SPEC = SNAPSHOTS / (SNAPSHOTS / "DEFAULT").read_text().strip() / "extract-api.yaml"
V2_EXAMPLE = yaml.safe_load(SPEC.read_text())["paths"]["/api/v2/extract"]["get"]["responses"]["200"]["content"][
    "application/json"
]["examples"]["reference-page"]["value"]
FORBIDDEN = {"schemathesis", "hypothesis", "starlette", "uvicorn"}  # test and server tools, never runtime deps
TOKEN = "test-token-not-a-secret"
UV = shutil.which("uv")


def _run(*command: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(  # noqa: S603 (our own build and venv tools, with paths this test made)
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packaging")


@pytest.fixture(scope="module")
def fresh_python(work: Path) -> Path:
    """The interpreter of a new, empty virtual environment (with pip in it when uv is not there)."""
    venv = work / "venv"
    if UV:
        _run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=work)
    else:
        _run(sys.executable, "-m", "venv", venv, cwd=work)
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def wheels(work: Path, fresh_python: Path) -> dict[str, Path]:
    """One wheel per distribution of the checkout, each built in isolation as pip would."""
    dist = work / "dist"
    for project in ("generated", "overlay", "conformance"):
        if UV:
            _run(UV, "build", "--quiet", "--wheel", "--out-dir", dist, ROOT / project, cwd=work)
        else:
            _run(fresh_python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT / project, cwd=work)
    built = {path.name.split("-")[0]: path for path in dist.glob("*.whl")}
    assert set(built) == {"llamacloud_extract_api", "llamacloud_extract", "llamacloud_conformance"}
    return built


@pytest.fixture(scope="module")
def python(work: Path, wheels: dict[str, Path], fresh_python: Path) -> Path:
    """The fresh environment's interpreter, with the client (generated + overlay) installed from its wheels."""
    client = [wheels["llamacloud_extract_api"], wheels["llamacloud_extract"]]
    if UV:
        _run(UV, "pip", "install", "--quiet", "--python", fresh_python, *client, cwd=work)
    else:
        _run(fresh_python, "-m", "pip", "install", "--quiet", *client, cwd=work)
    return fresh_python


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


def test_the_client_installs_without_test_or_server_tools(python: Path, work: Path) -> None:
    listing = "import importlib.metadata as m, json; print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"
    installed = {name.lower().replace("_", "-") for name in json.loads(_run(python, "-c", listing, cwd=work))}
    assert {"llamacloud-extract", "llamacloud-extract-api"} <= installed
    assert "llamacloud-conformance" not in installed
    assert installed.isdisjoint(FORBIDDEN)


def test_importing_the_client_loads_no_test_or_server_module(python: Path, work: Path) -> None:
    probe = (
        "import json, sys, llamacloud_extract, llamacloud_extract_api.api.v2.list_extract_jobs_api_v2_extract_get;"
        "print(json.dumps({'file': llamacloud_extract.__file__, 'modules': sorted(sys.modules)}))"
    )
    loaded = json.loads(_run(python, "-c", probe, cwd=work))
    assert Path(loaded["file"]).is_relative_to(python.parents[1]), "imported from the checkout, not the wheel"
    assert {name.split(".")[0] for name in loaded["modules"]}.isdisjoint(FORBIDDEN)


# ---- one real call ----------------------------------------------------------------------------------------


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


CALL = """
import json, sys
import httpx
from llamacloud_extract_api import AuthenticatedClient
from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as list_jobs

client = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2], timeout=httpx.Timeout(10.0))
response = list_jobs.sync_detailed(client=client, page_size=2, expand=["configuration", "extract_metadata"])
print(json.dumps({"status": int(response.status_code), "type": type(response.parsed).__name__,
                  "body": response.parsed.to_dict()}))
"""


def test_the_installed_client_lists_jobs_from_a_local_server(python: Path, work: Path, server: _SeedServer) -> None:
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    answer = json.loads(_run(python, "-c", CALL, base_url, TOKEN, cwd=work))
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


def test_the_installed_command_lists_jobs_from_a_local_server(python: Path, work: Path, server: _SeedServer) -> None:
    """The wheel's console script, `llamacloud-extract`, runs from the fresh environment's bin folder."""
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    command = python.parent / "llamacloud-extract"
    printed = _run(
        command,
        "jobs",
        "list",
        "--limit",
        "1",
        "--format",
        "json",
        "--base-url",
        base_url,
        "--api-key",
        TOKEN,
        cwd=work,
    )
    assert json.loads(printed) == V2_EXAMPLE["items"]
    assert server.requests[0]["authorization"] == f"Bearer {TOKEN}"
