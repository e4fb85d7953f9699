"""One edit, one change: every single edit `spec_mutations` knows, made to real specs, is reported as exactly
that change, at that place, with the kind the rules table names as its reverse when the edit is undone."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from llamacloud_conformance.spec.diff import RULES, diff_documents, load_spec

from spec_mutations import Mutation, inline, mutations

ROOT = Path(__file__).parents[3]
# An upstream fragment (inline schemas, no extensions, meaning in prose) and a snapshot (named components,
# `type: [T, 'null']`, x-llamacloud-* extensions, two operations).
BASES = {
    "fragment-08-20": str(ROOT / "openapi" / "upstream" / "v2-extract-list.openapi-fragment.2026-08-20.json"),
    "snapshot-03-28": "2026-03-28",
}
INLINED = {name: inline(load_spec(spec)) for name, spec in BASES.items()}
CASES = [(name, mutation) for name, document in INLINED.items() for mutation in mutations(document)]


def _reported(old: Any, new: Any) -> list[tuple[str, str, str]]:
    return [(c.operation, c.kind, c.where) for c in diff_documents(old, new)]


# Kinds no edit here makes: these specs have no request body, one media type per response, and no parameter
# with a default to change.
NOT_MADE = {
    "request-body-changed",
    "response-media-type-added",
    "response-media-type-removed",
    "request-parameter-default-value-changed",
}


def test_the_edits_make_every_kind_of_change() -> None:
    made = {m.forward[0] for _, m in CASES} | {m.backward[0] for _, m in CASES if m.backward is not None}
    assert made == set(RULES) - NOT_MADE


@pytest.mark.parametrize("base", BASES)
def test_inlining_every_ref_is_no_change(base: str) -> None:
    assert _reported(load_spec(BASES[base]), INLINED[base]) == []


@pytest.mark.parametrize(("base", "mutation"), CASES, ids=[f"{base}: {m.label}" for base, m in CASES])
def test_one_edit_is_reported_as_one_change(base: str, mutation: Mutation) -> None:
    original = load_spec(BASES[base])  # as written, with its $refs: the comparison must not care
    edited = copy.deepcopy(INLINED[base])
    mutation.edit(edited)
    assert _reported(original, edited) == [(mutation.operation, *mutation.forward)]
    if mutation.backward is not None:
        assert mutation.backward[0] == RULES[mutation.forward[0]].reverse
        assert _reported(edited, original) == [(mutation.operation, *mutation.backward)]
