"""client_address: whose failures a request counts as (security.md #7)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from entrypoints.api.client_address import client_address

TRUSTED = ["127.0.0.1", "::1"]


def request_from(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


@pytest.mark.parametrize(
    ("peer", "forwarded", "address"),
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # an untrusted peer's header is ignored
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the right-most hop
        ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # trusted hops are skipped
        ("127.0.0.1", "2001:DB8:0:0::1", "2001:db8::1"),  # one key however it is written
        ("127.0.0.1", "::ffff:198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "not an address", "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
    ],
)
def test_the_client_is_the_peer_or_what_a_trusted_proxy_says(
    peer: str, forwarded: str | None, address: str
) -> None:
    assert client_address(request_from(peer, forwarded), TRUSTED) == address
