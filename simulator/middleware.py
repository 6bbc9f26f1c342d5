"""Outermost ASGI layer: logs every API request and lets handlers drop the TCP connection."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulator.broken import ABORT_KEY, DROPPED_KEY, transport_closer
from simulator.common import ENTRY_KEY, auth_matches
from simulator.state import SimState

REDACTED = "[REDACTED]"
_MAX_LOGGED_BODY = 2 * 1024 * 1024


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


class SimulatorMiddleware:
    """Records method, path, headers (Authorization redacted), body and status."""

    def __init__(self, app: ASGIApp, state: SimState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[ABORT_KEY] = transport_closer(send)  # needs uvicorn's own `send`
        if scope["path"].startswith("/__sim"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        matched = auth_matches(headers.get("authorization"), self.state.config.api_key)
        if "authorization" in headers:
            headers["authorization"] = REDACTED
        entry = self.state.record_request(
            scope["method"],
            scope["path"],
            scope["query_string"].decode("latin-1"),
            headers,
            matched,
        )
        scope[ENTRY_KEY] = entry

        async def logged_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(entry.body) < _MAX_LOGGED_BODY:
                entry.body.extend(message.get("body", b""))
            return message

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not scope.get(DROPPED_KEY):
                entry.status = message["status"]
            await send(message)

        await self.app(scope, logged_receive, logged_send)
