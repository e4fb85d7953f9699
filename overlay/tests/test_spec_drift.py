"""The client against the API as it was (the 2026-03-28 snapshot it is generated from) and as it is (2026-08-20:
`document_input_value` renamed `file_input`, new fields), from recorded bodies of both shapes, each validated
against upstream's fragment of its snapshot: sync and async, serial (read-ahead on and off) and parallel,
typed and raw, tolerant (the default) and strict."""

from __future__ import annotations

import asyncio
import contextlib
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from llamacloud_extract import (
    UNSET,
    APIStatusError,
    ExtractTier,
    ExtractV2Job,
    ResponseValidationError,
    SpecDriftWarning,
    file_input,
)

SEED, NOW = "2026-03-28", "2026-08-20"
Responder = Callable[[httpx.Request], httpx.Response]


def items_of(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for page in pages for item in page["items"]]


def expected_file_input(item: dict[str, Any]) -> str:
    value = item.get("file_input", item.get("document_input_value"))
    assert isinstance(value, str)
    return value


def slow(responder: Responder) -> Responder:
    """2 ms a request: enough for the sync pager to read ahead (it does only when requests keep it waiting)."""

    def answer(request: httpx.Request) -> httpx.Response:
        time.sleep(0.002)
        return responder(request)

    return answer


# How a listing runs: the server it talks to, and the arguments of jobs.list that go with it.
MODES = ["serial", "serial, read_ahead=False", "parallel=3"]


def server_for(kit: Any, mode: str, pages: list[dict[str, Any]]) -> tuple[Responder, dict[str, Any]]:
    if mode == "parallel=3":  # windows need a server that filters on created_at
        return kit.JobStore(items_of(pages), default_page_size=4), {"parallel": 3, "page_size": 4}
    read_ahead = mode == "serial"
    return slow(kit.ScriptedPages(pages)), {"read_ahead": read_ahead}


def collect(
    kit: Any, flavour: str, responder: Responder, *, strict: bool = False, **arguments: Any
) -> tuple[list[Any], list[SpecDriftWarning]]:
    """Every item of one listing, and the drift warnings it raised (any other warning fails the test)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if flavour == "sync":
            client, _ = kit.client(responder, strict=strict)
            with client:
                items = list(client.jobs.list(**arguments))
        else:

            async def go() -> list[Any]:
                client, _ = kit.async_client(responder, strict=strict)
                async with client:
                    return [item async for item in client.jobs.list(**arguments)]

            items = asyncio.run(go())
    drift = [w.message for w in caught if isinstance(w.message, SpecDriftWarning)]
    assert [w for w in caught if not isinstance(w.message, SpecDriftWarning)] == []
    return items, drift


@contextlib.contextmanager
def drift_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """The drift warnings raised in the block, filled in when it ends (any other warning fails the test)."""
    found: list[warnings.WarningMessage] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield found
    assert [w for w in caught if not isinstance(w.message, SpecDriftWarning)] == []
    found.extend(caught)


def counts(caught: list[warnings.WarningMessage]) -> list[int]:
    return [w.message.count for w in caught]  # type: ignore[union-attr]


@pytest.fixture
def recorded(kit: Any) -> Callable[..., list[dict[str, Any]]]:
    """The recorded pages of a snapshot, checked against upstream's fragment before any test uses them."""

    def load(snapshot: str, expanded: bool = False) -> list[dict[str, Any]]:
        pages: list[dict[str, Any]] = kit.bodies(snapshot, expanded)
        for page in pages:
            kit.upstream_validator(snapshot).validate(page)
        return pages

    return load


# ---- the recorded bodies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("expanded", [False, True])
@pytest.mark.parametrize("snapshot", [SEED, NOW])
def test_each_recorded_body_is_valid_in_its_snapshot_and_only_there(kit: Any, snapshot: str, expanded: bool) -> None:
    pages = kit.bodies(snapshot, expanded)
    other = NOW if snapshot == SEED else SEED
    for page in pages:
        kit.upstream_validator(snapshot).validate(page)
        assert not kit.upstream_validator(other).is_valid(page)
    assert len(pages) == 3
    assert len({item["id"] for item in items_of(pages)}) == len(items_of(pages))
    absent_optional = [item for item in items_of(pages) if "error_message" not in item]
    assert absent_optional, "some optional keys must be absent rather than null, as a server dropping nulls sends"


# ---- typed and tolerant (the default) -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("snapshot", [SEED, NOW])
def test_typed_listing_reads_either_snapshot_in_full_and_in_order(
    kit: Any, recorded: Any, snapshot: str, flavour: str, mode: str
) -> None:
    pages = recorded(snapshot)
    responder, arguments = server_for(kit, mode, pages)
    jobs, drift = collect(kit, flavour, responder, **arguments)
    sent = items_of(pages)
    assert [job.id for job in jobs] == [item["id"] for item in sent]
    assert all(isinstance(job, ExtractV2Job) for job in jobs)
    assert [file_input(job) for job in jobs] == [expected_file_input(item) for item in sent]
    assert [job.document_input_value for job in jobs] == [expected_file_input(item) for item in sent]
    assert [job.to_dict() for job in jobs] == [ExtractV2Job.from_dict(item).to_dict() | _filled(item) for item in sent]
    if snapshot == SEED:
        assert drift == []
        return
    (warning,) = drift
    assert (warning.model, warning.field, warning.read_from) == ("ExtractV2Job", "document_input_value", "file_input")
    assert (warning.count, warning.total) == (len(sent), len(sent))
    assert warning.url == kit.BASE_URL + "/api/v2/extract"
    assert f"{len(sent)} of the {len(sent)} jobs" in str(warning)
    assert "'document_input_value'" in str(warning)
    assert "'file_input'" in str(warning)


def _filled(item: dict[str, Any]) -> dict[str, Any]:
    """What a typed job adds to what the server sent: the spec's name of a renamed field, read from the new one."""
    return {} if "document_input_value" in item else {"document_input_value": item["file_input"]}


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_the_newer_fields_are_reachable_on_typed_jobs(kit: Any, recorded: Any, flavour: str) -> None:
    pages = recorded(NOW, expanded=True)
    store = kit.ScriptedPages(pages)
    expand = ["configuration", "extract_metadata", "usage"]
    jobs, drift = collect(kit, flavour, store, expand=expand)
    assert [w.field for w in drift] == ["document_input_value"]
    assert store.requests[0].url.params.get_list("expand") == expand
    for job, item in zip(jobs, items_of(pages), strict=True):
        assert job["usage"] == item["usage"]  # a field the client's spec lacks: in additional_properties
        assert job["file_input"] == item["file_input"]  # kept, and written back by to_dict()
        assert job.to_dict()["file_input"] == item["file_input"]
        assert job.configuration is not None
        assert job.configuration is not UNSET
        assert job.configuration["version"] == item["configuration"]["version"]
        assert job.configuration["spreadsheet_mode"] is False
        tier = job.configuration.tier
        assert isinstance(tier, ExtractTier)
        assert tier == item["configuration"]["tier"]
        assert tier.is_known() == (tier == "agentic")  # agentic_plus came after the client's spec
        if "metadata" in item:
            usage = job.metadata.usage  # type: ignore[union-attr]
            assert usage["num_pages_billed"] == item["metadata"]["usage"]["num_pages_billed"]  # type: ignore[index]
            assert usage.num_document_tokens is UNSET  # type: ignore[union-attr]  # dropped upstream: optional


# ---- strict ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_strict_refuses_the_newer_snapshot_naming_item_and_field(
    kit: Any, recorded: Any, flavour: str, mode: str
) -> None:
    responder, arguments = server_for(kit, mode, recorded(NOW))
    with pytest.raises(ResponseValidationError, match=r"items\[0\] lacks the required field 'document_input_value'"):
        collect(kit, flavour, responder, strict=True, **arguments)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_strict_reads_the_seed_snapshot_without_a_warning(kit: Any, recorded: Any, flavour: str, mode: str) -> None:
    pages = recorded(SEED, expanded=True)
    responder, arguments = server_for(kit, mode, pages)
    jobs, drift = collect(kit, flavour, responder, strict=True, **arguments)
    assert [job.to_dict() for job in jobs] == [ExtractV2Job.from_dict(item).to_dict() for item in items_of(pages)]
    assert drift == []


# ---- raw ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("snapshot", [SEED, NOW])
def test_raw_gives_either_snapshot_as_sent_without_a_warning(
    kit: Any, recorded: Any, snapshot: str, flavour: str, mode: str, strict: bool
) -> None:
    pages = recorded(snapshot, expanded=True)
    responder, arguments = server_for(kit, mode, pages)
    rows, drift = collect(kit, flavour, responder, strict=strict, raw=True, **arguments)
    assert rows == items_of(pages)
    assert [file_input(row) for row in rows] == [expected_file_input(item) for item in items_of(pages)]
    assert drift == []


# ---- once per listing and field, when the listing ends -----------------------------------------------------


def drifting(kit: Any, pages: list[dict[str, Any]], **options: Any) -> Any:
    """A client of a server holding the jobs of `pages`, four a page, that may be listed again and again."""
    client, _ = kit.client(kit.JobStore(items_of(pages), default_page_size=4), **options)
    return client


@pytest.mark.parametrize(("limit", "count"), [(1, 1), (4, 4), (6, 6), (11, 11), (50, 11)])
def test_a_limit_counts_the_jobs_handed_over(kit: Any, recorded: Any, limit: int, count: int) -> None:
    client = drifting(kit, recorded(NOW))
    with drift_warnings() as caught:
        assert len(list(client.jobs.list(limit=limit))) == count
    assert [(w.message.count, w.message.total) for w in caught] == [(count, count)]  # type: ignore[union-attr]


def test_stopping_early_reports_what_was_read_at_once(kit: Any, recorded: Any) -> None:
    client = drifting(kit, recorded(NOW))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for job in client.jobs.list():
            assert caught == []  # nothing while the listing goes on
            assert job.document_input_value
            break
        (warning,) = caught  # the break closed the listing
    assert (warning.message.count, warning.message.total) == (4, 4)  # type: ignore[union-attr]  # its first page


def test_pages_report_when_they_are_all_read_or_closed(kit: Any, recorded: Any) -> None:
    client = drifting(kit, recorded(NOW))
    with drift_warnings() as caught:
        pages = client.jobs.list().pages()
        assert [len(page.items) for page in pages] == [4, 4, 3]
    assert counts(caught) == [11]
    with drift_warnings() as caught:
        pages = client.jobs.list().pages()
        next(pages)
        next(pages)
        pages.close()  # type: ignore[attr-defined]
    assert counts(caught) == [8]


def test_each_iteration_of_a_pager_is_its_own_listing(kit: Any, recorded: Any) -> None:
    pager = drifting(kit, recorded(NOW)).jobs.list()
    with drift_warnings() as caught:
        list(pager)
        list(pager)
    assert counts(caught) == [11, 11]


def test_one_warning_per_drifted_field_with_its_own_count(kit: Any, recorded: Any) -> None:
    pages = recorded(NOW, expanded=True)
    for item in pages[1]["items"][:3]:
        del item["configuration"]["data_schema"]  # a second required field, missing from three jobs
    jobs, drift = collect(kit, "sync", kit.ScriptedPages(pages))
    assert sorted((w.model, w.field, w.read_from, w.count, w.total) for w in drift) == [
        ("ExtractConfiguration", "configuration.data_schema", None, 3, 11),
        ("ExtractV2Job", "document_input_value", "file_input", 11, 11),
    ]
    assert [job.configuration.data_schema is UNSET for job in jobs[4:8]] == [True, True, True, False]  # type: ignore[union-attr]


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_error_after_drifted_pages_is_not_replaced_by_the_warning(kit: Any, recorded: Any, flavour: str) -> None:
    pages = recorded(NOW)
    broken = kit.ScriptedPages(pages[:2])  # the third request gets a 500: the script has no more pages

    def listing() -> None:
        if flavour == "sync":
            client, _ = kit.client(broken, max_retries=0)
            list(client.jobs.list())
        else:

            async def go() -> None:
                client, _ = kit.async_client(broken, max_retries=0)
                [job async for job in client.jobs.list()]

            asyncio.run(go())

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as pytest's filterwarnings=error, or a caller's -W error
        with pytest.raises(APIStatusError, match="500"):
            listing()
    broken.requests.clear()
    with drift_warnings() as caught, pytest.raises(APIStatusError, match="500"):
        listing()
    assert counts(caught) == [8]


def test_the_warning_points_at_the_caller(kit: Any, recorded: Any) -> None:
    client = drifting(kit, recorded(NOW))
    with drift_warnings() as caught:
        for _job in client.jobs.list():
            pass
        for _page in client.jobs.list().pages():
            pass
    assert [w.filename for w in caught] == [__file__, __file__]


def test_a_caller_can_silence_it_by_category(kit: Any, recorded: Any) -> None:
    client = drifting(kit, recorded(NOW))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=SpecDriftWarning)
        assert len(list(client.jobs.list())) == 11
    assert issubclass(SpecDriftWarning, UserWarning)


# ---- wrong values stay errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True])
def test_a_wrong_type_is_an_error_in_both_modes(kit: Any, recorded: Any, strict: bool) -> None:
    pages = recorded(SEED)
    pages[1]["items"][2]["document_input_value"] = 42
    with pytest.raises(ResponseValidationError, match=r"items\[2\]\.document_input_value: expected str, got int 42"):
        list(drifting(kit, pages, strict=strict).jobs.list())


def test_a_wrong_type_under_the_newer_name_is_an_error(kit: Any, recorded: Any) -> None:
    pages = recorded(NOW)
    pages[0]["items"][1]["file_input"] = ["dfl-1"]
    with pytest.raises(
        ResponseValidationError,
        match=r"items\[1\]\.file_input \(the newer name of 'document_input_value'\): expected str",
    ):
        list(drifting(kit, pages).jobs.list())


def test_strict_does_not_read_the_newer_name(kit: Any, recorded: Any) -> None:
    pages = recorded(NOW)
    with pytest.raises(ResponseValidationError, match="lacks the required field 'document_input_value'"):
        list(drifting(kit, pages, strict=True).jobs.list())


def test_both_names_sent_is_no_drift(kit: Any, recorded: Any) -> None:
    pages = recorded(NOW)
    for item in items_of(pages):
        item["document_input_value"] = "dfl-the-old-name"
    jobs, drift = collect(kit, "sync", kit.ScriptedPages(pages))
    assert drift == []
    assert {job.document_input_value for job in jobs} == {"dfl-the-old-name"}
    assert [file_input(job) for job in jobs] == [item["file_input"] for item in items_of(pages)]  # the newer wins


# ---- runs ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_runs_lacking_a_required_field_are_read_and_reported_at_once(kit: Any, flavour: str) -> None:
    runs = [kit.run(i) for i in range(5)]
    for run in runs[1:3]:
        del run["file"]
    answer = lambda request: httpx.Response(200, json=runs)  # noqa: E731
    with drift_warnings() as caught:
        if flavour == "sync":
            client, _ = kit.client(answer)
            listed = client.runs.list()
        else:

            async def go() -> list[Any]:
                client, _ = kit.async_client(answer)
                return await client.runs.list()

            listed = asyncio.run(go())
    assert [run.file is UNSET for run in listed] == [False, True, True, False, False]
    (warning,) = caught
    assert (warning.message.field, warning.message.count, warning.message.total) == ("file", 2, 5)  # type: ignore[union-attr]
    assert warning.filename == __file__
    strict, _ = kit.client(answer, strict=True)
    with pytest.raises(ResponseValidationError, match=r"runs\[1\] lacks the required field 'file'"):
        strict.runs.list()


# ---- over a socket ---------------------------------------------------------------------------------------------


@pytest.fixture
def newer_server(kit: Any, recorded: Any) -> Iterator[tuple[list[dict[str, Any]], str]]:
    pages = recorded(NOW, expanded=True)
    server, url = kit.serve(kit.JobStore(items_of(pages), default_page_size=4))
    yield items_of(pages), url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_newer_server_over_a_socket(kit: Any, newer_server: tuple[list[dict[str, Any]], str], flavour: str) -> None:
    sent, url = newer_server
    from llamacloud_extract import AsyncExtractClient, ExtractClient

    async def go() -> list[Any]:
        async with AsyncExtractClient(api_key=kit.API_KEY, base_url=url) as client:
            return [job async for job in client.jobs.list(parallel=2)]

    with drift_warnings() as caught:
        if flavour == "sync":
            with ExtractClient(api_key=kit.API_KEY, base_url=url) as client:
                jobs = list(client.jobs.list(parallel=2))
        else:
            jobs = asyncio.run(go())
    assert [(job.id, file_input(job), job["usage"]) for job in jobs] == [
        (item["id"], item["file_input"], item["usage"]) for item in sent
    ]
    assert counts(caught) == [len(sent)]


def test_an_async_listing_left_early_reports_when_it_is_closed(kit: Any, recorded: Any) -> None:
    async def go() -> list[int]:
        client, _ = kit.async_client(kit.JobStore(items_of(recorded(NOW)), default_page_size=4))
        async with client:
            pager = client.jobs.list()
            async for _job in pager:
                break  # the event loop closes the abandoned listing soon after
            async with contextlib.aclosing(pager.pages()) as pages:  # or close it at once
                async for _page in pages:
                    break
            await asyncio.sleep(0)
            return []

    with drift_warnings() as caught:
        asyncio.run(go())
    assert sorted(counts(caught)) == [4, 4]
