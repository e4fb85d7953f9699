"""The error hierarchy: a class per status, the request and the body on every error, and a clear
`ResponseValidationError` for any 200 the client cannot read."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from llamacloud_extract import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    LlamaCloudError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    ValidationError,
)


def answering(response: httpx.Response) -> Any:
    return lambda request: response


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, APIStatusError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (499, APIStatusError),  # not IANA-registered: the generated code's HTTPStatus() would crash on it
        (500, InternalServerError),
        (503, InternalServerError),
        (520, InternalServerError),  # Cloudflare's, also not registered
        (561, InternalServerError),
    ],
)
def test_each_status_has_its_class_and_the_request_and_body(kit: Any, status: int, cls: type[APIStatusError]) -> None:
    client, _ = kit.client(answering(httpx.Response(status, json={"detail": "nope"})), max_retries=0)
    with pytest.raises(cls) as caught:
        list(client.jobs.list(status="FAILED"))
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, APIError)
    assert isinstance(error, LlamaCloudError)
    assert error.status_code == status
    assert error.method == "GET"
    assert error.url == kit.BASE_URL + "/api/v2/extract?status=FAILED"
    assert error.body == {"detail": "nope"}
    assert str(status) in str(error)
    assert "nope" in str(error)


def test_422_carries_the_parsed_detail_list(kit: Any) -> None:
    detail = [
        {"loc": ["query", "page_size"], "msg": "Input should be a valid integer", "type": "int_parsing"},
        {"loc": ["query", 0], "msg": "m", "type": "t", "input": "x", "ctx": {"a": 1}},
    ]
    client, _ = kit.client(answering(httpx.Response(422, json={"detail": detail})), max_retries=0)
    with pytest.raises(UnprocessableEntityError) as caught:
        list(client.jobs.list())
    parsed = caught.value.detail
    assert all(isinstance(item, ValidationError) for item in parsed)
    assert [item.loc for item in parsed] == [["query", "page_size"], ["query", 0]]
    assert parsed[0].msg == "Input should be a valid integer"
    assert parsed[0].type_ == "int_parsing"
    assert parsed[1].additional_properties == {"input": "x", "ctx": {"a": 1}}  # newer fields kept
    assert caught.value.body == {"detail": detail}


@pytest.mark.parametrize(
    "payload",
    [
        {"detail": "plain text"},
        {"other": 1},
        ["x"],
        {"detail": [{"loc": 1}]},
        {"detail": [{"loc": ["query", "status"], "msg": "bad"}]},  # no `type`: not the declared shape either
    ],
)
def test_a_422_of_another_shape_still_raises_with_its_body(kit: Any, payload: Any) -> None:
    client, _ = kit.client(answering(httpx.Response(422, json=payload)), max_retries=0)
    with pytest.raises(UnprocessableEntityError) as caught:
        client.runs.list()
    assert caught.value.detail == []
    assert caught.value.body == payload


def test_a_non_json_error_body_is_kept_as_text(kit: Any) -> None:
    client, _ = kit.client(answering(httpx.Response(502, text="<html>Bad gateway</html>")), max_retries=0)
    with pytest.raises(InternalServerError) as caught:
        client.runs.list()
    assert caught.value.body == "<html>Bad gateway</html>"
    assert caught.value.url == kit.BASE_URL + "/api/v1/extractionv2/runs"


def test_an_empty_error_body_is_none(kit: Any) -> None:
    client, _ = kit.client(answering(httpx.Response(404)), max_retries=0)
    with pytest.raises(NotFoundError) as caught:
        client.runs.list()
    assert caught.value.body is None


def test_a_long_body_is_shortened_in_the_message_only(kit: Any) -> None:
    client, _ = kit.client(answering(httpx.Response(400, text="x" * 5000)), max_retries=0)
    with pytest.raises(BadRequestError) as caught:
        client.runs.list()
    assert len(str(caught.value)) < 700
    assert caught.value.body == "x" * 5000


def test_user_and_password_in_the_base_url_are_refused_and_never_shown(kit: Any) -> None:
    """They would be sent as a Basic `Authorization` instead of the key (and then quoted in every error)."""
    with pytest.raises(ConfigurationError) as caught:
        kit.client(answering(httpx.Response(500)), base_url="http://user:hunter2@api.test", max_retries=0)
    assert "user name or password" in str(caught.value)
    assert "hunter2" not in str(caught.value)


# ---- 200s the client cannot read ----------------------------------------------------------------------------

BROKEN_PAGES: list[tuple[str, bytes | Any, str]] = [
    ("not JSON", b"<html>maintenance</html>", "not JSON"),
    ("truncated JSON", b'{"items": [', "not JSON"),
    ("an array", [], "expected a JSON object"),
    ("no items", {"next_page_token": None}, "no 'items' key"),
    ("items not a list", {"items": {"a": 1}}, "'items' is dict"),
    ("a token that is a number", {"items": [], "next_page_token": 5}, "'next_page_token' must be a string"),
    ("a total that is a string", {"items": [], "total_size": "many"}, "'total_size' must be an integer"),
    ("an item that is a string", {"items": ["job"]}, r"items\[0\] must be a JSON object"),
]


@pytest.mark.parametrize(("case", "payload", "message"), BROKEN_PAGES, ids=[c[0] for c in BROKEN_PAGES])
@pytest.mark.parametrize("raw", [False, True])
def test_an_unreadable_page_is_a_response_validation_error(
    kit: Any, case: str, payload: Any, message: str, raw: bool
) -> None:
    response = httpx.Response(200, content=payload) if isinstance(payload, bytes) else httpx.Response(200, json=payload)
    client, _ = kit.client(answering(response))
    with pytest.raises(ResponseValidationError, match=message) as caught:
        list(client.jobs.list(raw=raw))
    assert caught.value.status_code == 200
    assert caught.value.url == kit.BASE_URL + "/api/v2/extract"
    assert caught.value.body is not None


BROKEN_JOBS: list[tuple[str, dict[str, Any], str]] = [
    ("a missing required field", {"id": None}, r"items\[1\]\.id: expected str, got NoneType"),
    ("a number for a string", {"project_id": 42}, r"items\[1\]\.project_id: expected str, got int 42"),
    ("a bad timestamp", {"created_at": "yesterday"}, r"items\[1\] cannot be read: ValueError"),
    ("a timestamp that is a number", {"created_at": 1700000000}, r"items\[1\] cannot be read: TypeError"),
    ("an object that is a string", {"configuration": "cfg"}, r"items\[1\]\.configuration: expected"),
    ("a nested wrong type", {"metadata": {"usage": {"num_pages_extracted": "3"}}}, r"usage\.num_pages_extracted"),
    ("a bool for an int", {"metadata": {"usage": {"num_pages_extracted": True}}}, "got bool True"),
    ("extract_result of no allowed shape", {"extract_result": 7}, r"items\[1\]\.extract_result"),
]


@pytest.mark.parametrize(("case", "change", "message"), BROKEN_JOBS, ids=[c[0] for c in BROKEN_JOBS])
def test_a_job_that_breaks_the_spec_is_named_in_the_error(
    kit: Any, case: str, change: dict[str, Any], message: str
) -> None:
    bad = kit.job(1) | change
    client, _ = kit.client(answering(httpx.Response(200, json={"items": [kit.job(0), bad]})))
    with pytest.raises(ResponseValidationError, match=message):
        list(client.jobs.list())


def test_strict_a_job_without_a_required_key_names_the_key(kit: Any) -> None:
    bad = kit.job(1)
    del bad["document_input_value"]
    client, _ = kit.client(answering(httpx.Response(200, json={"items": [bad]})), strict=True)
    with pytest.raises(ResponseValidationError, match=r"items\[0\] lacks the required field 'document_input_value'"):
        list(client.jobs.list())


def test_raw_mode_does_not_look_inside_the_items(kit: Any) -> None:
    odd = {"id": 5, "anything": True}
    client, _ = kit.client(answering(httpx.Response(200, json={"items": [odd]})))
    assert list(client.jobs.list(raw=True)) == [odd]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"items": []}, "expected a JSON array"),
        ([{"id": "not-a-uuid"}], r"runs\[0\]"),
        ([1], r"runs\[0\] must be a JSON object"),
    ],
)
def test_an_unreadable_run_list_is_a_response_validation_error(kit: Any, payload: Any, message: str) -> None:
    client, _ = kit.client(answering(httpx.Response(200, json=payload)))
    with pytest.raises(ResponseValidationError, match=message):
        client.runs.list()


def test_async_errors_are_the_same(kit: Any) -> None:
    async def go() -> None:
        client, _ = kit.async_client(answering(httpx.Response(200, content=b"nope")))
        async with client:
            with pytest.raises(ResponseValidationError):
                await client.runs.list()
            with pytest.raises(ResponseValidationError):
                [job async for job in client.jobs.list()]

    asyncio.run(go())
