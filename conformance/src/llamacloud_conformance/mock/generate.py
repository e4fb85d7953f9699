"""Records generated from the spec: every field of an item, in the snapshot's shape, made from its schema.

What the listing's meanings rely on comes first, so that they have something to find: a unique `id`, the
project (`x-llamacloud-listing.project_by`), the creation time the listing is ordered by (a timeline with ties),
and, for every field a filter compares, values drawn from a small pool, so that filtering by one value finds
several items. Every other field is sampled from its schema (enums, examples, formats, nullability, defaults
sometimes left out), with the realism of `content` for the fields it knows by name: a result that matches its
data schema and extraction target, an error message where the job failed, usage where it completed.

The schema is compiled once into one small function per field; a record is the calls of those functions.
Everything comes from one `random.Random(seed)`, so a seed always gives the same records.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..spec.document import Operation, Spec
from ..spec.meaning import Filter
from . import content
from .content import JsonDict, Template

Maker = Callable[["Draft"], Any]
Hook = Callable[["Draft"], Any]
GENERIC = object()
"""A hook's answer for "sample this field from its schema" (its children may still have hooks)."""

_ID_EXAMPLE = re.compile(r"^([A-Za-z]+-)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NULL_SHARE = 0.3
_DEFAULT_LEFT_OUT = 0.2  # share of optional fields with a default that a record leaves out, as some servers do
_EXTRA_KEY_SHARE = 0.1  # objects that allow undeclared keys get one this often
_POOL = 6  # values of a filtered field (saved configurations, agents): filters find several items each
_UUID_KEEP = ~(0xC000 << 48) & ~(0xF000 << 64)  # a version 4 UUID: RFC 9562's variant bits and version nibble
_UUID_SET = 0x8000 << 48 | 4 << 76


@attrs.define
class Draft:
    """One record while it is built: what the hooks read (the status so far, the document it is about)."""

    rng: random.Random
    moment: dt.datetime
    project: str
    values: dict[str, Any]
    template: Template
    pages: int
    number: int
    pools: Pools


@attrs.define
class Pools:
    """Per project: the values filtered fields take, and the saved configurations jobs share."""

    values: dict[str, list[Any]]
    saved: dict[str, tuple[Template, JsonDict]] = attrs.field(factory=dict)


def stamp(moment: dt.datetime) -> str:
    """The RFC 3339 spelling of a moment, which the generator keeps as a naive datetime in UTC (cheaper to add to
    and to format than an aware one). `isoformat()` leaves out a zero fraction, so it is added here: asking for
    it with `timespec=` takes half as long again, two or three times per record."""
    text = moment.isoformat()
    return text + "Z" if moment.microsecond else text + ".000000Z"


def _uuid(rng: random.Random) -> str:
    """`str(uuid.UUID(int=rng.getrandbits(128), version=4))`, without the UUID object (a fifth of a job's cost)."""
    text = (rng.getrandbits(128) & _UUID_KEEP | _UUID_SET).to_bytes(16, "big").hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _target(draft: Draft) -> object:
    """The extraction target of the job's configuration (left out, it is the default: one object per document)."""
    configuration = draft.values.get("configuration")
    return configuration.get("extraction_target", "per_doc") if isinstance(configuration, dict) else None


# ---- realism by field name (each hook may answer GENERIC, or None where the field is nullable) --------------


@attrs.frozen
class _Typed:
    """A hook that answers only values of these JSON types: where the field allows every one of them, `_maker`
    uses the hook itself as the field's maker, without checking each answer (a dozen hooks run in every job)."""

    hook: Hook
    types: frozenset[str]


def _typed(*types: str) -> Callable[[Hook], _Typed]:
    return lambda hook: _Typed(hook, frozenset(types))


@attrs.frozen
class _Gate:
    """A hook that only decides whether the field is there (sampled from its schema) or null: `_maker` calls
    `present` itself, without the checks a hook's answer otherwise needs."""

    present: Callable[[Draft], bool]


def _result(draft: Draft) -> Any:
    if draft.values.get("status") not in content.SUCCEEDED:
        return None
    return draft.template.result(draft.rng, _target(draft), draft.pages)


def _error(draft: Draft) -> Any:
    return draft.rng.choice(content.ERRORS) if draft.values.get("status") in content.FAILED else None


def _started(draft: Draft) -> bool:
    status = draft.values.get("status")
    return status in content.SUCCEEDED or (status in content.STOPPED and draft.rng.random() < 0.5)


def _succeeded(draft: Draft) -> bool:
    return draft.values.get("status") in content.SUCCEEDED


def _per_target(target: str) -> _Typed:
    """Field metadata of the kind the extraction target produces (document, page or row metadata)."""

    confidences, per_doc = content.confidences, target == "per_doc"

    def hook(draft: Draft) -> Any:
        result = draft.values.get("extract_result")
        if result is None or _target(draft) != target:
            return None
        if not isinstance(result, list):  # one object (per_doc): no list made for it
            one = confidences(draft.rng, result)
            return one if per_doc else [one]
        found = [confidences(draft.rng, item) for item in result]
        return found[0] if per_doc else found

    return _Typed(hook, frozenset(("object" if target == "per_doc" else "array", "null")))


_ENDED = content.SUCCEEDED | content.STOPPED


def _updated(draft: Draft) -> Any:
    if draft.values.get("status") in _ENDED:
        # uniform(2, 900) as random.Random computes it, without its call; (days, seconds): cheaper than by name
        return stamp(draft.moment + dt.timedelta(0, 2 + (900 - 2) * draft.rng.random()))
    return stamp(draft.moment)


def _configuration(draft: Draft) -> Any:
    """Jobs run with one saved configuration share it, and its document template."""
    saved_id = draft.values.get("configuration_id")
    if isinstance(saved_id, str) and saved_id in draft.pools.saved:
        draft.template, shared = draft.pools.saved[saved_id]
        return shared
    return GENERIC


_STRING_OR_NULL = _typed("string", "null")
_INTEGER_OR_NULL = _typed("integer", "null")
HOOKS: Mapping[str, Hook | _Typed | _Gate] = {
    "data_schema": _typed("object")(lambda draft: draft.template.schema),
    "extract_result": _typed("object", "array", "null")(_result),
    "data": _typed("object", "array", "null")(_result),
    "error_message": _STRING_OR_NULL(_error),
    "error": _STRING_OR_NULL(_error),
    "system_prompt": _STRING_OR_NULL(lambda draft: draft.rng.choice((None, *content.PROMPTS))),
    "configuration": _configuration,
    "extract_metadata": _Gate(_started),
    "field_metadata": _Gate(_succeeded),
    "document_metadata": _per_target("per_doc"),
    "page_metadata": _per_target("per_page"),
    "row_metadata": _per_target("per_table_row"),
    "parse_job_id": _STRING_OR_NULL(lambda draft: f"pjb-{_uuid(draft.rng)}" if draft.rng.random() < 0.9 else None),
    "parse_tier": _STRING_OR_NULL(lambda draft: draft.rng.choice((None, *content.PARSE_TIERS))),
    "metadata": _Gate(_succeeded),
    "usage": _Gate(_succeeded),
    "num_pages_extracted": _typed("integer")(lambda draft: draft.pages),
    "num_pages_billed": _typed("integer")(lambda draft: draft.pages),
    "num_document_tokens": _typed("integer")(lambda draft: draft.pages * draft.rng.randrange(300, 1500)),
    "num_output_tokens": _INTEGER_OR_NULL(
        lambda draft: draft.rng.randrange(50, 800) if draft.rng.random() < 0.9 else None
    ),
    "updated_at": _typed("string")(_updated),
    "extraction_metadata": _typed("object", "null")(
        lambda draft: (
            {"confidence": round(draft.rng.uniform(0.6, 1), 3)}
            if draft.values.get("status") in content.SUCCEEDED
            else None
        )
    ),
    "name": _typed("string")(
        lambda draft: f"{draft.template.name}-{draft.number:05d}.{draft.rng.choice(content.FILE_TYPES)}"
    ),
    "external_file_id": _typed("string")(lambda draft: f"uploads/{draft.template.name}-{draft.number:05d}"),
    "file_type": _STRING_OR_NULL(lambda draft: draft.rng.choice((*content.FILE_TYPES, None))),
    "file_size": _INTEGER_OR_NULL(
        lambda draft: draft.rng.randrange(2_000, 9_000_000) if draft.rng.random() < 0.9 else None
    ),
    "permission_info": _typed("null")(lambda draft: None),
}
EXTRA_KEYS: Mapping[str, Callable[[random.Random], Any]] = {
    "customer_reference": lambda rng: f"PO-{rng.randrange(10**5)}",
}
_EXTRA_KEY_NAMES = tuple(EXTRA_KEYS)
_JSON_TYPES: Mapping[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,), "null": (type(None),),
}  # fmt: skip
_SAMPLES: Mapping[str, object] = {"object": {}, "array": [], "string": "", "integer": 0}
"""A value of each JSON type a `_Typed` hook may declare besides null (to test against the allowed classes)."""


class Generator:
    """Makes the records of one list operation of a spec."""

    def __init__(self, spec: Spec, operation: Operation) -> None:
        self.spec = spec
        self.operation = operation
        listing = operation.listing
        self.order_field = listing.newest_first_by or ("created_at" if "created_at" in operation.fields else None)
        self.project_path = listing.project_by
        self._pooled: dict[str, Filter] = {}
        for parameter in operation.filters():  # an input-type filter wins over an equality on the same field
            found = parameter.meaning
            if not isinstance(found, Filter) or found.kind not in ("equals", "input-type"):
                continue
            if found.field == "id" or "." in found.field:
                continue  # identities are unique, and nested fields are the mock's own business
            existing = self._pooled.get(found.field)
            if existing is None or existing.kind != "input-type":
                self._pooled[found.field] = found
        self._enums: dict[str, list[str]] = {}
        for parameter in operation.filters():
            if isinstance(parameter.meaning, Filter) and parameter.meaning.field in self._pooled:
                values = self._enum_of(parameter.schema)
                if values:
                    self._enums[parameter.meaning.field] = values
        self._record = self._object(operation.item_schema, ())

    # ---- records ---------------------------------------------------------------------------------------

    def records(self, rng: random.Random, project_id: str, count: int) -> list[JsonDict]:
        """`count` records of one project (`prj-<uuid>`), newest first."""
        return list(self.iter_records(rng, project_id, count))

    def iter_records(self, rng: random.Random, project_id: str, count: int) -> Iterator[JsonDict]:
        """`records`, one at a time, so that a caller can pack each one and let it go."""
        pools = self._pools(rng, count)
        gap = content.MEAN_GAP_SECONDS.get(self.operation.item_schema_name, content.DEFAULT_MEAN_GAP_SECONDS)
        epoch = content.epoch(self.spec.name) if self.operation.listing.items else content.RUNS_EPOCH
        moments = _timeline(rng, count, epoch.astimezone(dt.UTC).replace(tzinfo=None), gap)
        record, choice, bits, templates = self._record, rng.choice, rng.getrandbits, content.TEMPLATES
        for number, moment in enumerate(moments):
            template = choice(templates)
            pages = bits(3)  # randrange(4) as random.Random draws it (3 bits, 4 and up redrawn), without the call
            while pages >= 4:
                pages = bits(3)
            yield record(Draft(rng, moment, project_id, {}, template, 1 + pages, number, pools))

    def _pools(self, rng: random.Random, count: int) -> Pools:
        """Inputs (the field an input-type filter classifies) are shared by a third of the items each; other
        filtered fields take one of a few values (saved configurations, agents), enums one of their values."""
        values: dict[str, list[Any]] = {}
        for field, meaning in self._pooled.items():
            if meaning.kind == "input-type":
                prefixes = list(meaning.types.values())
                weights = [0.7] + [0.3 / (len(prefixes) - 1)] * (len(prefixes) - 1) if len(prefixes) > 1 else [1.0]
                values[field] = [f"{rng.choices(prefixes, weights)[0]}{_uuid(rng)}" for _ in range(max(1, count // 3))]
        for field in self._pooled:
            if field not in values and field not in self._enums:
                schema = self.operation.item_schema["properties"][field]
                values[field] = [self._fresh_id(rng, schema, field) for _ in range(_POOL)]
        return Pools(values)

    def _fresh_id(self, rng: random.Random, schema: Mapping[str, Any], field: str) -> str:
        """A new identifier spelled as the field's examples spell theirs (`cfg-<uuid>`), else a bare UUID."""
        return f"{self._id_prefix(schema)}{_uuid(rng)}"

    def _id_prefix(self, schema: Mapping[str, Any]) -> str:
        """The prefix of the identifiers in the field's examples (`cfg-`), or '' for a bare UUID."""
        for branch in self._branches(schema):
            for example in branch.get("examples", ()):
                match = _ID_EXAMPLE.match(str(example))
                if match:
                    return match.group(1)
        return ""

    # ---- the compiled makers -----------------------------------------------------------------------------

    def _branches(self, schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return self.spec.branches(schema)

    def _nullable(self, schema: Mapping[str, Any]) -> bool:
        return any(b.get("type") == "null" for b in self._branches(schema))

    def _enum_of(self, schema: Mapping[str, Any]) -> list[str]:
        return [v for b in self._branches(schema) for v in b.get("enum", ()) if v is not None]

    def _maker(self, schema: Mapping[str, Any], path: tuple[str, ...]) -> Maker:
        """The function that makes a value for `schema` at `path` (property names from the item down).

        Each case gets its own small closure, so that making a value runs only the checks its field needs: the
        makers run a few dozen times per record, a million records at a time."""
        role = self._role(path, schema)
        if role is not None:
            return role
        branches = self._branches(schema)
        nullable = any(b.get("type") == "null" for b in branches)
        values = [b for b in branches if b.get("type") != "null"]
        if not values:
            return lambda draft: None
        makers = [self._value(branch, path) for branch in values]
        if len(makers) == 1:
            generic = makers[0]
        else:

            def generic(draft: Draft) -> Any:
                return draft.rng.choice(makers)(draft)

        # What a hook's answer must be to be used: one of the JSON types the schema allows (a hook keyed by name
        # must not break a field of the same name that a snapshot types differently).
        allowed = {t for b in values for t in _types(b)} | ({"null"} if nullable else set())
        classes = tuple(kind for name in allowed for kind in _JSON_TYPES[name])
        boolean = "boolean" in allowed
        none_ok = nullable or isinstance(None, classes)  # a null answer is used as it is
        hook = HOOKS.get(path[-1] if path else "")
        if isinstance(hook, _Typed):
            if all(none_ok if kind == "null" else isinstance(_SAMPLES[kind], classes) for kind in hook.types):
                return hook.hook  # every answer it can give would pass the checks below
            hook = hook.hook
        if isinstance(hook, _Gate):
            present = hook.present
            if not none_ok:  # a null answer is not allowed: the field is sampled either way (after the gate's draws)

                def sampled(draft: Draft) -> Any:
                    present(draft)
                    return generic(draft)

                return sampled

            def gated(draft: Draft) -> Any:  # `hooked`, for an answer that can only be GENERIC or None
                return generic(draft) if present(draft) else None

            return gated
        if hook is not None:

            def hooked(draft: Draft) -> Any:
                answer = hook(draft)
                if answer is None:  # the most common answer, checked first
                    return None if none_ok else generic(draft)
                if answer is GENERIC:  # the hook has decided the field is there: no null share
                    return generic(draft)
                if boolean if answer.__class__ is bool else isinstance(answer, classes):
                    return answer
                if nullable and draft.rng.random() < _NULL_SHARE:
                    return None
                return generic(draft)

            return hooked
        if nullable:

            def sometimes_null(draft: Draft) -> Any:
                return None if draft.rng.random() < _NULL_SHARE else generic(draft)

            return sometimes_null
        return generic

    def _role(self, path: tuple[str, ...], schema: Mapping[str, Any]) -> Maker | None:
        """The value a field has because the listing depends on it: identity, project, order, filter pools."""
        if path == self.project_path:
            bare = any(b.get("format") == "uuid" for b in self._branches(schema))
            return lambda draft: _project_spelling(draft.project, bare)
        if len(path) != 1:
            return None
        field = path[0]
        if field == "id":
            prefix = self._id_prefix(schema)
            return lambda draft: f"{prefix}{_uuid(draft.rng)}"
        if field == self.order_field:
            if self.operation.listing.newest_first_by is None and self._nullable(schema):
                # an order the spec does not promise: the mock's own, which must cope with missing times
                return lambda draft: None if draft.rng.random() < 0.08 else stamp(draft.moment)
            return lambda draft: stamp(draft.moment)
        if field in self._enums:
            enum = self._enums[field]
            return _weighted(enum, [content.WEIGHTS.get(v, content.DEFAULT_WEIGHT) for v in enum])
        if field in self._pooled:
            nullable = self._nullable(schema)

            if not nullable:
                return lambda draft: draft.rng.choice(draft.pools.values[field])

            def pooled(draft: Draft) -> Any:
                rng = draft.rng
                return None if rng.random() < 0.35 else rng.choice(draft.pools.values[field])

            return pooled
        return None

    def _value(self, schema: Mapping[str, Any], path: tuple[str, ...]) -> Maker:
        kind = schema.get("type")
        if "enum" in schema:
            enum = [v for v in schema["enum"] if v is not None]
            return _weighted(enum, [content.WEIGHTS.get(str(v), content.DEFAULT_WEIGHT) for v in enum])
        examples = schema.get("examples") or []
        if kind == "object" or (kind is None and ("properties" in schema or "additionalProperties" in schema)):
            return self._object(schema, path)
        if kind == "array":
            items = self._maker(schema.get("items", {}), path)
            generic: Maker = lambda draft: [items(draft) for _ in range(draft.rng.randrange(4))]  # noqa: E731
        elif kind == "string":
            generic = self._string(schema, path)
        elif kind == "integer":
            low = int(schema.get("minimum", 0))
            generic = lambda draft: draft.rng.randrange(low, low + 50)  # noqa: E731
        elif kind == "number":
            generic = lambda draft: round(draft.rng.uniform(0, 100), 2)  # noqa: E731
        elif kind == "boolean":
            generic = lambda draft: draft.rng.random() < 0.5  # noqa: E731
        else:  # the empty schema: any JSON value
            generic = lambda draft: draft.rng.choice((None, True, 3, "text", {"note": "any value"}))  # noqa: E731
        if (
            examples
            and kind in ("string", "integer", "number", "array")
            and not any(_ID_EXAMPLE.match(str(e)) for e in examples)
        ):
            return lambda draft: draft.rng.choice(examples) if draft.rng.random() < 0.85 else generic(draft)
        return generic

    def _string(self, schema: Mapping[str, Any], path: tuple[str, ...]) -> Maker:
        fmt = schema.get("format")
        if fmt == "date-time":
            return lambda draft: stamp(draft.moment - dt.timedelta(0, draft.rng.uniform(60, 3 * 86400)))
        if fmt == "uuid":
            return lambda draft: _uuid(draft.rng)
        if fmt is not None:
            raise ValueError(f"the generator cannot make a {fmt!r} string (at {'.'.join(path)})")
        if any(_ID_EXAMPLE.match(str(e)) for e in schema.get("examples", ())):
            prefix = self._id_prefix(schema)
            return lambda draft: f"{prefix}{_uuid(draft.rng)}"
        low, high = int(schema.get("minLength", 1)), int(schema.get("maxLength", 40))
        name = (path[-1] if path else "value").replace("_", "-")
        return lambda draft: f"{name}-{draft.rng.randrange(10**4)}"[:high].ljust(low, "x")

    def _object(self, schema: Mapping[str, Any], path: tuple[str, ...]) -> Maker:
        schema = self.spec.resolve(schema)
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        order = sorted(properties, key=lambda name: self._role((*path, name), properties[name]) is None)
        fields = [
            (
                name,
                self._maker(properties[name], (*path, name)),
                name not in required and "default" in properties[name],
            )
            for name in order
        ]
        extra = schema.get("additionalProperties")
        allows_extra = extra is True and bool(properties)
        free_form = not properties
        top = not path
        # Role fields are made first, but the record keeps the schema's order: its keys are laid out first.
        layout = list(properties) if order != list(properties) else None

        if not (top or layout or allows_extra or free_form or any(leave for _, _, leave in fields)):
            plain_fields = [(name, maker) for name, maker, _ in fields]

            def make_plain(draft: Draft) -> JsonDict:  # most nested objects: every field made, nothing else
                made: JsonDict = {}  # a loop, not a comprehension: a comprehension is a call of its own
                for name, maker in plain_fields:
                    made[name] = maker(draft)
                return made

            return make_plain

        def make(draft: Draft) -> JsonDict:
            made: JsonDict = {} if layout is None else dict.fromkeys(layout)
            if top:
                draft.values = made  # the hooks read the item's fields as they are made
            random = draft.rng.random
            for name, maker, may_leave_out in fields:
                if may_leave_out and random() < _DEFAULT_LEFT_OUT:
                    if layout is not None:
                        del made[name]
                    continue
                made[name] = maker(draft)
            if allows_extra and random() < _EXTRA_KEY_SHARE:
                key = draft.rng.choice(_EXTRA_KEY_NAMES)
                made[key] = EXTRA_KEYS[key](draft.rng)
            if free_form:
                made.update(_free_form(draft.rng))
            if top:
                _remember_configuration(draft, made)
            return made

        return make


def _free_form(rng: random.Random) -> JsonDict:
    """A few plain entries for an object that declares no properties (a JSON object of any values)."""
    return {f"key_{n}": rng.choice(("value", 1, 2.5, True, None)) for n in range(rng.randrange(3))}


def _remember_configuration(draft: Draft, record: JsonDict) -> None:
    saved_id, configuration = record.get("configuration_id"), record.get("configuration")
    if isinstance(saved_id, str) and isinstance(configuration, dict) and saved_id not in draft.pools.saved:
        draft.pools.saved[saved_id] = (draft.template, configuration)


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    if kind is None:
        return {"object"} if "properties" in schema else set(_JSON_TYPES)
    return {kind}


def _weighted(values: Sequence[Any], weights: Sequence[float]) -> Maker:
    """`draft.rng.choices(values, weights)[0]`, with the weights summed once instead of at every draw."""
    cumulative = list(itertools.accumulate(weights))
    total, last = cumulative[-1] + 0.0, len(values) - 1
    if not total > 0.0:
        raise ValueError("the weights must add up to more than zero")
    return lambda draft: values[bisect.bisect(cumulative, draft.rng.random() * total, 0, last)]


def _project_spelling(project: str, bare: bool) -> str:
    key = project.removeprefix("prj-")
    return key if bare else f"prj-{key}"


def _timeline(rng: random.Random, count: int, end: dt.datetime, mean_gap: float) -> Sequence[dt.datetime]:
    """`count` creation times, newest first, ending at `end`, with ties at TIE_RATE."""
    moments, now = [], end
    for _ in range(count):
        moments.append(now)
        if rng.random() >= content.TIE_RATE:
            now -= dt.timedelta(0, 0, 1 + int(rng.expovariate(1 / mean_gap) * 1e6))  # (days, seconds, microseconds)
    return moments
