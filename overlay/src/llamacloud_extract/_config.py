"""Where the client's settings come from: arguments first, then the environment, then the official SDK's defaults.

The names and defaults follow `llama-cloud` 2.19.0 (api-ground-truth §5.1), so that moving between the two
clients changes nothing a user relies on: `LLAMA_CLOUD_API_KEY` (else `LLAMA_PARSE_API_KEY`),
`LLAMA_CLOUD_BASE_URL`, `LLAMA_CLOUD_CUSTOM_HEADERS`, a 60 s timeout with 5 s to connect, 5 retries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs
import httpx

from ._errors import ConfigurationError
from ._version import __version__

US_BASE_URL = "https://api.cloud.llamaindex.ai"
EU_BASE_URL = "https://api.cloud.eu.llamaindex.ai"
REGIONS: Mapping[str, str] = {"us": US_BASE_URL, "eu": EU_BASE_URL}

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)
DEFAULT_MAX_RETRIES = 5  # the official SDK's `_constants.py` (its README says 2; its code does 5)

API_KEY_ENV = ("LLAMA_CLOUD_API_KEY", "LLAMA_PARSE_API_KEY")
BASE_URL_ENV = "LLAMA_CLOUD_BASE_URL"
CUSTOM_HEADERS_ENV = "LLAMA_CLOUD_CUSTOM_HEADERS"


@attrs.frozen
class Config:
    """The resolved settings. The key is excluded from the repr, so printing a config never shows it."""

    api_key: str = attrs.field(repr=False)
    base_url: str
    timeout: httpx.Timeout | None  # None: keep the timeout the caller set on their `http_client`
    max_retries: int
    headers: Mapping[str, str] = attrs.field(repr=False)  # holds the Authorization header
    strict: bool = False
    """Refuse items that lack a field the spec requires, instead of reading them and warning."""


def resolve(
    *,
    api_key: str | None,
    base_url: str | None,
    region: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    http_client_timeout: httpx.Timeout | None,
    strict: bool = False,
) -> Config:
    """Resolve every setting, raising `ConfigurationError` now for anything that would only fail later.

    `http_client_timeout` is the timeout of the caller's `http_client`, None when the client makes its own.
    """
    key = api_key if api_key is not None else _first_env(API_KEY_ENV)
    if not key:
        raise ConfigurationError(
            "No API key: pass api_key=... or set the LLAMA_CLOUD_API_KEY environment variable "
            "(keys are per region: an EU key needs region='eu')."
        )
    url = _base_url(base_url, region)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {max_retries!r}")
    if not isinstance(strict, bool):
        raise ConfigurationError(f"strict must be True or False, got {strict!r}")
    headers = {
        "Accept": "application/json",
        "User-Agent": f"llamacloud-extract/{__version__} python-httpx/{httpx.__version__}",
        "Authorization": f"Bearer {key}",
        **_custom_headers_from_env(),
        **(default_headers or {}),
    }
    return Config(
        api_key=key,
        base_url=url,
        timeout=_timeout(timeout, http_client_timeout),
        max_retries=max_retries,
        headers=headers,
        strict=strict,
    )


def _first_env(names: tuple[str, ...]) -> str | None:
    for name in names:
        if value := os.environ.get(name):
            return value
    return None


def _base_url(base_url: str | None, region: str | None) -> str:
    if region is not None:
        if base_url is not None:
            raise ConfigurationError("Pass either base_url or region, not both.")
        if region.lower() not in REGIONS:
            raise ConfigurationError(f"Unknown region {region!r}; known regions: {', '.join(sorted(REGIONS))}.")
        return REGIONS[region.lower()]
    url = base_url if base_url is not None else (os.environ.get(BASE_URL_ENV) or US_BASE_URL)
    if not url.startswith(("https://", "http://")):
        raise ConfigurationError(
            f"base_url must start with https:// (or http://), got {url!r}; for Europe pass region='eu'."
        )
    return url.rstrip("/")


def _timeout(timeout: float | httpx.Timeout | None, http_client_timeout: httpx.Timeout | None) -> httpx.Timeout | None:
    """The timeout argument, else ours, except that a caller's `http_client` keeps a timeout set on purpose.

    Like the official SDK, a client left at httpx's own 5 s default counts as not set: it gets 60 s / 5 s.
    """
    if timeout is None:
        if http_client_timeout is None or http_client_timeout == _HTTPX_DEFAULT_TIMEOUT:
            return DEFAULT_TIMEOUT
        return None
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigurationError(f"timeout must be a positive number of seconds or an httpx.Timeout, got {timeout!r}")
    return httpx.Timeout(float(timeout))  # a number bounds every phase, as in httpx and the official SDK


def _custom_headers_from_env() -> dict[str, str]:
    """`LLAMA_CLOUD_CUSTOM_HEADERS`: newline-separated `Name: value` lines, as the official SDK reads them."""
    headers: dict[str, str] = {}
    for line in os.environ.get(CUSTOM_HEADERS_ENV, "").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            headers[name.strip()] = value.strip()
    return headers
