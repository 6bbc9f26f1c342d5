"""Real OpenRouter bodies replayed verbatim from a loopback server: the recordings, the server,
and the helpers the recorded-answer and recorded-error tests share."""

from __future__ import annotations

import asyncio
import json
import logging
import struct
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from application.ports.generation import TextDelta, TextRequest, TextResult
from domain.errors import Error

RECORDINGS = Path(__file__).resolve().parents[3] / "shared" / "openrouter-recordings"
KEY = "sk-or-v1-replay-0123456789abcdef"
ASK = TextRequest(model="openai/gpt-4o", prompt="Hello", max_tokens=100)


def recorded(pattern: str) -> list[Any]:
    names = sorted(path.name for path in RECORDINGS.glob(pattern))
    skip = pytest.mark.skip(reason=f"no recordings at {RECORDINGS}")
    return names or [pytest.param(None, marks=skip)]


def raw(name: str) -> bytes:
    return (RECORDINGS / name).read_bytes()


@dataclass
class Replay:
    """A loopback HTTP/1.1 server that answers each request with one recorded body, written
    in `piece`-byte writes (events split across reads), `pause_s` before each keep-alive
    comment line, and ended by closing the connection."""

    client: httpx.AsyncClient
    url: str = ""
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    piece: int = 1 << 20
    pause_s: float = 0
    requests: list[bytes] = field(default_factory=list)

    def make(self, **options: Any) -> OpenRouterGateway:
        """A gateway on this server; no retries unless asked (each test replays one answer)."""
        return OpenRouterGateway(self.client, self.url, KEY, **{"max_retries": 0, **options})

    def serve(self, name: str, status: int = 200, **options: Any) -> None:
        self.body, self.status = raw(name), status
        for option, value in options.items():
            setattr(self, option, value)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        self.requests.append(head + await reader.readexactly(length))
        kind = "text/event-stream" if self.body.startswith(b":") else "application/json"
        lines = [f"HTTP/1.1 {self.status} Recorded", f"Content-Type: {kind}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        for line in self.body.splitlines(keepends=True):
            if line.startswith(b":"):
                await asyncio.sleep(self.pause_s)
            for start in range(0, len(line), self.piece):
                writer.write(line[start : start + self.piece])
                await writer.drain()
        writer.close()


@pytest.fixture
async def replay() -> AsyncIterator[Replay]:
    if not RECORDINGS.is_dir():
        pytest.skip(f"recordings folder missing: {RECORDINGS}")
    async with make_http_client(connect_s=2, read_s=5, write_s=2, pool_s=2) as client:
        server = Replay(client)
        listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        server.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/api/v1"
        async with listener:
            yield server


@pytest.fixture(autouse=True)
def no_key_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    logged = "\n".join(record.getMessage() for record in caplog.get_records("call"))
    assert KEY not in logged + caplog.text


def events(name: str) -> list[dict[str, Any]]:
    lines = raw(name).decode().split("\n")
    return [json.loads(line[6:]) for line in lines if line.startswith("data: {")]


async def run(call: Any) -> tuple[list[str], TextResult | Any]:
    """(deltas, then the result or the raised error) of a stream or a coroutine."""
    deltas: list[str] = []
    try:
        if not hasattr(call, "__aiter__"):
            return deltas, await call
        async for event in call:
            if not isinstance(event, TextDelta):
                return deltas, event
            deltas.append(event.text)
    except Error as error:
        assert KEY not in repr(error) + str(error)
        return deltas, error
    raise AssertionError("no TextResult")


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
