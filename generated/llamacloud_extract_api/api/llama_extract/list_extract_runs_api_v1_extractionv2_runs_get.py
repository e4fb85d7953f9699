from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authentication_error import AuthenticationError
from ...models.extract_run import ExtractRun
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    extraction_agent_id: None | Unset | UUID = UNSET,
    run_id: None | Unset | UUID = UNSET,
    job_id: None | Unset | UUID = UNSET,
    session: None | str | Unset = UNSET,
) -> dict[str, Any]:

    cookies = {}
    if session is not UNSET:
        cookies["session"] = session

    params: dict[str, Any] = {}

    json_extraction_agent_id: None | str | Unset
    if isinstance(extraction_agent_id, Unset):
        json_extraction_agent_id = UNSET
    elif isinstance(extraction_agent_id, UUID):
        json_extraction_agent_id = str(extraction_agent_id)
    else:
        json_extraction_agent_id = extraction_agent_id
    params["extraction_agent_id"] = json_extraction_agent_id

    json_run_id: None | str | Unset
    if isinstance(run_id, Unset):
        json_run_id = UNSET
    elif isinstance(run_id, UUID):
        json_run_id = str(run_id)
    else:
        json_run_id = run_id
    params["run_id"] = json_run_id

    json_job_id: None | str | Unset
    if isinstance(job_id, Unset):
        json_job_id = UNSET
    elif isinstance(job_id, UUID):
        json_job_id = str(job_id)
    else:
        json_job_id = job_id
    params["job_id"] = json_job_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/extractionv2/runs",
        "params": params,
        "cookies": cookies,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuthenticationError | HTTPValidationError | list[ExtractRun] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ExtractRun.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = AuthenticationError.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuthenticationError | HTTPValidationError | list[ExtractRun]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    extraction_agent_id: None | Unset | UUID = UNSET,
    run_id: None | Unset | UUID = UNSET,
    job_id: None | Unset | UUID = UNSET,
    session: None | str | Unset = UNSET,
) -> Response[AuthenticationError | HTTPValidationError | list[ExtractRun]]:
    """List Extract Runs

    Args:
        extraction_agent_id (None | Unset | UUID):
        run_id (None | Unset | UUID):
        job_id (None | Unset | UUID):
        session (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthenticationError | HTTPValidationError | list[ExtractRun]]
    """

    kwargs = _get_kwargs(
        extraction_agent_id=extraction_agent_id,
        run_id=run_id,
        job_id=job_id,
        session=session,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    extraction_agent_id: None | Unset | UUID = UNSET,
    run_id: None | Unset | UUID = UNSET,
    job_id: None | Unset | UUID = UNSET,
    session: None | str | Unset = UNSET,
) -> AuthenticationError | HTTPValidationError | list[ExtractRun] | None:
    """List Extract Runs

    Args:
        extraction_agent_id (None | Unset | UUID):
        run_id (None | Unset | UUID):
        job_id (None | Unset | UUID):
        session (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthenticationError | HTTPValidationError | list[ExtractRun]
    """

    return sync_detailed(
        client=client,
        extraction_agent_id=extraction_agent_id,
        run_id=run_id,
        job_id=job_id,
        session=session,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    extraction_agent_id: None | Unset | UUID = UNSET,
    run_id: None | Unset | UUID = UNSET,
    job_id: None | Unset | UUID = UNSET,
    session: None | str | Unset = UNSET,
) -> Response[AuthenticationError | HTTPValidationError | list[ExtractRun]]:
    """List Extract Runs

    Args:
        extraction_agent_id (None | Unset | UUID):
        run_id (None | Unset | UUID):
        job_id (None | Unset | UUID):
        session (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthenticationError | HTTPValidationError | list[ExtractRun]]
    """

    kwargs = _get_kwargs(
        extraction_agent_id=extraction_agent_id,
        run_id=run_id,
        job_id=job_id,
        session=session,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    extraction_agent_id: None | Unset | UUID = UNSET,
    run_id: None | Unset | UUID = UNSET,
    job_id: None | Unset | UUID = UNSET,
    session: None | str | Unset = UNSET,
) -> AuthenticationError | HTTPValidationError | list[ExtractRun] | None:
    """List Extract Runs

    Args:
        extraction_agent_id (None | Unset | UUID):
        run_id (None | Unset | UUID):
        job_id (None | Unset | UUID):
        session (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthenticationError | HTTPValidationError | list[ExtractRun]
    """

    return (
        await asyncio_detailed(
            client=client,
            extraction_agent_id=extraction_agent_id,
            run_id=run_id,
            job_id=job_id,
            session=session,
        )
    ).parsed
