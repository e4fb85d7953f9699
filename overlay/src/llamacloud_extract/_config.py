"""Where the client's settings come from: arguments first, then the environment, then the official SDK's defaults.

The names and defaults follow the official SDK, `llama-cloud` 2.19.0 (its `_client.py` and `_constants.py`),
so that moving between the two
clients changes nothing a user relies on: `LLAMA_CLOUD_API_KEY` (else `LLAMA_PARSE_API_KEY`),
`LLAMA_CLOUD_BASE_URL`, `LLAMA_CLOUD_CUSTOM_HEADERS`, a 60 s timeout with 5 s to connect. The retry count and
rules are the `retries` module's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import attrs
import httpx

from ._errors import ConfigurationError
from ._version import __version__

US_BASE_URL = "https://api.cloud.llamaindex.ai"
EU_BASE_URL = "https://api.cloud.eu.llamaindex.ai"
REGIONS: Mapping[str, str] = {"us": US_BASE_URL, "eu": EU_BASE_URL}

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)

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
    key, key_source = (api_key, "api_key") if api_key is not None else _first_env(API_KEY_ENV)
    if not key:
        raise ConfigurationError(
            "No API key: pass api_key=... or set the LLAMA_CLOUD_API_KEY environment variable "
            "(keys are per region: an EU key needs region='eu')."
        )
    check_api_key(key, key_source)
    url = _base_url(base_url, region)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {max_retries!r}")
    if not isinstance(strict, bool):
        raise ConfigurationError(f"strict must be True or False, got {strict!r}")
    headers = {
        "Accept": "application/json",
        "User-Agent": f"llamacloud-extract/{__version__} python-httpx/{httpx.__version__}",
        "Authorization": f"Bearer {key}",
        **_checked_headers(_custom_headers_from_env(), CUSTOM_HEADERS_ENV),
        **_checked_headers(default_headers or {}, "default_headers"),
    }
    return Config(
        api_key=key,
        base_url=url,
        timeout=_timeout(timeout, http_client_timeout),
        max_retries=max_retries,
        headers=headers,
        strict=strict,
    )


def _first_env(names: tuple[str, ...]) -> tuple[str | None, str]:
    """The first of the variables that is set and not empty, and its name (for messages)."""
    for name in names:
        if value := os.environ.get(name):
            return value, name
    return None, names[0]


# ---- what HTTP can carry -------------------------------------------------------------------------------------
# A value the HTTP library refuses fails only when a request is written, in an exception that quotes it (the key,
# a custom token); a non-ASCII one fails with a UnicodeEncodeError. Both are found here instead, and described by
# what is wrong with them, never by their text.

_HEADER_NAME = re.compile(r"[-!#$%&'*+.^_`|~0-9a-zA-Z]+")  # an RFC 9110 token
_CHARACTER_NAMES = {
    "\n": "a line feed",
    "\r": "a carriage return",
    " ": "a space",
    "\t": "a tab",
    "\x00": "a NUL character",
}


def _describe(char: str) -> str:
    """A character that cannot stand where it is, named without quoting anything around it."""
    if char in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[char]
    if ord(char) > 0x7F:
        return "a non-ASCII character"
    return f"a control character (U+{ord(char):04X})"


def _where(index: int, length: int) -> str:
    return "begins with" if index == 0 else "ends with" if index == length - 1 else "contains"


def check_api_key(key: object, source: str) -> str:
    """`key`, if HTTP can carry it in `Authorization: Bearer ...`; `source` names where it came from.

    A key is visible ASCII (what every LlamaCloud key is), so a space, a line end left by reading a file, a
    control or a non-ASCII character is a mistake to report, not to send."""
    if not isinstance(key, str):
        raise ConfigurationError(f"The API key ({source}) must be a str, got {type(key).__name__}")
    for index, char in enumerate(key):
        if not "\x21" <= char <= "\x7e":
            hint = "; was it read from a file with its line end?" if char in "\r\n" else ""
            raise ConfigurationError(
                f"The API key ({source}) {_where(index, len(key))} {_describe(char)}, which an HTTP header "
                f"cannot carry (a key is printable ASCII without spaces{hint})"
            )
    return key


def _checked_headers(headers: Mapping[str, object], source: str) -> dict[str, str]:
    """`headers`, if each name is a token and each value text HTTP can carry; a message names the header, never
    its value (custom headers often carry tokens too)."""
    if not isinstance(headers, Mapping):
        raise ConfigurationError(f"{source} must be a mapping of header names to values, got {type(headers).__name__}")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise ConfigurationError(f"{source}: {name!r} is not a valid header name")
        if not isinstance(value, str):
            raise ConfigurationError(f"{source}: the value of header {name} must be a str, got {type(value).__name__}")
        for index, char in enumerate(value):
            inner_blank = char in " \t" and 0 < index < len(value) - 1
            if not ("\x21" <= char <= "\x7e" or inner_blank):
                raise ConfigurationError(
                    f"{source}: the value of header {name} {_where(index, len(value))} {_describe(char)}, "
                    "which HTTP cannot carry there"
                )
        checked[name] = value
    return checked


def _base_url(base_url: str | None, region: str | None) -> str:
    if region is not None:
        if base_url is not None:
            raise ConfigurationError("Pass either base_url or region, not both.")
        if not isinstance(region, str):
            raise ConfigurationError(f"region must be a str, got {type(region).__name__}")
        if region.lower() not in REGIONS:
            raise ConfigurationError(f"Unknown region {region!r}; known regions: {', '.join(sorted(REGIONS))}.")
        return REGIONS[region.lower()]
    if base_url is not None:
        return check_base_url(base_url, "base_url")
    from_env = os.environ.get(BASE_URL_ENV)
    return check_base_url(from_env, BASE_URL_ENV) if from_env else US_BASE_URL


def check_base_url(url: object, source: str) -> str:
    """`url` without its trailing slashes, if the API's paths can be appended to it; `source` names where it
    came from.

    The client sends `base_url + "/api/v2/extract?..."`, so anything after the path would end up in the wrong
    place: a query would swallow the path (`...:8787/?x=1` asks for `/`), a fragment would never be sent
    (`.../#frag` asks for `/`). Credentials (`user:password@`) would be sent as a Basic `Authorization` instead
    of the key. All three are refused, and a message never quotes them: any of them may hold a secret."""
    if not isinstance(url, str):
        raise ConfigurationError(f"{source} must be a str, got {type(url).__name__}")
    shown = _shown(url)
    if not url.startswith(("https://", "http://")):
        raise ConfigurationError(
            f"{source} must start with https:// (or http://), got {shown!r}; for Europe, choose the region eu instead."
        )
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ConfigurationError(f"{source} must not contain spaces or control characters, got {shown!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number in 0-65535
    except ValueError as exc:  # that, or a malformed IPv6 address
        raise ConfigurationError(f"{source} is not a valid URL ({exc}), got {shown!r}") from None
    if "@" in parts.netloc:
        problem = "must not hold a user name or password (user:password@): the API key is the only credential sent"
    elif "?" in url:
        problem = "must not have a query (?...): the client appends the API's paths and parameters to it"
    elif "#" in url:
        problem = "must not have a fragment (#...), which would keep the API's paths from being sent"
    elif not parts.hostname:
        problem = "has no host"
    else:
        return url.rstrip("/")
    raise ConfigurationError(f"{source} {problem}; got {shown!r}")


def _shown(url: str) -> str:
    """`url` as a message may quote it: the part before any `?` or `#`, and no `user:password@` (the query, the
    fragment and the credentials are where secrets go)."""
    head = re.split(r"[?#]", url, maxsplit=1)[0]
    scheme, separator, rest = head.partition("://") if "://" in head else ("", "", head)
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}{separator}{authority}{slash}{path}" + ("..." if head != url else "")


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
