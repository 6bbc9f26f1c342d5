"""The generation, history and media routes of the API stand-in (see conftest.FakeApi)."""

from __future__ import annotations

import itertools
import json
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Answer = tuple[int, Any, dict[str, str]]
RANGE = re.compile(r"bytes=([0-9]+)-([0-9]*)")
GATE_TIMEOUT_S = 5.0
USAGE = {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42, "cost": 0.00042}
TEXT_MODELS = [
    {
        "id": "openai/gpt-4o-mini",
        "name": "OpenAI: GPT-4o-mini",
        "input_modalities": ["text"],
        "output_modalities": ["text"],
        "context_length": 128000,
        "pricing": {"prompt": "0.00000015", "completion": "0.0000006"},
    },
    {
        "id": "minimax/minimax-m2:free",
        "name": "MiniMax: M2 (free)",
        "input_modalities": ["text"],
        "output_modalities": ["text"],
        "pricing": {"prompt": "0", "completion": "0"},
    },
]
IMAGE_MODELS = [
    {
        "id": "google/gemini-2.5-flash-image",
        "name": "Google: Gemini 2.5 Flash Image",
        "input_modalities": ["text", "image"],
        "output_modalities": ["text", "image"],
    }
]


def png(width: int, height: int) -> bytes:
    """A valid grey RGB PNG of the given size."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * 3 * width for _ in range(height))
    idat = zlib.compress(rows)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def sse(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


@dataclass
class Streamed:
    """An event-stream body written chunk by chunk. With a `gate`, it waits after the first
    chunk until the test opens the gate; `waited_out` says the gate never opened in time."""

    chunks: list[bytes]
    gate: threading.Event | None = None
    waited_out: bool = False
    finished: threading.Event = field(default_factory=threading.Event)

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            yield chunk
            if index == 0 and self.gate is not None:
                self.waited_out = not self.gate.wait(GATE_TIMEOUT_S)
        self.finished.set()


@dataclass
class FakeGenerations:
    """Models, generations (newest first) and media files, in memory."""

    models: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"text": TEXT_MODELS, "image": IMAGE_MODELS, "video": []}
    )
    items: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    answer: str = "Hello **world**, this is the answer."
    stream: Streamed | None = None
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    ranges: list[tuple[str | None, str | None]] = field(default_factory=list)  # Range, If-Range

    def add(self, kind: str = "text", **values: Any) -> dict[str, Any]:
        number = next(self.ids)
        item = {
            "id": f"g{number}",
            "kind": kind,
            "model": "openai/gpt-4o-mini",
            "served_model": "openai/gpt-4o-mini-2024-07-18",
            "provider": "OpenAI",
            "prompt": f"Prompt number {number}",
            "status": "succeeded",
            "text": self.answer if kind == "text" else None,
            "error_code": None,
            "media": [],
            "usage": USAGE,
            "duration_ms": 1234,
            "created_at": f"2025-01-01T10:{number % 60:02d}:00Z",
            "finished_at": f"2025-01-01T10:{number % 60:02d}:01Z",
            **values,
        }
        self.items.insert(0, item)
        return item

    def add_media(self, content_type: str, data: bytes, width: int, height: int) -> dict[str, Any]:
        media_id = f"m{next(self.ids)}"
        self.media[media_id] = (content_type, data)
        return {
            "url": f"/media/{media_id}",
            "content_type": content_type,
            "width": width,
            "height": height,
        }

    def handle(
        self, method: str, path: str, query: dict[str, str], body: Any, headers: Any = None
    ) -> Answer | None:
        parts = path.strip("/").split("/")
        if (method, path) == ("GET", "/models"):
            return 200, {"data": self.models.get(query.get("output", "text"), [])}, {}
        if method == "POST" and path.startswith("/generate/"):
            self.bodies.append(body)
            return self._generate(path, body)
        if (method, path) == ("GET", "/generations"):
            return self._page(query)
        if parts[0] == "generations" and len(parts) == 2:
            return self._one(method, parts[1])
        if (method, parts[0]) == ("GET", "media") and len(parts) == 2:
            found = self.media.get(parts[1])
            return self._media(*found, headers or {}) if found else None
        return None

    def _media(self, content_type: str, data: bytes, headers: Any) -> Answer:
        """Like the API: one byte range answered 206, a range past the end 416."""
        self.ranges.append((headers.get("Range"), headers.get("If-Range")))
        plain = {"Content-Type": content_type, "Accept-Ranges": "bytes"}
        wanted = RANGE.fullmatch(headers.get("Range") or "")
        if wanted is None:
            return 200, data, plain
        start, size = int(wanted.group(1)), len(data)
        if start >= size:
            body = {"status": 416, "code": "range_not_satisfiable"}
            return 416, body, {"Content-Range": f"bytes */{size}"}
        end = min(int(wanted.group(2) or size - 1), size - 1)
        part = {**plain, "Content-Range": f"bytes {start}-{end}/{size}"}
        return 206, data[start : end + 1], part

    def _generate(self, path: str, body: dict[str, Any]) -> Answer | None:
        if path == "/generate/image":
            image = self.add_media("image/png", png(3, 2), 3, 2)
            item = self.add("image", prompt=body["prompt"], media=[image], text="A grey picture.")
            return 200, {**_result(item), "images": [image]}, {}
        item = self.add("text", prompt=body["prompt"], model=body["model"])
        if path == "/generate/text":
            return 200, _result(item), {}
        if path == "/generate/text/stream":
            stream = self.stream or Streamed(self.text_events(_result(item)))
            self.stream = None
            return 200, stream, {"Content-Type": "text/event-stream"}
        return None

    def text_events(self, done: dict[str, Any]) -> list[bytes]:
        words = self.answer.split(" ")
        deltas = [sse("delta", {"text": (" " if i else "") + w}) for i, w in enumerate(words)]
        return [*deltas, sse("done", done)]

    def _page(self, query: dict[str, str]) -> Answer:
        kind = query.get("kind")
        chosen = [item for item in self.items if not kind or item["kind"] == kind]
        start, limit = int(query.get("cursor") or 0), int(query.get("limit") or 20)
        rest = chosen[start + limit :]
        return (
            200,
            {
                "data": chosen[start : start + limit],
                "next_cursor": str(start + limit) if rest else None,
            },
            {},
        )

    def _one(self, method: str, generation_id: str) -> Answer | None:
        item = next((i for i in self.items if i["id"] == generation_id), None)
        if item is None:
            return None
        if method == "DELETE":
            self.items.remove(item)
            return 204, None, {}
        return (200, item, {}) if method == "GET" else None


def _result(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "model": item["served_model"],
        "provider": item["provider"],
        "text": item["text"],
        "finish_reason": "stop",
        "usage": item["usage"],
        "created_at": item["created_at"],
    }
