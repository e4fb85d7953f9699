"""A job's file input, read and filtered on, whichever name the server uses for it: `document_input_value` (the
client's 2026-03-28 spec) or `file_input` (upstream since 2026-04-01)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llamacloud_extract import ExtractV2Job, file_input

SEED, NOW = "2026-03-28", "2026-08-20"


def items_of(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for page in pages for item in page["items"]]


def seed_server(items: list[dict[str, Any]]) -> Any:
    """As a server of the 2026-03-28 spec: it filters on `document_input_value` and, like any FastAPI app,
    ignores query parameters it does not declare."""

    def answer(request: httpx.Request) -> httpx.Response:
        wanted = request.url.params.get("document_input_value")
        found = [item for item in items if wanted is None or item["document_input_value"] == wanted]
        return httpx.Response(200, json={"items": found, "next_page_token": None})

    return answer


def newer_server(items: list[dict[str, Any]]) -> Any:
    """As a server of the 2026-08-20 spec: it filters on `file_input`, and still takes `document_input_value`
    (deprecated) when `file_input` is not given."""

    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        wanted = params.get("file_input", params.get("document_input_value"))
        found = [item for item in items if wanted is None or item["file_input"] == wanted]
        return httpx.Response(200, json={"items": found, "next_page_token": None})

    return answer


SERVERS = {SEED: seed_server, NOW: newer_server}


@pytest.mark.parametrize("spelling", ["file_input", "document_input_value", "both"])
@pytest.mark.parametrize("snapshot", [SEED, NOW])
def test_the_filter_filters_on_either_server(kit: Any, snapshot: str, spelling: str) -> None:
    items = items_of(kit.bodies(snapshot))
    target = items[5]
    wanted = target.get("file_input", target.get("document_input_value"))
    arguments = {"file_input": wanted, "document_input_value": wanted} if spelling == "both" else {spelling: wanted}
    client, _ = kit.client(SERVERS[snapshot](items))
    assert [row["id"] for row in client.jobs.list(raw=True, **arguments)] == [target["id"]]


def test_a_lone_file_input_would_list_everything_on_a_seed_era_server(kit: Any) -> None:
    """Why the client sends both names: the seed-era server ignores the one it does not know."""
    items = items_of(kit.bodies(SEED))
    answer = seed_server(items)(httpx.Request("GET", "http://api.test/api/v2/extract?file_input=dfl-x"))
    assert len(answer.json()["items"]) == len(items)


@pytest.mark.parametrize("spelling", ["file_input", "document_input_value"])
def test_both_names_are_sent_with_the_same_value(kit: Any, spelling: str) -> None:
    seen: list[httpx.Request] = []
    client, _ = kit.client(lambda r: seen.append(r) or httpx.Response(200, json={"items": []}))
    list(client.jobs.list(status="FAILED", **{spelling: "pjb-1"}))
    pairs = seen[0].url.params.multi_items()
    assert [(k, v) for k, v in pairs if k in ("file_input", "document_input_value")] == [
        ("file_input", "pjb-1"),
        ("document_input_value", "pjb-1"),
    ]
    assert ("status", "FAILED") in pairs


def test_neither_name_is_sent_without_the_filter(kit: Any) -> None:
    seen: list[httpx.Request] = []
    client, _ = kit.client(lambda r: seen.append(r) or httpx.Response(200, json={"items": []}))
    list(client.jobs.list())
    assert set(seen[0].url.params) == set()


def test_the_async_client_sends_both_names(kit: Any) -> None:
    seen: list[httpx.Request] = []

    async def go() -> None:
        client, _ = kit.async_client(lambda r: seen.append(r) or httpx.Response(200, json={"items": []}))
        async with client:
            [job async for job in client.jobs.list(file_input="dfl-2")]

    asyncio.run(go())
    assert seen[0].url.params.get_list("file_input") == ["dfl-2"]
    assert seen[0].url.params.get_list("document_input_value") == ["dfl-2"]


def test_two_different_values_are_refused_before_anything_is_sent(kit: Any) -> None:
    seen: list[httpx.Request] = []
    client, _ = kit.client(lambda r: seen.append(r) or httpx.Response(200, json={"items": []}))
    with pytest.raises(ValueError, match="file_input='dfl-1' and document_input_value='dfl-2' disagree"):
        client.jobs.list(file_input="dfl-1", document_input_value="dfl-2")
    with pytest.raises(TypeError, match="file_input must be a str"):
        client.jobs.list(file_input=1)  # type: ignore[arg-type]
    assert seen == []


# ---- file_input(job) -------------------------------------------------------------------------------------------

names = st.sampled_from(["file_input", "document_input_value", "other"])
values = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.text(max_size=2), max_size=1))


def expected(item: dict[str, Any]) -> str | None:
    for name in ("file_input", "document_input_value"):
        if isinstance(item.get(name), str):
            return str(item[name])
    return None


@given(st.dictionaries(names, values))
def test_file_input_of_a_raw_job_is_the_newer_name_else_the_older_else_none(item: dict[str, Any]) -> None:
    assert file_input(item) == expected(item)


@given(st.dictionaries(names, values))
def test_file_input_of_a_typed_job_reads_the_same(item: dict[str, Any]) -> None:
    job = ExtractV2Job.from_dict(item)  # the generated model keeps whatever it was given
    assert file_input(job) == expected(item)


@pytest.mark.parametrize("snapshot", [SEED, NOW])
def test_file_input_names_each_recorded_job_s_input(kit: Any, snapshot: str) -> None:
    for item in items_of(kit.bodies(snapshot)):
        found = file_input(item)
        assert found is not None
        assert found.startswith(("dfl-", "pjb-"))


def test_file_input_refuses_what_is_not_a_job() -> None:
    with pytest.raises(TypeError, match="got list"):
        file_input([])  # type: ignore[arg-type]
