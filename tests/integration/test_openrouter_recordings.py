"""OpenRouterGateway on real OpenRouter bodies, replayed verbatim from a loopback server."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import struct
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from adapters.openrouter.payloads import decode_image
from adapters.openrouter.sse import SSEDecoder
from application.errors import UpstreamUnavailableError as Unavailable
from application.ports.generation import ImageRequest, TextDelta, TextRequest, TextResult
from domain.errors import Error

RECORDINGS = Path(__file__).resolve().parents[3] / "shared" / "openrouter-recordings"
KEY = "sk-or-v1-replay-0123456789abcdef"
# The reason each recorded error status maps to (security.md #34, openrouter.md §6).
REASONS = {
    400: "bad_request",
    401: "provider_down",
    402: "out_of_credits",
    404: "bad_request",
    429: "rate_limited",
}
ASK = TextRequest(model="openai/gpt-4o", prompt="Hello", max_tokens=100)
IMAGE_STREAM = "image-stream-pydanticai-gemini25-flash-image.sse"


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


@pytest.mark.parametrize("name", recorded("chat-nonstream-*.json"))
async def test_recorded_answer_gives_text_usage_and_who_served(replay: Replay, name: str) -> None:
    replay.serve(name)
    body = json.loads(raw(name))
    choice, usage = body["choices"][0], body["usage"]
    result = await replay.make().complete_text(ASK)
    assert result.text == (choice["message"]["content"] or "")
    assert result.finish_reason == choice["finish_reason"]
    served = result.served
    assert [served.model, served.provider, served.upstream_id] == [
        body["model"],
        body["provider"],
        body["id"],
    ]
    counts = ("prompt_tokens", "completion_tokens", "total_tokens")
    assert [getattr(served.usage, count) for count in counts] == [usage[c] for c in counts]
    assert served.usage.cost == pytest.approx(usage.get("cost") or 0.0)
    head = replay.requests[0].decode()
    assert head.startswith("POST /api/v1/chat/completions ") and f"Bearer {KEY}" in head


STREAMS = [n for n in recorded("chat-stream-*.sse") if not str(n).endswith("midstream-error.sse")]


@pytest.mark.parametrize("name", STREAMS)
async def test_recorded_stream_gives_each_delta_then_the_usage(replay: Replay, name: str) -> None:
    replay.serve(name, piece=37)  # events and UTF-8 characters split across reads
    chunks = events(name)
    texts = [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]
    usage = next(c["usage"] for c in reversed(chunks) if c.get("usage"))
    finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    deltas, result = await run(replay.make().stream_text(ASK))
    assert deltas == [text for text in texts if text]
    assert isinstance(result, TextResult) and result.text == "".join(deltas)
    assert result.finish_reason == [f for f in finish if f][-1]
    assert [result.served.model, result.served.upstream_id] == [chunks[0]["model"], chunks[0]["id"]]
    assert result.served.usage.completion_tokens == usage["completion_tokens"]
    assert result.served.usage.cost == pytest.approx(usage["cost"])


async def test_recorded_midstream_error_fails_the_stream(replay: Replay) -> None:
    replay.serve("chat-stream-pydanticai-midstream-error.sse", piece=64)
    deltas, error = await run(replay.make().stream_text(ASK))
    assert deltas == []  # the recorded deltas carry reasoning only
    assert isinstance(error, Unavailable) and error.reason == "bad_request"
    assert "Token limit reached" in str(error)


async def test_keep_alive_comments_reset_the_idle_timer(replay: Replay) -> None:
    """Five recorded comments 0.2 s apart: 1 s before the first token, idle limit 0.5 s."""
    replay.serve("chat-stream-rubyllm-haiku45.sse", pause_s=0.2)
    gateway = replay.make(stream_idle_timeout_s=0.5)
    deltas, result = await run(gateway.stream_text(ASK))
    assert isinstance(result, TextResult) and result.text == "1\n2\n3" == "".join(deltas)
    replay.pause_s = 0.8  # now a silence longer than the limit
    deltas, error = await run(gateway.stream_text(ASK))
    assert deltas == [] and getattr(error, "code", None) == "upstream_timeout"


CUTS = [
    (b'"finish_reason":"stop","native_finish_reason":"end_turn"}],"usage"', "1\n2\n3"),
    (b'"content":"1', None),
]


@pytest.mark.parametrize(("marker", "text"), CUTS)
async def test_a_cut_stream_keeps_its_text(replay: Replay, marker: bytes, text: str | None) -> None:
    """Closed mid-event (no usage, no [DONE]): the text already received is the answer,
    with zero usage; with no text at all, the stream counts as broken."""
    replay.serve("chat-stream-rubyllm-haiku45.sse")
    replay.body = replay.body[: replay.body.index(marker)]
    deltas, result = await run(replay.make().stream_text(ASK))
    if text is not None:
        assert isinstance(result, TextResult) and result.text == text == "".join(deltas)
        assert result.served.usage.total_tokens == 0 and result.finish_reason == "stop"
    else:
        assert isinstance(result, Unavailable) and result.reason == "bad_response"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_recorded_chat_image_is_decoded(replay: Replay) -> None:
    name = "image-pydanticai-gemini25-flash-image.json"
    replay.serve(name)
    body = json.loads(raw(name))
    request = ImageRequest("google/gemini-2.5-flash-image", "A cat")
    result = await replay.make().generate_image(request)
    [image] = result.images
    assert image.content_type == "image/png" and png_size(image.data) == (1024, 1024)
    assert result.text == body["choices"][0]["message"]["content"]
    assert result.served.model == body["model"] and result.served.provider == "Google AI Studio"
    assert result.served.usage.cost == pytest.approx(body["usage"]["cost"])
    replay.serve("image-endpoint-rubyllm-gemini31-flash-lite.json")
    _, error = await run(replay.make().generate_image(request))
    # `/images` answers `data[].b64_json`; in place of a chat answer it is a bad response
    assert isinstance(error, Unavailable) and error.reason == "bad_response"


def test_a_streamed_image_on_one_huge_line_is_reassembled() -> None:
    """The recorded PNG arrives as one ~1.9 MB `data:` line (SOURCES.md), read in 64 KB."""
    if not (RECORDINGS / IMAGE_STREAM).is_file():
        pytest.skip(f"recording missing: {RECORDINGS / IMAGE_STREAM}")
    body, decoder, size = raw(IMAGE_STREAM), SSEDecoder(8 << 20), 1 << 16
    payloads = [p for at in range(0, len(body), size) for p in decoder.feed(body[at : at + size])]
    assert payloads[-1] == "[DONE]" and len(payloads) == len(events(IMAGE_STREAM)) + 1
    chunks = [json.loads(payload) for payload in payloads[:-1]]
    images = [i for c in chunks if c["choices"] for i in c["choices"][0]["delta"].get("images", [])]
    assert len(images) == 1 and len(payloads[0]) + len(payloads[1]) > 1_000_000
    assert png_size(decode_image(images[0]).data) == (1248, 832)  # aspect_ratio 3:2


@pytest.mark.parametrize("name", recorded("error-*.json"))
async def test_recorded_errors_map_to_ours(replay: Replay, name: str) -> None:
    status, retry_after = int(name.split("-")[1]), "retry-after" in name
    replay.serve(name, status, headers={"Retry-After": "1"} if retry_after else {})
    upstream = json.loads(raw(name))["error"]["message"]
    _, error = await run(replay.make().complete_text(ASK))
    assert isinstance(error, Unavailable) and error.reason == REASONS[status]
    assert error.retry_after_s == (1 if retry_after else 0) and len(replay.requests) == 1
    assert "user_" not in str(error)  # OpenRouter's id of our account stays ours
    if status in (400, 404):  # the upstream reason helps the user fix the request
        assert upstream[:40] in str(error)
    else:  # key, credits and rate limits: ours, in our words (security.md #34)
        assert upstream not in str(error) and "openrouter.ai" not in str(error)


@pytest.mark.parametrize("streamed", [False, True])
async def test_a_200_that_holds_only_an_error_is_a_failure(replay: Replay, streamed: bool) -> None:
    """Errors after processing started come back as HTTP 200 (openrouter.md §6, §8.3)."""
    replay.serve("error-429-pydanticai-gemini-free-upstream.json", 200)
    gateway = replay.make()
    deltas, error = await run(gateway.stream_text(ASK) if streamed else gateway.complete_text(ASK))
    assert deltas == [] and isinstance(error, Unavailable) and error.reason == "rate_limited"


@pytest.mark.parametrize("name", recorded("models-*.json"))
async def test_recorded_model_listings_become_model_infos(replay: Replay, name: str) -> None:
    replay.serve(name)
    entries = json.loads(raw(name))["data"]
    models = await replay.make().list_models("text")
    assert [model.id for model in models] == [entry["id"] for entry in entries]
    for model, entry in zip(models, entries, strict=True):
        arch = entry["architecture"]
        assert model.name == entry["name"] and model.context_length == entry["context_length"]
        assert model.input_modalities == tuple(arch["input_modalities"])
        assert model.output_modalities == tuple(arch["output_modalities"])
        assert model.pricing == {k: v for k, v in entry["pricing"].items() if isinstance(v, str)}
    assert replay.requests[0].startswith(b"GET /api/v1/models?output_modalities=text ")


async def test_a_malformed_model_entry_is_skipped_not_fatal(replay: Replay) -> None:
    replay.serve("models-llm-openrouter-2026-08-filtered.json")
    listing = json.loads(replay.body)
    listing["data"] += [
        {"name": "no id"},
        "junk",
        {"id": "x/y", "architecture": None, "pricing": None},
    ]
    replay.body = json.dumps(listing).encode()
    models = await replay.make().list_models("text")
    assert len(models) == len(listing["data"]) - 2
    assert models[-1].input_modalities == () and models[-1].pricing is None
    assert models[-1].context_length is None and models[-1].name == "x/y"


async def test_refused_connections_are_retried(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    async with make_http_client(connect_s=2) as client:
        gw = OpenRouterGateway(client, f"http://127.0.0.1:{port}/api/v1", KEY, retry_base_s=0.01)
        _, error = await run(gw.complete_text(ASK))
    assert isinstance(error, Unavailable) and error.reason == "provider_down"
    ours = [r.getMessage() for r in caplog.records if r.name == "allucanget.openrouter"]
    line = "openrouter POST /chat/completions status=ConnectError attempt={} duration_ms"
    assert [m.rsplit("=", 1)[0] for m in ours] == [line.format(n) for n in (1, 2, 3)]
