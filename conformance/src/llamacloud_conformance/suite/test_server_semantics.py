"""Server semantics: what the spec says in prose and in its declared meanings, which no schema can check.

Newest first, every filter filters (it keeps what matches, and only that), `expand` only adds fields, pages
join without gaps or repeats, `page_size` is honoured. Which filters exist and what each compares comes from the
snapshot's `x-llamacloud-meaning` declarations, so a new snapshot brings its own checks. A live deployment holds
data we know nothing about, so every check takes its values from what the server itself lists, freezes the
listing with the upper date bound where new items could shift it, and says "skipped" when there is nothing to
check. A server that has drifted from the snapshot (a field gone, renamed) gets findings, never a crash here:
every value is read with `field_value`, which gives None for what is missing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest

from ..spec.document import JOBS_PATH, RUNS_PATH, Operation, Parameter, field_value
from ..spec.drift import Drift
from ..spec.meaning import Filter, Scope
from .context import JOBS, RUNS, RunContext, curl_line
from .plugin import endpoint_of, operation_of, run_context

_RFC3339 = re.compile(r"^(?P<base>[^.+Zz]+?)(?:\.(?P<frac>\d+))?(?P<tz>[Zz]|[+-]\d\d:\d\d)$")
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_ID_EXAMPLE = re.compile(r"^([A-Za-z]+-)" + _UUID.pattern + "$")

Item = dict[str, Any]


def instant(text: object) -> tuple[int, int] | None:
    """An RFC 3339 time as (whole seconds since the epoch, nanoseconds), exact at any fraction length; None for
    anything else (a drifted or missing value, which the drift log reports)."""
    match = _RFC3339.match(text) if isinstance(text, str) else None
    if not match:
        return None
    try:
        whole = dt.datetime.fromisoformat(match["base"] + ("+00:00" if match["tz"] in "Zz" else match["tz"]))
    except ValueError:
        return None
    return int(whole.timestamp()), int((match["frac"] or "0")[:9].ljust(9, "0"))


Finding = Callable[[str, Operation, str, str, httpx.Response], None]


@pytest.fixture(scope="module")
def finding(conformance: RunContext) -> Finding:
    """Notes what only a check can see (a parameter refused or ignored) in the run's drift log."""

    def note(kind: str, operation: Operation, where: str, detail: str, response: httpx.Response) -> None:
        conformance.drift.note(Drift(kind, operation.label, where, detail), curl_line(response.request))

    return note


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """What depends on the run's snapshot: a filter check per declared filter of the test's endpoint, and the
    authentication check for each operation the snapshot declares."""
    run = run_context(metafunc.config)
    if "check" in metafunc.fixturenames:
        operation = operation_of(run, endpoint_of(metafunc.definition))
        if operation is not None:  # else the test is deselected
            metafunc.parametrize("check", checks(operation), ids=repr)
    if "credentials" in metafunc.fixturenames:
        metafunc.parametrize("credentials", ["none", "invalid"])
        metafunc.parametrize(
            ("path", "endpoint"),
            [
                pytest.param(
                    op.path,
                    op.label,
                    marks=pytest.mark.endpoint(op.label),
                    id="jobs" if op.path == JOBS_PATH else "runs",
                )
                for op in run.spec
            ],
        )


@pytest.fixture(scope="module")
def client(conformance: RunContext) -> Iterator[httpx.Client]:
    with conformance.http_client() as c:
        yield c


@pytest.fixture(scope="module")
def jobs(conformance: RunContext) -> Operation:
    return conformance.operation(JOBS_PATH)


def get(client: httpx.Client, operation: Operation, **params: Any) -> Any:
    return fetch(client, operation, **params)[0]


def fetch(client: httpx.Client, operation: Operation, **params: Any) -> tuple[Any, str]:
    """A 200 body, and the curl line that asks for it again: a check that fails on the body names it, so
    that the summary can give the request that shows the failure."""
    response = client.get(operation.path, params={k: v for k, v in params.items() if v is not None})
    reproduce = curl_line(response.request)
    assert response.status_code == 200, (
        f"expected 200, got {response.status_code}: {response.text[:300]}\nreproduce:\n  {reproduce}"
    )
    return response.json(), reproduce


def page_items(operation: Operation, body: Any) -> list[Item]:
    """The items of a page, or an assertion naming what the body lacks."""
    key = operation.listing.items
    items = body if key is None else body.get(key) if isinstance(body, dict) else None
    assert isinstance(items, list), (
        f"the body has no list of items{f' under {key!r}' if key else ''}: {str(body)[:200]}"
    )
    return [i if isinstance(i, dict) else {} for i in items]


def walk(
    client: httpx.Client, jobs: Operation, page_size: int, max_items: int, **filters: Any
) -> tuple[list[Item], list[str]]:
    """Items of the jobs listing, page by page, up to `max_items`; and the curl lines of the pages asked for."""
    listing = jobs.listing
    size_param, token_param = jobs.page_parameter("size"), jobs.page_parameter("token")
    items: list[Item] = []
    asked: list[str] = []
    token: str | None = None
    for _ in range(max_items):  # a page holds at least one item, so this bounds the walk
        paging: dict[str, Any] = {size_param.name if size_param else "page_size": page_size}
        if token is not None and token_param is not None:
            paging[token_param.name] = token
        response = client.get(jobs.path, params={**filters, **paging})
        asked.append(curl_line(response.request))
        assert response.status_code == 200, f"page {len(asked)}: {response.status_code} {response.text[:300]}"
        body = response.json()
        page = page_items(jobs, body)
        items += page
        token = body.get(listing.next_page_token) if listing.next_page_token else None
        if not token or not page or len(items) >= max_items:
            break
    return items[:max_items], asked


@pytest.fixture(scope="module")
def sample(client: httpx.Client, jobs: Operation) -> list[Item]:
    """The newest jobs the key can see: where every check takes its values from."""
    items, _ = walk(client, jobs, 100, 100)
    if not items:
        pytest.skip("the target lists no jobs for this key: nothing to check the semantics against")
    return items


def ids(items: list[Item]) -> list[Any]:
    return [i.get("id") for i in items]


def order_field(jobs: Operation) -> str:
    return jobs.listing.newest_first_by or "created_at"


def frozen(jobs: Operation, sample: list[Item]) -> dict[str, Any]:
    """The upper bound that keeps jobs created during the run out of a listing (when the spec declares one)."""
    by = order_field(jobs)
    bounds = [p for p in _filters(jobs, "at-or-before") if getattr(p.meaning, "field", None) == by]
    bound = bounds[0] if bounds else None
    newest = sample[0].get(by)
    return {bound.name: newest} if bound is not None and newest is not None else {}


def _filters(operation: Operation, kind: str) -> list[Parameter]:
    return [p for p in operation.filters() if isinstance(p.meaning, Filter) and p.meaning.kind == kind]


@pytest.mark.endpoint(JOBS)
def test_jobs_newest_first(client: httpx.Client, jobs: Operation, sample: list[Item]) -> None:
    items, asked = walk(client, jobs, 25, 75)
    times = [instant(i.get(order_field(jobs))) for i in items]
    known = [t for t in times if t is not None]
    assert all(a >= b for a, b in itertools.pairwise(known)), (
        f"jobs are not listed newest first by {order_field(jobs)} across these pages:\n  " + "\n  ".join(asked)
    )


@pytest.mark.endpoint(JOBS)
@pytest.mark.parametrize("small_page", [1, 7])
def test_jobs_pages_join_without_gaps_or_repeats(
    client: httpx.Client, jobs: Operation, sample: list[Item], small_page: int
) -> None:
    wanted = min(len(sample), 30 if small_page == 1 else 60)
    reference, _ = walk(client, jobs, 100, wanted, **frozen(jobs, sample))
    paged, asked = walk(client, jobs, small_page, wanted, **frozen(jobs, sample))
    assert len(set(map(str, ids(paged)))) == len(paged), "an item appears twice across pages:\n  " + "\n  ".join(asked)
    assert ids(paged) == ids(reference), (
        f"pages of {small_page} do not join into the listing that pages of 100 give "
        f"(missing: {sorted(set(map(str, ids(reference))) - set(map(str, ids(paged))))[:5]}, "
        f"extra: {sorted(set(map(str, ids(paged))) - set(map(str, ids(reference))))[:5]}):\n  " + "\n  ".join(asked[:5])
    )


@pytest.mark.endpoint(JOBS)
@pytest.mark.parametrize("page_size", [1, 2, 5, 13])
def test_jobs_page_size_is_honoured(
    conformance: RunContext, client: httpx.Client, jobs: Operation, sample: list[Item], page_size: int
) -> None:
    size_param = jobs.page_parameter("size")
    if size_param is None:
        pytest.skip("the snapshot declares no page size parameter")
    response = client.get(jobs.path, params={size_param.name: page_size})
    reproduce = curl_line(response.request)
    assert response.status_code == 200, f"{response.status_code}: {reproduce}"
    body = response.json()
    items = page_items(jobs, body)
    next_token = body.get(jobs.listing.next_page_token or "next_page_token")
    assert len(items) <= page_size, f"{len(items)} items for {size_param.name}={page_size}: {reproduce}"
    if next_token:
        assert items, f"an empty page that claims a next page: {reproduce}"
    if len(sample) > page_size:
        assert next_token, f"more jobs exist, but no next page token: {reproduce}"
        if conformance.settings.embedded:  # our own mock fills every page but the last; a live server need not
            assert len(items) == page_size, reproduce


# ---- every filter filters ------------------------------------------------------------------------------------


@attrs.frozen
class Check:
    """One filter parameter: how to pick a value from an item, which items match it, and a value that matches no
    item (or None: then an enum value the anchor does not have is used)."""

    parameter: Parameter
    value_of: Callable[[Item], Any]
    matches: Callable[[Item, Any], bool]
    nothing: Callable[[], Any] | None

    def __repr__(self) -> str:
        return self.parameter.name


def _prefix(operation: Operation, field: str) -> str:
    """How ids in a field are spelled (`cfg-`), from its examples, so that a made-up value looks real."""
    prop = operation.item_schema.get("properties", {}).get(field, {})
    for branch in [prop, *operation.spec.branches(prop)]:
        for example in branch.get("examples", ()):
            match = _ID_EXAMPLE.match(str(example))
            if match:
                return match.group(1)
    return ""


def _enum(operation: Operation, parameter: Parameter) -> list[str]:
    return [v for b in operation.spec.branches(parameter.schema) for v in b.get("enum", ()) if v is not None]


def _uuid_of(value: object) -> str | None:
    match = _UUID.search(value) if isinstance(value, str) else None
    return match.group(0).lower() if match else None


def _equals(operation: Operation, parameter: Parameter, meaning: Filter) -> Check:
    caseless = "uuid" in operation.spec.formats(parameter.schema)
    prefix = _prefix(operation, meaning.field)

    def value_of(item: Item) -> Any:
        return field_value(item, meaning.field)

    def matches(item: Item, value: Any) -> bool:
        mine = field_value(item, meaning.field)
        return mine is not None and (str(mine).lower() == str(value).lower() if caseless else mine == value)

    def fresh() -> str:
        return str(uuid.uuid4()) if caseless else f"{prefix}conformance-{uuid.uuid4()}"

    return Check(parameter, value_of, matches, None if _enum(operation, parameter) else fresh)


def _input_type(parameter: Parameter, meaning: Filter) -> Check:
    def value_of(item: Item) -> Any:
        return meaning.type_of(field_value(item, meaning.field))

    return Check(parameter, value_of, lambda item, value: value_of(item) == value, lambda: "no_such_input_type")


def _bound(parameter: Parameter, meaning: Filter) -> Check:
    after = meaning.kind == "at-or-after"

    def value_of(item: Item) -> Any:
        return field_value(item, meaning.field)

    def matches(item: Item, value: Any) -> bool:
        mine, bound = instant(value_of(item)), instant(value)
        return mine is not None and bound is not None and (mine >= bound if after else mine <= bound)

    far = "2999-01-01T00:00:00Z" if after else "1970-01-01T00:00:00Z"
    return Check(parameter, value_of, matches, lambda: far)


def _scope(operation: Operation, parameter: Parameter, meaning: Scope) -> Check:
    if meaning.kind != "project":  # an item does not say its organization: only a value matching nothing is checked
        return Check(parameter, lambda item: None, lambda item, value: True, lambda: str(uuid.uuid4()))

    def value_of(item: Item) -> Any:
        return _uuid_of(field_value(item, operation.listing.project_by))

    return Check(
        parameter, value_of, lambda item, value: value_of(item) == str(value).lower(), lambda: str(uuid.uuid4())
    )


def checks(operation: Operation) -> list[Check]:
    """A check for every filter and scope parameter of the operation, from its declared meaning."""
    found: list[Check] = []
    for parameter in operation.parameters:
        meaning = parameter.meaning
        if isinstance(meaning, Filter) and meaning.kind == "equals":
            found.append(_equals(operation, parameter, meaning))
        elif isinstance(meaning, Filter) and meaning.kind == "input-type":
            found.append(_input_type(parameter, meaning))
        elif isinstance(meaning, Filter) and meaning.kind in ("at-or-after", "at-or-before"):
            found.append(_bound(parameter, meaning))
        elif isinstance(meaning, Scope):
            found.append(_scope(operation, parameter, meaning))
    return found


def _one_of(jobs: Operation) -> Parameter | None:
    found = _filters(jobs, "one-of")
    return found[0] if found else None


@pytest.mark.endpoint(JOBS)
def test_jobs_filter_keeps_exactly_what_matches(
    finding: Finding, client: httpx.Client, jobs: Operation, sample: list[Item], check: Check
) -> None:
    name = check.parameter.name
    one_of = _one_of(jobs)
    anchors = [j for j in sample[len(sample) // 3 :] + sample if check.value_of(j) is not None]
    if anchors:
        anchor = anchors[0]
        value = check.value_of(anchor)
        response = client.get(jobs.path, params={name: value})
        if response.status_code == 422:
            finding("parameter refused", jobs, name, f"a value the spec allows, {value!r}, is refused", response)
        items, asked = walk(client, jobs, 100, 200, **{name: value})
        wrong = [i.get("id") for i in items if not check.matches(i, value)]
        assert not wrong, f"{name}={value!r} lists jobs that do not match it: {wrong[:5]}\n  " + asked[0]
        if one_of is not None:
            body, asked_for = fetch(client, jobs, **{name: value, one_of.name: [anchor.get("id")]})
            assert ids(page_items(jobs, body)) == [anchor.get("id")], (
                f"{name}={value!r} leaves out job {anchor.get('id')}, which matches\n  {asked_for}"
            )
    if check.nothing is None:  # an enum: every value is valid; one the anchor lacks must leave it out
        others = [v for v in _enum(jobs, check.parameter) if anchors and v != check.value_of(anchors[0])]
        if not others or one_of is None:
            return
        anchor = anchors[0]
        response = client.get(jobs.path, params={name: others[0], one_of.name: [anchor.get("id")]})
        assert response.status_code == 200, f"{response.status_code}: {curl_line(response.request)}"
        if page_items(jobs, response.json()):
            finding("parameter ignored", jobs, name, f"{others[0]!r} lists a job that has another value", response)
        assert not page_items(jobs, response.json()), (
            f"{name}={others[0]} lists job {anchor.get('id')}, whose {name} is {check.value_of(anchor)!r}"
        )
        return
    nothing = check.nothing()
    response = client.get(jobs.path, params={name: nothing})
    input_type = isinstance(check.parameter.meaning, Filter) and check.parameter.meaning.kind == "input-type"
    if response.status_code == 422 and input_type:
        return  # refusing an unknown input type shows the filter is read, as matching nothing would
    assert response.status_code == 200, f"{response.status_code}: {curl_line(response.request)}"
    listed = page_items(jobs, response.json())
    if listed:
        finding("parameter ignored", jobs, name, f"{nothing!r} matches no job, yet jobs are listed", response)
    assert not listed, (
        f"{name}={nothing!r} matches no job, yet jobs are listed (is the filter ignored?)\n  "
        + curl_line(response.request)
    )


@pytest.mark.endpoint(JOBS)
def test_jobs_filter_by_ids(client: httpx.Client, jobs: Operation, sample: list[Item]) -> None:
    one_of = _one_of(jobs)
    if one_of is None:
        pytest.skip("the snapshot declares no filter by a list of ids")
    chosen = [j for j in sample[:: max(len(sample) // 3, 1)][:3] if j.get("id") is not None]
    body, asked_for = fetch(client, jobs, **{one_of.name: [j["id"] for j in reversed(chosen)]})
    assert ids(page_items(jobs, body)) == ids(chosen), (
        f"{one_of.name} must give exactly those jobs, newest first\n  {asked_for}"
    )
    fresh = f"{_prefix(jobs, 'id')}conformance-{uuid.uuid4()}"
    body, asked_for = fetch(client, jobs, **{one_of.name: [fresh]})
    assert not page_items(jobs, body), f"{one_of.name}=<an id no job has> lists jobs\n  {asked_for}"


@pytest.mark.endpoint(JOBS)
def test_jobs_expand_only_adds_fields(client: httpx.Client, jobs: Operation, sample: list[Item]) -> None:
    expand = jobs.expand_parameter()
    expandable = jobs.expandable
    if expand is None or not expandable:
        pytest.skip("the snapshot declares no expandable fields")
    size_param = jobs.page_parameter("size")
    window = {**frozen(jobs, sample), **({size_param.name: 20} if size_param else {})}
    body, plain_request = fetch(client, jobs, **window)
    plain = page_items(jobs, body)
    body, expanded_request = fetch(client, jobs, **window, **{expand.name: list(expandable)})
    expanded = page_items(jobs, body)
    both = f"\n  {plain_request}\n  {expanded_request}"
    assert ids(plain) == ids(expanded), f"{expand.name} changed which jobs are listed, or their order{both}"
    # Every job was run with some configuration, so among a handful at least one must come back with it.
    first = expandable[0]
    assert len(expanded) < 5 or any(job.get(first) is not None for job in expanded), (
        f"{expand.name}={first} filled the {first} of none of {len(expanded)} jobs (is {expand.name} ignored?)"
        f"\n  {expanded_request}"
    )
    for before, after in zip(plain, expanded, strict=True):
        for name in expandable:
            assert before.get(name) is None, (
                f"job {before.get('id')}: {name} is filled without {expand.name}={name}\n  {plain_request}"
            )
        rest = {k: v for k, v in after.items() if k not in expandable}
        assert rest == {k: v for k, v in before.items() if k not in expandable}, (
            f"job {before.get('id')}: {expand.name} changed fields other than {expandable}{both}"
        )


# ---- v1 runs ---------------------------------------------------------------------------------------------------
# Only a snapshot that has the v1 operation gets these checks (2026-08-20 has none: upstream removed it in 2025).


@pytest.fixture(scope="module")
def runs_op(conformance: RunContext) -> Operation:
    return conformance.operation(RUNS_PATH)


@pytest.fixture(scope="module")
def runs(client: httpx.Client, runs_op: Operation) -> list[Item]:
    listed = page_items(runs_op, get(client, runs_op))
    if not listed:
        pytest.skip("the target lists no extraction runs for this key")
    return listed


@pytest.mark.endpoint(RUNS)
def test_runs_filter_keeps_exactly_what_matches(
    finding: Finding, client: httpx.Client, runs_op: Operation, runs: list[Item], check: Check
) -> None:
    name = check.parameter.name
    anchor = next((r for r in runs if check.value_of(r) is not None), None)
    if anchor is not None:
        value = check.value_of(anchor)
        body, asked_for = fetch(client, runs_op, **{name: value})
        got = page_items(runs_op, body)
        assert anchor.get("id") in ids(got), (
            f"{name}={value} leaves out run {anchor.get('id')}, which matches\n  {asked_for}"
        )
        wrong = [r.get("id") for r in got if not check.matches(r, value)]
        assert not wrong, f"{name}={value} lists runs that do not match it: {wrong[:5]}\n  {asked_for}"
    if check.nothing is not None:
        nothing = check.nothing()
        response = client.get(runs_op.path, params={name: nothing})
        assert response.status_code == 200, f"{response.status_code}: {curl_line(response.request)}"
        if page_items(runs_op, response.json()):
            finding("parameter ignored", runs_op, name, f"{nothing!r} matches no run, yet runs are listed", response)
            pytest.fail(f"a {name} that matches nothing lists runs: {curl_line(response.request)}")


def test_auth_is_enforced(conformance: RunContext, path: str, endpoint: str, credentials: str) -> None:
    """For each operation of the snapshot (marked with its endpoint when it is parametrized)."""
    headers = {} if credentials == "none" else {"Authorization": f"Bearer conformance-invalid-{uuid.uuid4()}"}
    with conformance.http_client(authenticated=False) as anonymous:
        response = anonymous.get(path, headers=headers)
    reproduce = curl_line(response.request)
    assert response.status_code == 401, f"{credentials} credentials got {response.status_code}, not 401: {reproduce}"
    detail = response.json().get("detail") if "json" in response.headers.get("content-type", "") else None
    assert isinstance(detail, str), f"a 401 body is {{'detail': string}}, got {response.text[:200]}: {reproduce}"
