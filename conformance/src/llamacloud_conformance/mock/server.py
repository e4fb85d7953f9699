"""Running the mock as a real HTTP server: in a background thread for tests (`running_mock`), or in the
foreground for the command line (`serve`)."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from .app import create_app
from .dataset import Dataset
from .faults import FaultRule
from .requestlog import LoggedRequest
from .state import MockState
from .store import Store

_STARTUP_TIMEOUT = 30.0


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: the system picks a free one), so the address is known before serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def exposure_warning(host: str) -> str | None:
    """What to say, loudly, when the mock listens (on `host`, the address it is bound to) where other machines
    can reach it: it has no TLS, and it trusts whoever holds the printed key and admin token. None on a
    loopback address."""
    try:
        address = ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        address = None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address is not None and address.is_loopback:
        return None
    return (
        f"WARNING: the mock server listens on {host}, which is not a loopback address: anyone who can reach this "
        "machine can list its data and, with the admin token, change it; it speaks plain HTTP. Use --host "
        "127.0.0.1 unless that is what you want, and never give it a real API key."
    )


def uvicorn_server(
    state: MockState, *, log_level: str = "warning", wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> uvicorn.Server:
    app = create_app(state)
    config = uvicorn.Config(
        wrap(app) if wrap is not None else app,
        lifespan="off",
        log_level=log_level,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        ws="none",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def base_url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class MockServer:
    """A mock server running in this process; what `running_mock` yields."""

    def __init__(self, state: MockState, base_url: str, api_key: str) -> None:
        self._state = state
        self.base_url = base_url
        self.api_key = api_key

    @property
    def admin_token(self) -> str:
        """The token of the admin API under /_mock (`Authorization: Bearer <token>`)."""
        return self._state.admin_token

    def __repr__(self) -> str:  # the key and the admin token stay out of reprs, as secrets do everywhere
        return (
            f"MockServer(base_url={self.base_url!r}, snapshot={self.snapshot!r}, jobs={len(self.dataset.jobs)}, "
            f"runs={len(self.dataset.runs)})"
        )

    @property
    def snapshot(self) -> str:
        """The snapshot of the API this server speaks."""
        return self._state.spec.name

    @property
    def dataset(self) -> Dataset:
        """What the server serves now (use its `select_jobs` / `select_runs` to compute expected results): read
        from the server's state, so data swapped in over HTTP (`PUT /_mock/dataset`) shows here too."""
        return self._state.store.dataset

    @property
    def keys(self) -> dict[str, str]:
        """Every API key the server accepts, with the project key (UUID) each one sees."""
        return dict(self._state.keys)

    def set_faults(self, rules: Iterable[FaultRule]) -> None:
        """Arm these fault rules, replacing any armed before (counts start afresh)."""
        self._state.faults.set(rules)

    def clear_faults(self) -> None:
        self._state.faults.clear()

    @property
    def faults(self) -> list[dict[str, Any]]:
        """The armed rules as JSON, each with its `remaining` firings."""
        return self._state.faults.snapshot()

    @property
    def request_log(self) -> list[LoggedRequest]:
        """The API requests served so far (at most the last `request_log_size`), in the order they finished."""
        return self._state.log.entries()

    def clear_request_log(self) -> None:
        self._state.log.clear()

    def use_dataset(self, dataset: Dataset) -> None:
        """Serve another dataset from the next request on (the keys keep their projects)."""
        self._state.use_dataset(dataset)

    def replace_dataset(self, dataset: Dataset) -> None:
        """Serve another dataset from the next request on, and let the keys that saw the old default project see
        the new one's (as `PUT /_mock/dataset` does): what a test that brings its own records wants."""
        self._state.replace_store(Store(dataset))

    def add_records(self, jobs: Iterable[Mapping[str, Any]] = (), runs: Iterable[Mapping[str, Any]] = ()) -> None:
        """Insert records while serving, as new jobs arrive in the real service (tokens stay valid)."""
        self.use_dataset(self.dataset.with_records(jobs, runs))


@contextlib.contextmanager
def running_mock(
    dataset: Dataset | None = None,
    *,
    api_key: str = "test-key",
    keys: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Iterable[FaultRule] = (),
    token_secret: bytes | None = None,
    request_log_size: int = 10_000,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
    snapshot: str | None = None,
    admin_token: str | None = None,
) -> Iterator[MockServer]:
    """A real uvicorn server on `host` (an ephemeral port by default) in a background thread, shut down on exit.

    `api_key` sees the dataset's default project; `keys` adds more keys, each mapped to a project id (either
    spelling), e.g. `{"other-key": ds.projects[1].id}`. Without a dataset, a small generated one (seed 0).
    `wrap` puts ASGI middleware in front of the app: how the conformance suite's own tests make a server that
    misbehaves on purpose, without a broken path in the server itself. The server speaks the dataset's snapshot;
    `snapshot` picks it when no dataset is given (default: the default snapshot). `admin_token` opens the admin
    API under /_mock (default: a random one, `server.admin_token`).
    """
    if dataset is None:
        dataset = Dataset.generate(seed=0, snapshot=snapshot)
    elif snapshot is not None and dataset.snapshot != snapshot:
        raise ValueError(f"the dataset is in the {dataset.snapshot} shape, not {snapshot}")
    state = MockState(
        dataset,
        {api_key: dataset.default_project_id, **(keys or {})},
        token_secret=token_secret,
        faults=faults,
        request_log_size=request_log_size,
        admin_token=admin_token,
    )
    sock = bind(host, port)
    if (warning := exposure_warning(str(sock.getsockname()[0]))) is not None:
        print(warning, file=sys.stderr, flush=True)
    with in_thread(uvicorn_server(state, wrap=wrap), sock) as base_url:
        yield MockServer(state, base_url, api_key)


@contextlib.contextmanager
def in_thread(
    server: uvicorn.Server, sock: socket.socket, *, name: str = "llamacloud-mock", what: str = "the mock server"
) -> Iterator[str]:
    """Serve on `sock` (a socket from `bind`, closed on exit) in a background thread of this process until the
    block ends; its base URL. A server that cannot start is an error here, saying why, rather than a test that
    waits for nothing. `name` begins the thread's name and `what` the error's (the suite's own tests serve an
    independent implementation of the API this way too)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as error:  # reported to the caller below, not lost in the thread
            failure.append(error)

    base_url = base_url_of(sock)
    thread = threading.Thread(target=run, name=f"{name}-{base_url}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not server.started:
            if failure or not thread.is_alive():
                raise RuntimeError(f"{what} failed to start: {failure[0] if failure else 'thread ended'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start within {_STARTUP_TIMEOUT} s")
            time.sleep(0.005)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
