"""Checking responses against the spec: what the mock's own tests do to every response, offered to anyone who
tests against the mock (or against a real deployment) with httpx."""

from __future__ import annotations

from typing import Any

import httpx

from ..spec.document import JOBS_PATH, RUNS_PATH, Spec

API_PATHS = (JOBS_PATH, RUNS_PATH)


class SpecViolation(AssertionError):
    """A response the spec does not allow: an undeclared status, a body that fails its schema."""


def check_response(response: httpx.Response, spec: Spec | None = None) -> None:
    """Raise SpecViolation unless `response` (from one of the two endpoints) is what `spec` (default: the
    default snapshot's) declares.

    Responses from other paths, and the ones a test provoked on purpose are not the spec's business and pass:
    a fault's (the response carries `X-Mock-Fault-Injected`, or the request asked with `X-Mock-Fault`) and
    routing's (404, 405).
    """
    path = response.request.url.path
    provoked = "x-mock-fault-injected" in response.headers or "x-mock-fault" in response.request.headers
    if path not in API_PATHS or provoked or response.status_code in (404, 405):
        return
    try:
        validator = (spec or Spec.load()).response_validator(path, response.status_code)
    except KeyError as error:
        raise SpecViolation(f"{response.request.method} {path}: {error.args[0]}") from None
    content_type = response.headers.get("content-type", "")
    if content_type.split(";")[0].strip() != "application/json":
        raise SpecViolation(f"{path} answered {response.status_code} with content-type {content_type!r}")
    body: Any = response.json()
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        listed = "\n".join(f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])
        raise SpecViolation(f"{path} {response.status_code}: the body violates the spec:\n{listed}")


def spec_checked_client(
    base_url: str, api_key: str | None = None, *, snapshot: str | None = None, **options: Any
) -> httpx.Client:
    """An httpx.Client that checks every response it receives against the snapshot's spec (SpecViolation
    otherwise)."""
    spec = Spec.load(snapshot)
    headers = dict(options.pop("headers", {}))
    if api_key is not None:
        headers["Authorization"] = f"Bearer {api_key}"

    def hook(response: httpx.Response) -> None:
        response.read()
        check_response(response, spec)

    return httpx.Client(base_url=base_url, headers=headers, event_hooks={"response": [hook]}, **options)
