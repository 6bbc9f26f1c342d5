"""The caller's address behind proxies: one rule for every entrypoint (security.md #7).

The peer is the caller unless it is a trusted proxy; then the right-most address in
X-Forwarded-For that is not itself a trusted proxy is. Pure standard library, so both the API
and the web UI (which may not import each other) can use it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection


def client_address(peer: str | None, forwarded_for: str | None, trusted: Collection[str]) -> str:
    """A forged X-Forwarded-For from an untrusted peer is ignored; a malformed hop from a
    trusted proxy falls back to the peer."""
    peer = peer or "unknown"
    if peer not in trusted:
        return peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop in trusted:
            continue
        return _canonical(hop) or peer
    return peer


def _canonical(value: str) -> str | None:
    """One address is one throttle key however it is written (IPv6 spellings, IPv4-mapped)."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)
