"""One snapshot's spec, read once: its list operations, what each parameter means, what their items hold, and
JSON Schema validators for what it declares.

Everything the mock serves and the suite checks is derived from a `Spec`: which routes exist, which
parameters filter which fields, which fields `expand` fills, what a valid body is. Loading checks that the spec
says all of that (see `meaning`), so a spec that adds a parameter without saying what it does fails here,
naming it, before any server starts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import meaning, snapshots
from .meaning import Expand, Filter, Meaning, MeaningError, Page, Scope

if TYPE_CHECKING:  # jsonschema's format checkers take seconds to import; the server itself never needs them
    from jsonschema import Draft202012Validator
    from referencing import Registry

JOBS_PATH = "/api/v2/extract"
RUNS_PATH = "/api/v1/extractionv2/runs"
LISTING = "x-llamacloud-listing"
EXPANDABLE = "x-llamacloud-expandable"
RENAMED_FROM = "x-llamacloud-renamed-from"
_REQUIRES_EXPAND = re.compile(r"[Rr]equires `?expand=(\w+)`?")


@attrs.frozen
class Parameter:
    """A parameter of an operation, its `$ref` resolved, with its declared meaning."""

    name: str
    location: str
    schema: Mapping[str, Any]
    meaning: Meaning
    deprecated: bool
    declared: Mapping[str, Any] = attrs.field(repr=False)
    """The parameter object as the spec writes it (for the query compiler)."""


@attrs.frozen
class Listing:
    """How a list operation's response carries its items (`x-llamacloud-listing`)."""

    items: str | None
    """The key of the items array in the body; None when the body is the array itself."""
    next_page_token: str | None
    total_size: str | None
    newest_first_by: str | None
    """The date-time field the items are listed by, newest first (None: the spec promises no order)."""
    project_by: tuple[str, ...]
    """The path, in an item, to the id of the project the item belongs to."""


class Operation:
    """A GET list operation of the spec."""

    def __init__(self, spec: Spec, path: str, declared: Mapping[str, Any]) -> None:
        self.spec = spec
        self.path = path
        self.method = "GET"
        self.operation_id: str = declared["operationId"]
        self.deprecated = bool(declared.get("deprecated", False))
        self.label = f"GET {path}"
        self.parameters: tuple[Parameter, ...] = tuple(
            _parameter(spec.resolve(p), self.label) for p in declared.get("parameters", [])
        )
        self.listing = _listing(declared.get(LISTING), self.label)
        body = spec.resolve(declared["responses"]["200"])["content"]["application/json"]["schema"]
        body = spec.resolve(body)
        if self.listing.items is None:
            self.item_ref = body["items"].get("$ref", "")
        else:
            self.item_ref = spec.resolve(body["properties"][self.listing.items])["items"].get("$ref", "")
        if not self.item_ref.startswith("#/components/schemas/"):
            raise MeaningError(f"{self.label}: items must be a $ref to a component schema, got {self.item_ref!r}")
        self.item_schema_name = self.item_ref.rsplit("/", 1)[1]
        self.item_schema: Mapping[str, Any] = spec.resolve({"$ref": self.item_ref})
        self.fields: tuple[str, ...] = tuple(self.item_schema.get("properties", {}))
        self.required: frozenset[str] = frozenset(self.item_schema.get("required", ()))
        self.expandable: tuple[str, ...] = tuple(
            name for name, prop in self.item_schema.get("properties", {}).items() if prop.get(EXPANDABLE) is True
        )
        _check(spec, self)

    def __repr__(self) -> str:
        return f"Operation({self.label})"

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(f"{self.label} has no parameter {name!r}")

    def having(self, kind: type[Meaning]) -> list[Parameter]:
        """The parameters whose meaning is of this kind, in the spec's order."""
        return [p for p in self.parameters if isinstance(p.meaning, kind)]

    def filters(self) -> list[Parameter]:
        return self.having(Filter)

    def page_parameter(self, kind: str) -> Parameter | None:
        return next((p for p in self.having(Page) if isinstance(p.meaning, Page) and p.meaning.kind == kind), None)

    def scope_parameter(self, kind: str) -> Parameter | None:
        return next((p for p in self.having(Scope) if isinstance(p.meaning, Scope) and p.meaning.kind == kind), None)

    def expand_parameter(self) -> Parameter | None:
        found = self.having(Expand)
        return found[0] if found else None


def _parameter(declared: Mapping[str, Any], operation: str) -> Parameter:
    where = f"{operation}: {declared.get('in')} parameter {declared.get('name')!r}"
    return Parameter(
        name=declared["name"],
        location=declared["in"],
        schema=declared["schema"],
        meaning=meaning.parse(declared.get(meaning.EXTENSION), where),
        deprecated=bool(declared.get("deprecated", False)),
        declared=declared,
    )


def _listing(declared: object, operation: str) -> Listing:
    if not isinstance(declared, Mapping) or "project_by" not in declared:
        raise MeaningError(
            f"{operation} declares no {LISTING} with at least `project_by` (the item field that names its project)"
        )
    known = {"items", "next_page_token", "total_size", "newest_first_by", "project_by"}
    if unknown := set(declared) - known:
        raise MeaningError(f"{operation}: unknown keys {sorted(unknown)} in {LISTING}")
    return Listing(
        items=declared.get("items"),
        next_page_token=declared.get("next_page_token"),
        total_size=declared.get("total_size"),
        newest_first_by=declared.get("newest_first_by"),
        project_by=tuple(str(declared["project_by"]).split(".")),
    )


def _check(spec: Spec, op: Operation) -> None:
    """Every field a meaning names exists in the items, and every meaning fits its parameter's schema."""

    def field_schema(path: Sequence[str], why: str) -> Mapping[str, Any]:
        schema: Mapping[str, Any] = op.item_schema
        for step in path:
            properties = spec.resolve(schema).get("properties", {})
            if step not in properties:
                raise MeaningError(
                    f"{op.label}: {why} names the item field {'.'.join(path)!r}, which {op.item_schema_name} lacks"
                )
            schema = spec.resolve(properties[step])
        return schema

    for parameter in op.parameters:
        where = f"the {parameter.location} parameter {parameter.name!r}"
        declared = parameter.meaning
        is_array = "array" in _types(spec, parameter.schema)
        if isinstance(declared, Filter):
            field_schema(declared.field.split("."), where)
            if (declared.kind == "one-of") != is_array:
                must = "be an array" if declared.kind == "one-of" else "not be an array"
                raise MeaningError(f"{op.label}: {where} is a {declared.kind} filter, so it must {must}")
        elif isinstance(declared, Page) and op.listing.items is None:
            raise MeaningError(f"{op.label}: {where} pages a listing that has no pages (no `items` in {LISTING})")
        elif isinstance(declared, Expand) and not (is_array and op.expandable):
            raise MeaningError(f"{op.label}: {where} expands fields, but is no array or no field is {EXPANDABLE}")
    for name in (op.listing.newest_first_by,):
        if name is not None:
            field_schema([name], LISTING)
    field_schema(op.listing.project_by, f"{LISTING} project_by")
    for name, prop in op.item_schema.get("properties", {}).items():
        asked = _REQUIRES_EXPAND.search(str(prop.get("description", "")))
        if asked and asked.group(1) == name and name not in op.expandable:
            raise MeaningError(
                f"{op.label}: {op.item_schema_name}.{name} says it needs expand={name}; mark it {EXPANDABLE}"
            )
    for name in op.expandable:
        if name in op.required or "null" not in _types(spec, op.item_schema["properties"][name]):
            raise MeaningError(
                f"{op.label}: the expandable field {name!r} must be optional and nullable (null unless expanded)"
            )
    if op.expandable and op.expand_parameter() is None:
        raise MeaningError(f"{op.label}: fields are {EXPANDABLE} but no parameter means {{expand: true}}")


def _types(spec: Spec, schema: Mapping[str, Any]) -> set[str]:
    """Every JSON type a schema's branches name."""
    return {str(b["type"]) for b in spec.branches(schema) if "type" in b}


class Spec:
    """A snapshot's spec (or any spec file with the same extensions), loaded and checked."""

    def __init__(self, name: str, document: Mapping[str, Any]) -> None:
        self.name = name
        self.document = document
        self._uri = f"urn:llamacloud-extract-api:{name}"
        self.operations: dict[str, Operation] = {
            path: Operation(self, path, item["get"]) for path, item in document["paths"].items() if "get" in item
        }

    def __repr__(self) -> str:
        return f"Spec({self.name!r}, operations={sorted(self.operations)})"

    @staticmethod
    def load(snapshot: str | None = None) -> Spec:
        """A shipped snapshot by name (default: the default snapshot), or a spec file by path. Cached: one
        `Spec` per name, whichever way it was asked for."""
        return _load(snapshots.default_name() if snapshot is None else str(snapshot))

    @property
    def is_snapshot(self) -> bool:
        return self.name in snapshots.names()

    def operation(self, path: str) -> Operation | None:
        return self.operations.get(path)

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations.values())

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """`node` itself, or what its local `$ref` (`#/components/...`) points at (followed to the end)."""
        while "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise ValueError(f"only local references are supported, got {ref!r}")
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def branches(self, schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """A schema's alternatives with `$ref`s resolved and `type: [T, 'null']` split; null ones included."""
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return [b for sub in schema["anyOf"] for b in self.branches(sub)]
        declared = schema.get("type")
        if isinstance(declared, list):
            return [{**schema, "type": kind} for kind in declared]
        return [schema]

    def formats(self, schema: Mapping[str, Any]) -> set[str]:
        """The `format`s a schema's alternatives name (`uuid`, `date-time`)."""
        return {str(b["format"]) for b in self.branches(schema) if "format" in b}

    def schema(self, name: str) -> Mapping[str, Any]:
        schemas: Mapping[str, Any] = self.document["components"]["schemas"]
        if name not in schemas:
            raise KeyError(f"the spec {self.name} has no schema named {name!r}")
        found: Mapping[str, Any] = schemas[name]
        return found

    # ---- validators ---------------------------------------------------------------------------------------

    @functools.cached_property
    def _registry(self) -> Registry[Any]:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        resource: Resource[Any] = Resource.from_contents(self.document, default_specification=DRAFT202012)
        registry: Registry[Any] = Registry().with_resource(self._uri, resource)
        return registry

    def validator_at(self, pointer: str) -> Draft202012Validator:
        """A Draft 2020-12 validator, with format checking, for the schema at JSON pointer `pointer`. The schema is
        referenced in place rather than copied, so its own `$ref`s resolve against the spec."""
        from jsonschema import Draft202012Validator

        return Draft202012Validator(
            {"$ref": f"{self._uri}#{pointer}"},
            registry=self._registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    @functools.cache  # noqa: B019 - a Spec lives as long as the process, as its cached validators should
    def component_validator(self, name: str) -> Draft202012Validator:
        """The validator of `#/components/schemas/<name>`."""
        self.schema(name)
        return self.validator_at(_pointer("components", "schemas", name))

    @functools.cache  # noqa: B019 - see component_validator
    def response_validator(self, path: str, status: int) -> Draft202012Validator:
        """The validator of the JSON body the spec declares for `status` on `GET path`. KeyError when the spec
        declares no such response (or no such operation): the status itself is then undocumented."""
        item = self.document["paths"].get(path, {}).get("get")
        if item is None:
            raise KeyError(f"the spec {self.name} declares no operation GET {path}")
        responses = item["responses"]
        if str(status) not in responses:
            raise KeyError(f"the spec {self.name} declares no {status} response for GET {path}")
        where: tuple[str, ...] = ("paths", path, "get", "responses", str(status))
        ref = responses[str(status)].get("$ref")
        if isinstance(ref, str):
            where = tuple(ref.removeprefix("#/").split("/"))
        return self.validator_at(_pointer(*where, "content", "application/json", "schema"))


@functools.cache
def _load(name: str) -> Spec:
    return Spec(name, snapshots.load_document(name))


def _pointer(*parts: str) -> str:
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def field_value(item: Mapping[str, Any], path: str | Sequence[str]) -> Any:
    """The value at a dotted path (`file.project_id`) in an item, None where any step is missing."""
    value: Any = item
    for step in path.split(".") if isinstance(path, str) else path:
        value = value.get(step) if isinstance(value, Mapping) else None
    return value


def shipped() -> list[Spec]:
    """Every shipped snapshot's spec, oldest first."""
    return [Spec.load(name) for name in snapshots.names()]


def load(snapshot: str | Path | None = None) -> Spec:
    """`Spec.load`, accepting a `Path` too."""
    return Spec.load(None if snapshot is None else str(snapshot))
