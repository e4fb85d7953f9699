"""`to_dict(from_dict(x)) == x` for every response body our spec admits, drawn from the spec itself.

Two normalisations are allowed, and nothing else: a date-time may come back spelled differently (`Z` becomes
`+00:00`, fraction digits are padded to six) as long as the instant and the offset are the same, and a UUID
comes back in lower case. `same_json` accepts exactly those, and only where the two sides differ.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llamacloud_conformance.jsoncompare import same_json
from llamacloud_conformance.strategies import from_schema
from llamacloud_extract_api.models import (
    AuthenticationError,
    ExtractRun,
    ExtractV2JobQueryResponse,
    HTTPValidationError,
)

from spec_documents import V1_PATH, V2_PATH, our_spec, response_schema

SPEC = our_spec()
BODIES = {
    "v2 200": (V2_PATH, "200", ExtractV2JobQueryResponse.from_dict, lambda parsed: parsed.to_dict()),
    "v1 200": (
        V1_PATH,
        "200",
        lambda body: [ExtractRun.from_dict(r) for r in body],
        lambda runs: [r.to_dict() for r in runs],
    ),
    "422": (V2_PATH, "422", HTTPValidationError.from_dict, lambda parsed: parsed.to_dict()),
    "401": (V2_PATH, "401", AuthenticationError.from_dict, lambda parsed: parsed.to_dict()),
}
STRATEGIES = {
    name: from_schema(response_schema(SPEC, path, status), root=SPEC) for name, (path, status, *_) in BODIES.items()
}


@pytest.mark.parametrize("body", BODIES)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_to_dict_of_from_dict_gives_the_body_back(body: str, data: st.DataObject) -> None:
    _, _, parse, write = BODIES[body]
    original = data.draw(STRATEGIES[body], label=body)
    written = write(parse(json.loads(json.dumps(original))))
    same_json(original, written)
    assert json.loads(json.dumps(written)) == written, "to_dict must give plain JSON data"


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ({"a": "2024-07-29T15:51:28Z"}, {"a": "2024-07-29T15:51:28+05:00"}),  # another instant
        ({"a": "2024-07-29T15:51:28Z"}, {"a": "2024-07-29T20:51:28+05:00"}),  # same instant, offset lost
        ({"a": "2024-07-29T15:51:28"}, {"a": "2024-07-29T15:51:28+00:00"}),  # naive is not a date-time here
        ({"a": "3FA85F64-5717-4562-B3FC-2C963F66AFA6"}, {"a": "3fa85f64-5717-4562-b3fc-2c963f66afa7"}),
        ({"a": "x"}, {"a": "X"}),
        ({"a": 1}, {"a": 1.0}),
        ({"a": 1}, {"a": True}),
        ({"a": 1}, {"a": 1, "b": 2}),
        ([1, 2], [1]),
    ],
)
def test_same_json_allows_nothing_but_the_documented_normalisations(expected: Any, actual: Any) -> None:
    with pytest.raises(AssertionError):
        same_json(expected, actual)


def test_same_json_allows_the_documented_normalisations() -> None:
    same_json(
        {"t": "2024-07-29T15:51:28.071Z", "u": "3FA85F64-5717-4562-B3FC-2C963F66AFA6"},
        {"t": "2024-07-29T15:51:28.071000+00:00", "u": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
    )
