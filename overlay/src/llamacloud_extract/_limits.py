"""How long a request's URL may be: what the client refuses, and how far it fills a request when it may choose.

Every filter of List Extract Jobs travels in the query string, so a long enough value (or thousands of
`job_ids`) makes a URL that cannot be sent. Two limits apply:

* `MAX_QUERY_LENGTH`: httpx refuses a query string longer than this (`InvalidURL`, at the moment of sending).
  A request that long is refused here instead, before anything is sent, with a `RequestTooLongError` that
  names the value to blame.
* `SPLIT_URL_LENGTH`: RFC 9112 (section 3) recommends that every server accept request lines of at least 8000
  octets, and many accept no more (a 414, or a dropped connection). Shorter values are sent as given, and the
  server decides; but when the client chooses how much goes in one request (splitting `job_ids`), it stays
  within this, leaving `PAGE_TOKEN_ROOM` for the page token that later pages add.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from ._errors import PaginationError, RequestTooLongError

MAX_QUERY_LENGTH = 65_536
"""httpx's own limit on a URL component (`httpx._urlparse.MAX_URL_LENGTH`); the query is the one that grows."""
SPLIT_URL_LENGTH = 8_000
PAGE_TOKEN_ROOM = 1_000
"""Characters of a split request's URL kept free for `&page_token=...` (the API's tokens are far shorter)."""


def query_length(params: Mapping[str, Any]) -> int:
    """The length of the query string httpx makes of `params` (percent-encoded, repeated keys for lists)."""
    return len(str(httpx.QueryParams(params)))


def url_length(base_url: str, kwargs: Mapping[str, Any]) -> int:
    """The length of the URL a generated module's `_get_kwargs(...)` result is sent to."""
    query = query_length(kwargs.get("params") or {})
    return len(str(httpx.URL(base_url + kwargs["url"]))) + (1 + query if query else 0)


def check_query(kwargs: Mapping[str, Any], where: str) -> None:
    """Raise `RequestTooLongError` if httpx could not send this request, naming the longest value."""
    params: Mapping[str, Any] = kwargs.get("params") or {}
    total = query_length(params)
    if total <= MAX_QUERY_LENGTH:
        return
    name, length = max(((name, query_length({name: value})) for name, value in params.items()), key=lambda p: p[1])
    raise RequestTooLongError(
        f"{where}: the request's query string would be {total:,} characters, more than the {MAX_QUERY_LENGTH:,} a "
        f"URL can carry; {name} alone takes {length:,}"
    )


def check_page_token(token: str, where: str) -> None:
    """Raise `PaginationError` for a `next_page_token` from the server that no URL could send back."""
    if 12 * len(token) < MAX_QUERY_LENGTH - len("page_token="):
        return  # even with every character 4 UTF-8 bytes, percent-encoded, it fits: no encoding needed
    length = query_length({"page_token": token})
    if length > MAX_QUERY_LENGTH:
        raise PaginationError(
            f"GET {where}: the server's next_page_token is {len(token):,} characters ({length:,} in a URL), more "
            f"than the {MAX_QUERY_LENGTH:,} a URL can carry, so the next page cannot be asked for",
            method="GET",
            url=where,
        )
