"""The changes between two Fields (one parameter, or one response body), property by property.

The same comparison serves both directions of traffic; `Side` only picks the names of the kinds (a request
parameter's or a response property's), and `rules.RULES` says what each breaks. Object properties are
compared one by one on the response side, where they are fields a client reads; on the request side an object
is compared as a whole (no parameter of these specs is an object).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .fields import NO_DEFAULT, ArrayShape, Field, LeafShape, ObjectShape, child, items_of
from .widening import admits, describe


class Side(enum.Enum):
    REQUEST = "request-parameter"
    RESPONSE = "response-property"


@dataclass(frozen=True)
class Found:
    """A change before it is placed in an operation: its kind, the path it is at, the particulars."""

    kind: str
    path: str
    detail: str = ""


def compare(old: Field, new: Field, path: str, side: Side) -> Iterator[Found]:
    """Every change from `old` to `new`, the field at `path` (its own first, then its parts')."""
    prefix = side.value
    if old.deprecated != new.deprecated:
        yield Found(f"{prefix}-{'deprecated' if new.deprecated else 'reactivated'}", path)
    yield from _default(old.default, new.default, path, prefix)
    if old.nullable != new.nullable:
        yield Found(f"{prefix}-became-{'nullable' if new.nullable else 'not-nullable'}", path)
    was, now = old.shape, new.shape
    if isinstance(was, ObjectShape) and isinstance(now, ObjectShape) and side is Side.RESPONSE:
        yield from _objects(was, now, path)
    elif isinstance(was, ArrayShape) and isinstance(now, ArrayShape):
        yield from compare(was.items, now.items, items_of(path), side)
    elif (enums := _enums_if_only_they_differ(old, new)) is not None:
        yield from _enum(*enums, path, prefix)
    elif old.core != new.core:
        yield _type_change(old.core, new.core, path, prefix)


def _enums_if_only_they_differ(old: Field, new: Field) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """Both enums, when both fields list their values and would be the same schema without them."""
    if not (isinstance(old.shape, LeafShape) and isinstance(new.shape, LeafShape)):
        return None
    if old.shape.enum is None or new.shape.enum is None or _without_enum(old.core) != _without_enum(new.core):
        return None
    return old.shape.enum, new.shape.enum


def _default(old: Any, new: Any, path: str, prefix: str) -> Iterator[Found]:
    if old is NO_DEFAULT and new is not NO_DEFAULT:
        yield Found(f"{prefix}-default-value-added", path, _json(new))
    elif old is not NO_DEFAULT and new is NO_DEFAULT:
        yield Found(f"{prefix}-default-value-removed", path, _json(old))
    elif old is not NO_DEFAULT and old != new:
        yield Found(f"{prefix}-default-value-changed", path, f"{_json(old)} → {_json(new)}")


def _enum(old: tuple[Any, ...], new: tuple[Any, ...], path: str, prefix: str) -> Iterator[Found]:
    for value in new:
        if value not in old:
            yield Found(f"{prefix}-enum-value-added", path, _json(value))
    for value in old:
        if value not in new:
            yield Found(f"{prefix}-enum-value-removed", path, _json(value))


def _type_change(old: Any, new: Any, path: str, prefix: str) -> Found:
    if admits(new, old):
        how = "generalized"
    elif admits(old, new):
        how = "specialized"
    else:
        how = "changed"
    return Found(f"{prefix}-type-{how}", path, f"{describe(old)} → {describe(new)}")


def _objects(old: ObjectShape, new: ObjectShape, path: str) -> Iterator[Found]:
    removed = {name: sub for name, sub in old.properties.items() if name not in new.properties}
    added = {name: sub for name, sub in new.properties.items() if name not in old.properties}
    renames = pair_renames(removed, old.required, added, new.required)
    per_name: dict[str, list[Found]] = {}
    for name in old.properties.keys() & new.properties.keys():
        per_name[name] = list(_property(old, name, new, name, path))
    for old_name, new_name, how in renames:
        per_name[new_name] = [
            Found("response-property-renamed", child(path, new_name), f"`{old_name}` → `{new_name}` ({how})"),
            *_property(old, old_name, new, new_name, path),
        ]
    for name in removed.keys() - {old_name for old_name, _, _ in renames}:
        required = "required" if name in old.required else "optional"
        per_name[name] = [
            Found(f"response-{required}-property-removed", child(path, name), describe(removed[name].normal))
        ]
    for name in added.keys() - {new_name for _, new_name, _ in renames}:
        required = "required" if name in new.required else "optional"
        per_name[name] = [Found(f"response-{required}-property-added", child(path, name), describe(added[name].normal))]
    for name in sorted(per_name):
        yield from per_name[name]
    yield from compare(old.additional, new.additional, child(path, "*"), Side.RESPONSE)


def _property(old: ObjectShape, old_name: str, new: ObjectShape, new_name: str, path: str) -> Iterator[Found]:
    was, now = old_name in old.required, new_name in new.required
    if was != now:
        yield Found(f"response-property-became-{'required' if now else 'optional'}", child(path, new_name))
    yield from compare(old.properties[old_name], new.properties[new_name], child(path, new_name), Side.RESPONSE)


def pair_renames(
    removed: dict[str, Field], was_required: frozenset[str], added: dict[str, Field], now_required: frozenset[str]
) -> list[tuple[str, str, str]]:
    """(old name, new name, how we know) for each removed name that an added one replaces.

    Declared: the new one says `x-llamacloud-renamed-from: OLD`. Probable: both are required, admit the same
    values and carry the same (non-empty) description, and no other removed/added pair does."""
    pairs: list[tuple[str, str, str]] = []
    for name, new in added.items():
        if new.renamed_from in removed and new.renamed_from not in {old for old, _, _ in pairs}:
            pairs.append((new.renamed_from, name, "declared"))
    taken = {old for old, _, _ in pairs} | {new for _, new, _ in pairs}

    def alike(old_name: str, new_name: str) -> bool:
        old, new = removed[old_name], added[new_name]
        both_required = old_name in was_required and new_name in now_required
        return (
            both_required and old.normal == new.normal and bool(old.description) and old.description == new.description
        )

    olds = [name for name in removed if name not in taken]
    news = [name for name in added if name not in taken]
    for old_name in olds:
        matches = [new_name for new_name in news if alike(old_name, new_name)]
        if len(matches) == 1 and [o for o in olds if alike(o, matches[0])] == [old_name]:
            pairs.append((old_name, matches[0], "probably renamed: both required, same schema and description"))
    return pairs


def _without_enum(core: Any) -> Any:
    return {key: value for key, value in core.items() if key != "enum"} if isinstance(core, dict) else core


def _json(value: Any) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`"
