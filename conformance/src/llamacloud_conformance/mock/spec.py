"""The spec, loaded once, and JSON Schema validators for what it declares.

The mock derives its request validation and its tests derive their response checks from this one document, so
a change to `openapi/extract-api.yaml` reaches both without a second copy to keep in sync.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ..spec import snapshots

if TYPE_CHECKING:  # jsonschema's format checkers take seconds to import; the server itself never needs them
    from jsonschema import Draft202012Validator
    from referencing import Registry

SPEC_URI = "urn:llamacloud-extract-api:openapi"
JOBS_PATH = "/api/v2/extract"
RUNS_PATH = "/api/v1/extractionv2/runs"


def load_spec() -> dict[str, Any]:
    """The default snapshot's spec as a dict."""
    return snapshots.load_document(snapshots.default_name())


@functools.cache
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource: Resource[Any] = Resource.from_contents(load_spec(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """`node` itself, or what its local `$ref` (`#/components/...`) points at."""
    ref = node.get("$ref")
    if ref is None:
        return node
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, got {ref!r}")
    target: Any = load_spec()
    for part in ref[2:].split("/"):
        target = target[part]
    return resolve(target)


def _pointer(*parts: str) -> str:
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def validator_at(pointer: str) -> Draft202012Validator:
    """A Draft 2020-12 validator, with format checking, for the schema at JSON pointer `pointer` in the spec.

    The schema is referenced in place rather than copied, so its own `$ref`s resolve against the spec.
    """
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@functools.cache
def component_validator(name: str) -> Draft202012Validator:
    """The validator of `#/components/schemas/<name>`."""
    if name not in load_spec()["components"]["schemas"]:
        raise KeyError(f"the spec has no schema named {name!r}")
    return validator_at(_pointer("components", "schemas", name))


def operation(path: str, method: str = "get") -> dict[str, Any]:
    """The operation object of `method path`."""
    return dict(load_spec()["paths"][path][method])


@functools.cache
def response_validator(path: str, status: int, method: str = "get") -> Draft202012Validator:
    """The validator of the JSON body the spec declares for `status` on `method path`.

    Raises KeyError when the spec declares no such response: a test that asks is then told at once that the
    server answered with a status the spec does not document.
    """
    responses = operation(path, method)["responses"]
    if str(status) not in responses:
        raise KeyError(f"the spec declares no {status} response for {method.upper()} {path}")
    response = responses[str(status)]
    where: tuple[str, ...] = ("paths", path, method, "responses", str(status))
    ref = response.get("$ref")
    if isinstance(ref, str):
        where = tuple(ref.removeprefix("#/").split("/"))
    return validator_at(_pointer(*where, "content", "application/json", "schema"))


def parameters(path: str, method: str = "get") -> list[dict[str, Any]]:
    """The operation's parameters, each with its `$ref` resolved, in the spec's order."""
    return [resolve(p) for p in operation(path, method).get("parameters", [])]
