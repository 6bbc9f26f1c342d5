"""The caller's address: the peer, or X-Forwarded-For only when the peer is a trusted proxy."""

from __future__ import annotations

from fastapi import Request

from entrypoints import forwarded


def client_address(request: Request, trusted_proxies: list[str]) -> str:
    """security.md #7: the rule every entrypoint shares (entrypoints/forwarded.py)."""
    peer = request.client.host if request.client else None
    return forwarded.client_address(peer, request.headers.get("x-forwarded-for"), trusted_proxies)
