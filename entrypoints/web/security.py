"""Web security plumbing: session key derivation, safe redirects and response headers."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import Flask, Response, request

SESSION_KEY_LABEL = b"allucanget-web-session"
MAX_NEXT_LENGTH = 2048

# security.md #41: no inline script or style anywhere, so 'self' is all the page needs.
CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# The image-to-video form previews the chosen file from a blob: URL; no other page may.
PAGE_CSP = {"video.from_image": f"{CSP}; img-src 'self' blob:"}
HSTS = "max-age=31536000; includeSubDomains"
# Views that set a private cache policy of their own (the media proxy: bytes that never change).
OWN_CACHE_POLICY = frozenset({"static", "media.file"})


def session_key(platform_secret: str) -> bytes:
    """A key for Flask's cookie signer, derived so the JWT key itself never signs cookies."""
    return hmac.new(platform_secret.encode(), SESSION_KEY_LABEL, hashlib.sha256).digest()


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a same-origin relative path, else `default` (security.md #43)."""
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return default
    if target.startswith("//") or "\\" in target or _has_control_chars(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def _has_control_chars(text: str) -> bool:
    return any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in text)


def install_headers(app: Flask, *, hsts: bool) -> None:
    """Add security.md #41 headers to every response; no-store unless the view chose a policy
    (static files and the media proxy), error pages and redirects included.

    The bland Server header comes from waitress's ident (server.py).
    """

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        if request.endpoint in PAGE_CSP:
            response.headers["Content-Security-Policy"] = PAGE_CSP[request.endpoint]
        if hsts:
            response.headers["Strict-Transport-Security"] = HSTS
        if request.endpoint not in OWN_CACHE_POLICY or "Cache-Control" not in response.headers:
            # Signed-in pages and auth forms must not be kept by browsers or proxies.
            response.headers["Cache-Control"] = "no-store"
        return response
