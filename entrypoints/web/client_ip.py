"""The browser's address as the web UI sees it, forwarded to the API for its throttle."""

from __future__ import annotations

from flask import current_app, request

from entrypoints.forwarded import client_address

TRUSTED_PROXIES = "ALLUCANGET_TRUSTED_PROXIES"


def browser_address() -> str:
    """security.md #7: behind a trusted reverse proxy, the address it forwarded; otherwise the
    peer. A browser cannot pick its own address by sending X-Forwarded-For itself."""
    trusted: tuple[str, ...] = current_app.config.get(TRUSTED_PROXIES, ())
    return client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)
