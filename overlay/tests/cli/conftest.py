"""Running the command in process: `main(argv)` with its output captured, talking to a server the test
controls through `httpx.MockTransport` (the subprocess tests reach a real loopback server instead)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest

from llamacloud_extract import ExtractClient
from llamacloud_extract.cli import main, options

Responder = Callable[[httpx.Request], httpx.Response]


@attrs.frozen
class Outcome:
    code: int
    stdout: str
    stderr: str


@attrs.define
class Runner:
    """`runner(responder, *argv)` runs `llamacloud-extract *argv` against `responder`."""

    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    kit: Any
    clients: list[dict[str, Any]] = attrs.field(factory=list)

    def __call__(self, responder: Responder | None, *argv: str) -> Outcome:
        def client(**kwargs: Any) -> ExtractClient:
            self.clients.append(kwargs)
            if responder is None:
                return ExtractClient(**kwargs)
            transport = httpx.MockTransport(responder)
            made = ExtractClient(http_client=httpx.Client(transport=transport), **kwargs)
            made._sender.sleep = lambda seconds: None  # retries without waiting
            return made

        self.monkeypatch.setattr(options, "ExtractClient", functools.wraps(ExtractClient)(client))
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return Outcome(code, captured.out, captured.err)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kit: Any, clean_env: Any) -> Runner:
    """The command with `LLAMA_CLOUD_API_KEY` set to the kit's key and nothing else from the environment."""
    monkeypatch.setenv("LLAMA_CLOUD_API_KEY", kit.API_KEY)
    monkeypatch.setenv("LLAMA_CLOUD_BASE_URL", kit.BASE_URL)
    return Runner(monkeypatch, capsys, kit)
