"""Each weak spot of the generated code (docs/facts.md#weak-spots-of-the-generated-client), shown on the
generated code, and shown closed by the overlay. If a regeneration fixes one upstream, its first half fails and
can go."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest

from llamacloud_extract import APIStatusError, InternalServerError, ResponseValidationError
from llamacloud_extract_api import AuthenticatedClient, Client
from llamacloud_extract_api.api.v2 import list_extract_jobs_api_v2_extract_get as generated_list
from llamacloud_extract_api.models import ExtractTier, ExtractV2Job
from llamacloud_extract_api.types import UNSET

EMPTY = {"items": [], "next_page_token": None}


def call_generated(responder: Any) -> Any:
    """The generated `sync_detailed`, its cookie DeprecationWarning silenced (that one has its own test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return generated_list.sync_detailed(client=generated_client(responder))


def generated_client(responder: Any) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url="http://api.test", token="k")
    client.set_httpx_client(httpx.Client(base_url="http://api.test", transport=httpx.MockTransport(responder)))
    return client


def test_timeout_generated_has_none_overlay_has_60_and_5(kit: Any) -> None:
    assert Client(base_url="http://api.test").get_httpx_client().timeout == httpx.Timeout(None)
    seen: list[httpx.Request] = []
    client, _ = kit.client(lambda r: seen.append(r) or httpx.Response(200, json=EMPTY))
    list(client.jobs.list())
    assert seen[0].extensions["timeout"] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


@pytest.mark.parametrize(("status", "raised"), [(499, APIStatusError), (520, InternalServerError)])
def test_non_iana_status_generated_crashes_overlay_raises_its_error(kit: Any, status: int, raised: type) -> None:
    responder = lambda request: httpx.Response(status, text="odd")  # noqa: E731
    with pytest.raises(ValueError, match="is not a valid HTTPStatus"):
        call_generated(responder)
    client, _ = kit.client(responder, max_retries=0)
    with pytest.raises(raised) as caught:
        list(client.jobs.list())
    assert caught.value.status_code == status


def test_session_cookie_generated_warns_on_every_call_overlay_never(kit: Any) -> None:
    with pytest.warns(DeprecationWarning, match="per-request cookies"):
        generated_list.sync_detailed(client=generated_client(lambda r: httpx.Response(200, json=EMPTY)))
    seen: list[httpx.Request] = []
    client, _ = kit.client(lambda r: seen.append(r) or httpx.Response(200, json=EMPTY))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(client.jobs.list())
    assert caught == []
    assert "cookie" not in seen[0].headers  # and no bare `Cookie: session` either


def test_unknown_enum_value_generated_template_keeps_it() -> None:
    assert ExtractTier("agentic_plus").value == "agentic_plus"  # the template's _missing_, not a ValueError


def test_no_response_validation_generated_stores_wrong_types_overlay_refuses(kit: Any) -> None:
    bad = kit.job(1, id=123)
    assert ExtractV2Job.from_dict(bad).id == 123  # type: ignore[comparison-overlap]
    client, _ = kit.client(lambda r: httpx.Response(200, json={"items": [bad]}))
    with pytest.raises(ResponseValidationError, match=r"items\[0\]\.id: expected str, got int 123"):
        list(client.jobs.list())


def test_missing_key_generated_leaves_it_unset_overlay_names_it(kit: Any) -> None:
    # Our model template's choice (openapi/templates/model.py.jinja): no bare KeyError that loses the body.
    parsed = call_generated(lambda r: httpx.Response(200, json={"nothing": 1})).parsed
    assert parsed.items is UNSET
    assert parsed.additional_properties == {"nothing": 1}
    client, _ = kit.client(lambda r: httpx.Response(200, json={"nothing": 1}))
    with pytest.raises(ResponseValidationError, match="no 'items' key"):
        list(client.jobs.list())


def test_the_overlay_sends_the_query_the_generated_code_builds(kit: Any) -> None:
    seen: list[httpx.Request] = []
    client, _ = kit.client(lambda r: seen.append(r) or httpx.Response(200, json=EMPTY))
    list(client.jobs.list(status="RUNNING", page_size=5, expand=["configuration"], job_ids=["a", "b"]))
    built = generated_list._get_kwargs(status="RUNNING", page_size=5, expand=["configuration"], job_ids=["a", "b"])  # type: ignore[arg-type]
    assert seen[0].url.path == built["url"]
    assert sorted(seen[0].url.params.multi_items()) == sorted(httpx.QueryParams(built["params"]).multi_items())
