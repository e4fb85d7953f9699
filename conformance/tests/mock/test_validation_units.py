"""The pieces under the endpoints: query validation compiled from the spec (checked against jsonschema),
RFC 3339 instants, and page tokens."""

from __future__ import annotations

import datetime as dt
import re
import string
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llamacloud_conformance.mock.tokens import TokenCodec, TokenError, query_digest
from llamacloud_conformance.spec import timestamps
from llamacloud_conformance.spec.document import JOBS_PATH, RUNS_PATH, Operation, Spec
from llamacloud_conformance.spec.query import Param, UnsupportedSchema, ValueProblem, compile_operation, compile_param
from llamacloud_conformance.spec.timestamps import TimestampError, parse_ns

SPEC = Spec.load()

# RFC 3339 offsets are whole minutes (historic zones with second offsets print as +HH:MM:SS, which is not one).
OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


def _operation(path: str) -> Operation:
    found = SPEC.operation(path)
    assert found is not None
    return found


def _compiled(path: str) -> list[Param]:
    return compile_operation(SPEC, _operation(path))


ALL_PARAMS = [(path, dict(p.declared)) for path in (JOBS_PATH, RUNS_PATH) for p in _operation(path).parameters]


def _schema_validator(path: str, name: str) -> Any:
    index = next(i for i, p in enumerate(_operation(path).parameters) if p.name == name)
    raw = SPEC.document["paths"][path]["get"]["parameters"][index]
    if "$ref" in raw:
        return SPEC.validator_at(raw["$ref"].removeprefix("#") + "/schema")
    escaped = path.replace("~", "~0").replace("/", "~1")
    return SPEC.validator_at(f"/paths/{escaped}/get/parameters/{index}/schema")


def test_every_spec_parameter_compiles() -> None:
    for path in (JOBS_PATH, RUNS_PATH):
        assert [p.name for p in _compiled(path)] == [p.name for p in _operation(path).parameters]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "minimum": 1},
        {"type": "string", "format": "email"},
        {"type": "object"},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        {"type": "array", "items": {"type": "integer"}},
    ],
)
def test_constructs_the_compiler_does_not_know_are_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSchema):
        compile_param(SPEC, {"name": "x", "in": "query", "schema": schema})


def _wire_values() -> st.SearchStrategy[str]:
    aware = st.datetimes(timezones=OFFSETS).map(lambda d: d.isoformat())
    return st.one_of(
        st.text(max_size=40),
        st.text(alphabet=string.hexdigits + "-", min_size=30, max_size=40),
        st.uuids().map(str),
        st.uuids().map(lambda u: str(u).upper()),
        st.integers().map(str),
        aware,
        aware.map(lambda s: s.replace("+00:00", "Z")),
        st.datetimes().map(lambda d: d.isoformat()),
        st.sampled_from(
            ["PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "completed", "1.0", "+5"]
        ),
    )


@pytest.mark.parametrize(("path", "param"), ALL_PARAMS, ids=[f"{path}:{p['name']}" for path, p in ALL_PARAMS])
@settings(deadline=None)  # the first example pays for importing jsonschema's format checkers
@given(text=_wire_values())
def test_compiled_converters_agree_with_jsonschema(path: str, param: dict[str, Any], text: str) -> None:
    """Whatever the mock accepts is valid for the spec, and every value the spec allows is accepted.

    (The one strictness on purpose: jsonschema's date-time check lets a trailing newline through; the mock
    does not, which no schema-valid client value needs.)"""
    compiled = compile_param(SPEC, param)
    validator = _schema_validator(path, param["name"])
    try:
        value: Any = compiled.convert(text)
    except ValueProblem:
        accepted = False
    else:
        accepted = True
    if compiled.is_array:
        assert accepted
        assert validator.is_valid([value])
        return
    # On the wire every value is text; a client means an integer only by its plain decimal spelling.
    meant: Any = int(text) if "integer" in str(param["schema"]) and re.fullmatch(r"-?[0-9]+", text) else text
    assert accepted == validator.is_valid(meant), (text, accepted)


@given(moment=st.datetimes(timezones=OFFSETS))
def test_instants_parse_to_their_epoch_nanoseconds(moment: dt.datetime) -> None:
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    delta = moment - epoch
    expected = (delta.days * 86_400 + delta.seconds) * 10**9 + delta.microseconds * 1000
    assert parse_ns(moment.isoformat()) == expected
    assert parse_ns(moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")) == expected


CANONICAL_DIGITS = st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda m: m.strftime("%Y%m%d%H%M%S%f")) | st.text(
    "0123456789", min_size=20, max_size=20
)


@given(digits=CANONICAL_DIGITS)
def test_the_common_spelling_is_read_as_every_spelling_is(digits: str) -> None:
    """`YYYY-MM-DDTHH:MM:SS.ffffffZ` has a fast path; it reads every such string (dates that do not exist too) as
    the general parser does."""
    d = digits.rjust(20, "0")
    text = f"{d[:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}.{d[14:20]}Z"
    for round_up in (False, True):
        try:
            expected: int | str = timestamps._parse(text, round_up)
        except TimestampError as error:
            expected = str(error)
        try:
            got: int | str = parse_ns(text, round_up=round_up)
        except TimestampError as error:
            got = str(error)
        assert got == expected, text


def test_sub_nanosecond_digits_round_the_right_way() -> None:
    base = parse_ns("2026-01-01T00:00:00Z")
    assert parse_ns("2026-01-01T00:00:00.0000000015Z") == base + 1
    assert parse_ns("2026-01-01T00:00:00.0000000015Z", round_up=True) == base + 2
    assert parse_ns("2026-01-01T00:00:00.0000000010Z", round_up=True) == base + 1


@pytest.mark.parametrize(
    ("text", "naive"),
    [
        ("2026-01-01T00:00:00", True),
        ("2026-01-01 00:00", True),
        ("2026-02-30T00:00:00Z", False),
        ("2026-01-01T24:00:00Z", False),
        ("2026-01-01T00:00:00+24:00", False),
        ("0000-01-01T00:00:00Z", False),
        ("2026-01-01", False),
        ("1700000000", False),
        ("2026-01-01T00:00:00Z\n", False),
    ],
)
def test_what_is_not_an_rfc3339_date_time(text: str, naive: bool) -> None:
    with pytest.raises(TimestampError) as caught:
        parse_ns(text)
    assert caught.value.naive == naive


CODEC = TokenCodec(b"secret")
DIGEST = query_digest(("project", ("COMPLETED",)))


@given(created=st.integers(-(2**63), 2**63 - 1), item_id=st.text(max_size=60))
def test_tokens_round_trip(created: int, item_id: str) -> None:
    token = CODEC.issue(created, item_id, DIGEST)
    assert set(token) <= set(string.ascii_letters + string.digits + "-_")
    assert CODEC.open(token, DIGEST) == (created, item_id)


@given(item_id=st.text(max_size=40), position=st.integers(min_value=0), replacement=st.characters())
def test_any_edit_to_a_token_is_detected(item_id: str, position: int, replacement: str) -> None:
    token = CODEC.issue(1_700_000_000_000_000_000, item_id, DIGEST)
    position %= len(token)
    edited = token[:position] + replacement + token[position + 1 :]
    if edited == token:
        return
    with pytest.raises(TokenError):
        CODEC.open(edited, DIGEST)


@given(text=st.text(max_size=200))
def test_any_string_is_a_token_error_not_a_crash(text: str) -> None:
    with pytest.raises(TokenError):
        CODEC.open(text, DIGEST)


def test_tokens_are_bound_to_secret_and_listing() -> None:
    token = CODEC.issue(5, "ext-1", DIGEST)
    with pytest.raises(TokenError, match="earlier run"):
        TokenCodec(b"other").open(token, DIGEST)
    with pytest.raises(TokenError, match="different listing"):
        CODEC.open(token, query_digest(("project", ("FAILED",))))


def test_uuid_params_are_canonicalised_to_lowercase() -> None:
    (run_id,) = [p for p in _compiled(RUNS_PATH) if p.name == "run_id"]
    value = str(uuid.uuid4())
    assert run_id.convert(value.upper()) == value
