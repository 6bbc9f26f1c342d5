"""The caller's address: the peer, or X-Forwarded-For only when the peer is a trusted proxy."""

from __future__ import annotations

import ipaddress

from fastapi import Request


def client_address(request: Request, trusted_proxies: list[str]) -> str:
    """security.md #7: a forged X-Forwarded-For from an untrusted client is ignored. From a
    trusted proxy, the right-most address that is not itself a trusted proxy is the client,
    in its canonical spelling (one IPv6 address is one throttle key however it is written)."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    forwarded = request.headers.get("x-forwarded-for", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop in trusted_proxies:
            continue
        return _canonical(hop) or peer
    return peer


def _canonical(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)
