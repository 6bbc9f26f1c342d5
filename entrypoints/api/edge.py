"""EdgeMiddleware: request ids, security headers, X-Gateway-Overhead-Ms, a body-size cap and
the last-resort 500."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from adapters.openrouter.timing import track_upstream
from entrypoints.logs import request_id as current_request

log = logging.getLogger("allucanget.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# security.md #41: the API sends nosniff and no-store as well
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
DOCS_PATHS = ("/docs", "/redoc")


class BodyTooLargeError(HTTPException):
    """Raised from `receive`; FastAPI re-raises HTTPExceptions met while reading a body."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class EdgeMiddleware:
    """`path_caps` raises the body cap for exact paths (uploads); every other path gets
    `max_body_bytes`."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int = 1 << 20, path_caps: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.path_caps = dict(path_caps or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        current_request.set(request_id)  # every log line of this request carries it
        started = False
        began, upstream = time.perf_counter(), track_upstream()
        sign_in_route = str(scope.get("path", "")).startswith("/auth/")

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                # time so far minus the time spent waiting on OpenRouter (headers, body,
                # stream chunks, retry pauses): what this server itself added
                overhead_ms = (time.perf_counter() - began - upstream[0]) * 1000
                headers = _with_headers(message.get("headers", []), request_id, scope)
                if not sign_in_route:  # exact server timings would help timing attacks
                    headers.append((b"x-gateway-overhead-ms", b"%.2f" % max(overhead_ms, 0.0)))
                message["headers"] = headers
            await send(message)

        cap = self.path_caps.get(str(scope.get("path", "")), self.max_body)
        if _declared_length(scope) > cap:
            await _problem(send_with_headers, 413, "payload_too_large", request_id)
            return
        try:
            await self.app(scope, self._capped(receive, cap), send_with_headers)
        except BodyTooLargeError:
            if not started:
                await _problem(send_with_headers, 413, "payload_too_large", request_id)
        except Exception:
            log.exception("unexpected error", extra={"request_id": request_id})
            if not started:
                await _problem(send_with_headers, 500, "internal_error", request_id)

    def _capped(self, receive: Receive, cap: int) -> Receive:
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:  # chunked bodies have no Content-Length (security.md #36)
                raise BodyTooLargeError()
            return message

        return capped


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id" and 0 < len(value) <= 64 and value.isascii():
            text: str = value.decode()
            if text.replace("-", "").isalnum():
                return text
    # an id to find log lines by, not a secret: no system call per request for it
    return f"{random.getrandbits(64):016x}"


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def _with_headers(headers: Any, request_id: str, scope: Scope) -> list[tuple[bytes, bytes]]:
    present = {bytes(name).lower() for name, _ in headers}
    merged = [(bytes(n), bytes(v)) for n, v in headers if bytes(n).lower() != b"server"]
    for name, value in SECURITY_HEADERS:
        if name not in present:
            merged.append((name, value))
    if not str(scope.get("path", "")).startswith(DOCS_PATHS):
        merged.append((b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))
    merged.append((b"x-request-id", request_id.encode()))
    return merged


async def _problem(send: Send, status: int, code: str, request_id: str) -> None:
    titles = {413: "Payload too large", 500: "Internal error"}
    body = json.dumps(
        {
            "type": f"/problems/{code.replace('_', '-')}",
            "title": titles[status],
            "status": status,
            "detail": titles[status],
            "code": code,
            "request_id": request_id,
        }
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
