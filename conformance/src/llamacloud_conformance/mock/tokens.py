"""Page tokens: an HMAC-signed keyset position plus a digest of the query they belong to.

A token names the last item of the page it came with, `(created_at, id)`, not an offset, so items inserted
while a client pages through do not shift or repeat what it sees. It also carries a digest of the filters and the
caller's project, so sending it with other filters or another key is caught instead of silently giving a page of
a different listing. The signature makes it tamper-evident; its secret is per server unless one is given, so a
token from an earlier server run is refused as stale.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

_VERSION = 1
_HEAD = struct.Struct(">Bq8s")  # version, created_at (ns since the epoch), query digest
_MAC_BYTES = 16


class TokenError(ValueError):
    """A page token this server cannot honour; the message says why, for the 422 body."""


def query_digest(canonical_query: object) -> bytes:
    """Eight bytes that tell one listing from another (the repr of a canonical, hashable value)."""
    return hashlib.sha256(repr(canonical_query).encode()).digest()[:8]


class TokenCodec:
    """Issues and checks page tokens with one secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def issue(self, created_ns: int, item_id: str, digest: bytes) -> str:
        """The token for "the items after (created_ns, item_id)" in the listing identified by `digest`."""
        payload = _HEAD.pack(_VERSION, created_ns, digest) + item_id.encode()
        return base64.urlsafe_b64encode(payload + self._mac(payload)).rstrip(b"=").decode()

    def open(self, token: str, digest: bytes) -> tuple[int, str]:
        """The position a token names, if this server issued it for the listing identified by `digest`."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        # Decoding skips stray characters; insisting on the canonical spelling makes every edit detectable.
        if base64.urlsafe_b64encode(raw).rstrip(b"=") != token.encode("utf-8", "replace"):
            raise TokenError("page_token is not a token this server issued (it does not decode)")
        if len(raw) < _HEAD.size + _MAC_BYTES:
            raise TokenError("page_token is not a token this server issued (it is too short)")
        payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise TokenError(
                "page_token was not issued by this server: it was altered, made up, or comes from an earlier run"
            )
        version, created_ns, token_digest = _HEAD.unpack_from(payload)
        if version != _VERSION:
            raise TokenError("page_token has a format this server no longer reads")
        if not hmac.compare_digest(token_digest, digest):
            raise TokenError(
                "page_token belongs to a different listing: send the same filters, with the same API key, "
                "as the request that returned it (only page_size and expand may change)"
            )
        try:
            item_id = payload[_HEAD.size :].decode()
        except UnicodeDecodeError:  # cannot happen with a valid signature; kept so no input can raise past here
            raise TokenError("page_token does not decode") from None
        return created_ns, item_id
