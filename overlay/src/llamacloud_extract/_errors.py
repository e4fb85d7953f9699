"""The exceptions the client raises: one hierarchy, named like the official `llama-cloud` SDK's.

Every error that comes from talking to the API carries the request's method and URL (the URL never holds
the API key: the key travels in a header) and, when there was a response, its status and body. Nothing here
keeps the `httpx.Request`, whose headers do hold the key.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from llamacloud_extract_api.models import HTTPValidationError, ValidationError

from ._conforms import conforms

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "LlamaCloudError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLongError",
    "ResponseValidationError",
    "UnprocessableEntityError",
]

_BODY_IN_MESSAGE = 500  # characters of the body quoted in an error's message; `.body` keeps all of it


class LlamaCloudError(Exception):
    """The base of every exception this package raises on purpose."""


class ConfigurationError(LlamaCloudError, ValueError):
    """The client cannot be built as asked: no API key, an unknown region, a base URL that is not http(s)."""


class RequestTooLongError(LlamaCloudError, ValueError):
    """A request no URL can carry: a value (a filter, `expand`, a page token) too long for it. Raised before
    anything is sent, naming the value and how long it is. (More `job_ids` than fit in one request are not an
    error: the listing is split.)"""


class APIError(LlamaCloudError):
    """A request to the API failed. `method` and `url` say which one; `body` is what came back, if anything."""

    def __init__(self, message: str, *, method: str, url: str, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.body = body


class APIConnectionError(APIError):
    """No response arrived: the connection failed or broke (after the retries, if any were allowed)."""


class APITimeoutError(APIConnectionError):
    """No response arrived in time (after the retries, if any were allowed)."""


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status that no subclass names (a 405, a proxy's 499, ...)."""

    def __init__(
        self, message: str, *, method: str, url: str, status_code: int, headers: httpx.Headers, body: object | None
    ) -> None:
        super().__init__(message, method=method, url=url, body=body)
        self.status_code = status_code
        self.headers = headers


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong, or for another region."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409 (retried first, as the official SDK does: the API uses it for lock timeouts)."""


class UnprocessableEntityError(APIStatusError):
    """422: the API rejected a parameter. `detail` is the parsed `HTTPValidationError.detail` list."""

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: httpx.Headers,
        body: object | None,
        detail: list[ValidationError],
    ) -> None:
        super().__init__(message, method=method, url=url, status_code=status_code, headers=headers, body=body)
        self.detail = detail


class RateLimitError(APIStatusError):
    """429 (retried first, obeying `Retry-After` when it is reasonable)."""


class InternalServerError(APIStatusError):
    """Any 5xx, the non-standard ones (520, 561) included (retried first)."""


class ResponseValidationError(APIError):
    """A response the client cannot read: not JSON, or JSON that does not have the shape the spec declares.

    Raised instead of the `KeyError` or `TypeError` that reading it would otherwise end in, so that a broken
    server or proxy never looks like a bug in the caller's code.
    """

    def __init__(self, message: str, *, method: str, url: str, status_code: int, body: object | None) -> None:
        super().__init__(message, method=method, url=url, body=body)
        self.status_code = status_code


class PaginationError(APIError):
    """The server broke the pagination contract: it handed back a page token it had already given."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def public_url(url: httpx.URL) -> str:
    """The URL as it may appear in messages and logs: without any user:password part."""
    return str(url.copy_with(username=None, password=None)) if url.userinfo else str(url)


def transport_failure(exc: httpx.TransportError) -> str:
    """What went wrong with a request that got no response, fit for a message: the exception's class and text,
    except where that text may quote the request itself. The HTTP library refuses a header value it cannot
    write with a `LocalProtocolError` that repeats the value, which may be a key or a token: only the class
    is kept then."""
    name = type(exc).__name__
    if isinstance(exc, httpx.LocalProtocolError):
        return f"{name}: the HTTP library refused to write the request, e.g. a header value it cannot carry"
    return f"{name}: {exc}" if str(exc) else name


def decode_body(response: httpx.Response) -> object | None:
    """The decoded JSON body, else its text (as the official SDK does), else None for an empty body."""
    if not response.content:
        return None
    try:
        body: object = json.loads(response.content)
    except ValueError:
        return response.text
    return body


def _quote(body: object | None) -> str:
    text = body if isinstance(body, str) else json.dumps(body)
    return text if len(text) <= _BODY_IN_MESSAGE else text[:_BODY_IN_MESSAGE] + "..."


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for a 4xx/5xx response. Any status number works, IANA-registered or not."""
    status = response.status_code
    method, url = response.request.method, public_url(response.request.url)
    body = decode_body(response)
    reason = response.reason_phrase or "(no reason phrase)"
    message = f"{method} {url} failed with {status} {reason}" + (f": {_quote(body)}" if body is not None else "")
    if status == 422:
        detail = _validation_detail(body)
        return UnprocessableEntityError(
            message, method=method, url=url, status_code=status, headers=response.headers, body=body, detail=detail
        )
    cls = InternalServerError if status >= 500 else _STATUS_CLASSES.get(status, APIStatusError)
    return cls(message, method=method, url=url, status_code=status, headers=response.headers, body=body)


def _validation_detail(body: object | None) -> list[ValidationError]:
    """The parsed 422 detail list; empty when the body does not have the declared shape (it is still in `body`)."""
    if not isinstance(body, dict):
        return []
    try:
        parsed = HTTPValidationError.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError):
        return []
    detail: Any = parsed.detail
    return detail if isinstance(detail, list) and conforms(parsed) else []
