"""The API stand-in (conftest.FakeApi) served over loopback HTTP, one request at a time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol

from tests.web.fake_generation import Answer, Streamed
from tests.web.fake_video import read_body


class Api(Protocol):
    def handle(self, method: str, target: str, headers: Any, body: dict[str, Any]) -> Answer: ...


def handler(fake: Sequence[Api]) -> type[BaseHTTPRequestHandler]:
    """`fake[0]` answers: a test swaps in a fresh stand-in without restarting the server."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, body, headers = fake[0].handle(
                self.command, self.path, self.headers, read_body(self.headers, raw)
            )
            self.send_response(status)
            kind = "application/problem+json" if status >= 400 else "application/json"
            for name, value in {"Content-Type": kind, **headers}.items():
                self.send_header(name, value)
            if isinstance(body, Streamed):  # HTTP/1.0: the body ends when the connection does
                self.end_headers()
                for chunk in body:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                return
            payload = body if isinstance(body, bytes) else b""
            if body is not None and not isinstance(body, bytes):
                payload = json.dumps(body).encode()
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer  # noqa: N815 - http.server's naming

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler
