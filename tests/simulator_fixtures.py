"""Simulator test kit: session-wide loopback server (`simulator` fixture), cases, parsers."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from simulator.config import SimulatorConfig
from simulator.mp4 import parse_boxes
from simulator.png import read_png
from simulator.server import running_simulator

RECORDINGS = Path(__file__).resolve().parents[1].parent / "shared" / "openrouter-recordings"
# Models the recordings were made with (SOURCES.md), besides the 2026 /models listing.
RECORDED_MODELS = """
anthropic/claude-haiku-4.5 anthropic/claude-sonnet-4.5 openai/gpt-5-mini openai/gpt-5.2
deepseek/deepseek-chat mistralai/mistral-small minimax/minimax-m2:free liquid/lfm-2.5-2.6b:free
google/gemini-2.0-flash-exp:free google/gemma-4-31b-it:free x-ai/grok-imagine-video
google/gemini-2.5-flash-image-preview google/gemini-3.1-flash-lite-image
""".split()  # noqa: SIM905 - a word list reads better than 13 one-per-line strings
CHAT, JOB = "/chat/completions", "/videos/gen-vid-1790983457-AAAAAAAAAAAAAAAAAAAA"
PROMPT = [{"role": "user", "content": "A" * 300}]
FIRST = {"type": "image_url", "image_url": {"url": "data:,"}, "frame_type": "first_frame"}
LAST = {**FIRST, "frame_type": "last_frame"}
# Request bodies that the cases below are merged onto; the handle's images() and video() too.
DEFAULTS: dict[str, dict[str, Any]] = {
    CHAT: {"model": "openai/gpt-4o", "max_tokens": 8192, "messages": PROMPT},
    "/videos": {"model": "x-ai/grok-imagine-video", "prompt": "p", "duration": 4},
    "/images": {"model": "google/gemini-3.1-flash-lite-image", "prompt": "a cat"},
}


def image_input(url: str) -> dict[str, Any]:
    parts = [{"type": "text", "text": "What?"}, {"type": "image_url", "image_url": {"url": url}}]
    return {"messages": [{"role": "user", "content": parts}]}


# What the simulator answers (gateway tests can replay them): (path, POST body or None for GET,
# Authorization ("": the key; None: none), X-Sim-Fault, status, check). Checks: "=name" body equals
# error-name.json, "<name" keeps its key paths, "~type" is not JSON, "!kind" error_type prefix,
# "@a.0.b=v" str(body["a"][0]["b"]) == "v".
REQUEST_CASES: list[tuple[str, dict[str, Any] | None, str | None, str, int, str]] = [
    (CHAT, {}, None, "", 401, "=401-rubyllm-2025-no-auth-credentials"),
    (CHAT, {}, "Basic abc", "", 401, "=401-rubyllm-missing-auth-header"),
    (CHAT, {}, "Bearer sk-or-v1-x", "", 401, "=401-ortoolbox-user-not-found"),
    (JOB, None, "", "", 404, "=404-ortoolbox-video-job"),
    (f"{JOB}/content", None, None, "", 401, "=401-ortoolbox-no-cookie-auth"),
    ("/videos", {"duration": 99}, "", "", 400, "=400-ortoolbox-video-duration"),
    ("/videos", {"resolution": "4K"}, "", "", 400, "=400-ortoolbox-video-resolution"),
    ("/videos", {"prompt": None}, "", "", 400, "=400-ortoolbox-video-no-prompt"),
    ("/videos", {"previous_job_id": "j"}, "", "", 400, "=400-ortoolbox-video-previous-job-id"),
    ("/videos", {"model": "no/video"}, "", "", 400, "<400-ortoolbox-invalid-model"),
    ("/videos", {"aspect_ratio": "21:9"}, "", "", 400, ""),
    ("/videos", {"size": "1280x720"}, "", "", 400, ""),
    ("/videos", {"frame_images": [LAST]}, "", "", 400, ""),
    ("/videos", {"model": "openai/sora-2-pro", "frame_images": [FIRST]}, "", "", 400, ""),
    (CHAT, {"model": "nonexistent/not-a-model:free"}, "", "", 400, "<400-ortoolbox-invalid-model"),
    (CHAT, {"messages": []}, "", "", 400, ""),
    (CHAT, {"modalities": ["image", "text"]}, "", "", 404, ""),
    (CHAT, image_input("https://x.test/sim-bad-image.png"), "", "", 400, "!image_download"),
    (CHAT, image_input("http://x.test/a.png"), "", "", 400, "!invalid_image"),
    (CHAT, image_input("https://x.test/a.png"), "", "", 200, ""),
    (CHAT, image_input("https://x.test/a.png"), "", "image_download_failed", 400, "!image_down"),
    (CHAT, image_input("data:image/png;base64,iVBOR"), "", "", 200, ""),
    ("/images", {"n": 11}, "", "", 400, ""),
    ("/images", {"size": "1024x1024", "aspect_ratio": "16:9"}, "", "", 400, ""),
    ("/images", {"model": "openai/gpt-4o"}, "", "", 400, ""),
    ("/credits", None, "", "", 403, ""),
    ("/key", None, None, "", 401, ""),
    ("/videos", {}, "", "429", 429, ""),
    ("/images", {}, "", "html_502", 502, "~text/html"),
    ("/models", None, "", "503", 503, ""),
    (JOB, None, "", "500", 500, ""),
    (CHAT, {}, "", "401", 401, "<401-ortoolbox-user-not-found"),
    (CHAT, {}, "", "402", 402, "<402-unidentified-prod-capture-credits"),
    (CHAT, {}, "", "402_balance", 402, ""),
    (CHAT, {}, "", "402_image", 402, "<402-ortoolbox-image-balance"),
    (CHAT, {}, "", "402_in_flight", 402, ""),
    (CHAT, {}, "", "403", 403, ""),
    (CHAT, {}, "", "408", 408, ""),
    (CHAT, {}, "", "429", 429, ""),
    (CHAT, {}, "", "429_upstream", 429, "<429-ortoolbox-upstream-retry-after"),
    (CHAT, {}, "", "429_no_retry_after", 429, "<429-ortoolbox-upstream"),
    (CHAT, {}, "", "400_context", 400, "<400-rubyllm-context-length"),
    (CHAT, {}, "", "500", 500, ""),
    (CHAT, {}, "", "502", 502, "<429-pydanticai-gemini-free-upstream"),
    (CHAT, {}, "", "503", 503, ""),
    (CHAT, {}, "", "524", 524, ""),
    (CHAT, {}, "", "529", 529, ""),
    (CHAT, {"model": "no/x"}, "", "", 400, "@error.availability.code=model_not_found"),
    (CHAT, {"model": "x/y", "models": ["openai/gpt-4o"]}, "", "", 200, "@model=openai/gpt-4o"),
    (CHAT, {"models": ["openai/gpt-4o-mini"]}, "", "fallback", 200, "@model=openai/gpt-4o-mini"),
    (CHAT, {}, "", "403", 403, "@error.metadata.model_slug=openai/gpt-4o"),
    (CHAT, {}, "", "error_200", 200, "@error.code=502"),
    (CHAT, {}, "", "empty_choices", 200, "@choices=[]"),
    (CHAT, {}, "", "empty_content", 200, "@choices.0.message.content="),
    (CHAT, {}, "", "content_filter", 200, "@choices.0.finish_reason=content_filter"),
    (CHAT, {}, "", "choice_error", 200, "@choices.0.error.code=502"),
    (CHAT, {}, "", "malformed_json", 200, "~application/json"),
    (CHAT, {}, "", "empty_200", 200, "~application/json"),
    (CHAT, {}, "", "html_502", 502, "~text/html"),
    (CHAT, {}, "", "html_200", 200, "~text/html"),
    (CHAT, {}, "", "text_plain", 502, "~text/plain"),
]
RETRY_AFTER_FAULTS = frozenset({"402_in_flight", "429", "429_upstream", "503"})
# Short delays so that timeout tests stay fast; faults can still override them per request.
TEST_CONFIG = SimulatorConfig(slow_headers_ms=600, stall_seconds=2.0)


@dataclass(frozen=True, slots=True)
class SimulatorHandle:
    """Where the simulator listens, requests with its key, and its `/__sim` control endpoints."""

    base_url: str
    api_key: str
    client: httpx.Client

    @property
    def origin(self) -> str:
        return self.base_url.removesuffix("/api/v1")

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.request(method, f"{self.origin}/__sim{path}", json=body)
        response.raise_for_status()
        return response.json()

    def set_scenario(self, **fields: Any) -> dict[str, Any]:
        """E.g. `set_scenario(fault="429", endpoints=["/chat/completions"], latency_ms=50)`."""
        return cast(dict[str, Any], self._control("POST", "/scenario", fields))

    def reset(self) -> None:
        self._control("POST", "/reset")

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        """The received API requests, oldest first; `path` keeps those ending with it."""
        suffix = f"?path={path}" if path else ""
        return cast(list[dict[str, Any]], self._control("GET", f"/requests{suffix}")["data"])

    def get(
        self, path: str, *, auth: bool = True, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """GET an API path (`/models`) or an absolute URL, with the key unless auth=False."""
        url = path if path.startswith("http") else self.base_url + path
        return self.client.get(url, headers={**(self.auth if auth else {}), **(headers or {})})

    def post(
        self, path: str, body: Any, headers: dict[str, str] | None = None, timeout: float = 10
    ) -> httpx.Response:
        headers = {**self.auth, **(headers or {})}
        return self.client.post(self.base_url + path, json=body, headers=headers, timeout=timeout)

    def chat(
        self, content: str = "Hi", fault: str = "", timeout: float = 10, **body: Any
    ) -> httpx.Response:
        """POST /chat/completions (gpt-4o, max_tokens 64), selecting `fault` by header."""
        payload = {"model": "openai/gpt-4o", "max_tokens": 64, **body}
        payload.setdefault("messages", [{"role": "user", "content": content}])
        headers = {"X-Sim-Fault": fault} if fault else {}
        return self.post("/chat/completions", payload, headers, timeout)

    def stream(self, content: str, **body: Any) -> tuple[list[bytes], str]:
        """A `stream:true` chat completion: (raw pieces as read, their text)."""
        payload = {"model": "openai/gpt-4o", "stream": True, "max_tokens": 64, **body}
        payload["messages"] = [{"role": "user", "content": content}]
        url = f"{self.base_url}/chat/completions"
        with self.client.stream("POST", url, json=payload, headers=self.auth) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            pieces = list(response.iter_raw())
        return pieces, b"".join(pieces).decode()

    def failing_stream(self, fault: str, error: type[Exception]) -> list[str]:
        """Stream with `fault`, expecting `error` (read timeout 0.5 s); the lines before it."""
        lines: list[str] = []
        body = {"stream": True, "messages": [{"role": "user", "content": f"[[sim:fault={fault}]]"}]}
        url, timeout = self.base_url + CHAT, httpx.Timeout(5, read=0.5)
        with (
            pytest.raises(error),
            self.client.stream("POST", url, json=body, headers=self.auth, timeout=timeout) as reply,
        ):
            lines.extend(reply.iter_lines())
        return lines

    def send(self, case: tuple[Any, ...]) -> httpx.Response:
        """Send one of REQUEST_CASES (its body merged onto DEFAULTS)."""
        path, body, auth, fault, _status, _check = case
        headers = {"X-Sim-Fault": fault} if fault else {}
        if auth is not None:
            headers["Authorization"] = auth or f"Bearer {self.api_key}"
        payload = None if body is None else {**DEFAULTS.get(path, {}), **body}
        method = "GET" if body is None else "POST"
        return self.client.request(method, self.base_url + path, json=payload, headers=headers)

    def images(self, **body: Any) -> httpx.Response:
        return self.post("/images", {**DEFAULTS["/images"], **body})

    def video(self, **body: Any) -> httpx.Response:
        return self.post("/videos", {**DEFAULTS["/videos"], **body})

    def poll(self, polling_url: str, times: int) -> list[dict[str, Any]]:
        """`times` polls of a video job (a relative `polling_url` is resolved)."""
        url = polling_url if polling_url.startswith("http") else self.origin + polling_url
        return [self.get(url).json() for _ in range(times)]


def sse(text: str) -> tuple[list[str], list[Any]]:
    """(comment lines, data payloads) of an SSE body; payloads are parsed JSON or "[DONE]"."""
    lines = text.split("\n")
    data = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
    comments = [line for line in lines if line.startswith(":")]
    return comments, [payload if payload == "[DONE]" else json.loads(payload) for payload in data]


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value, list items merged: {"a", "a.b", "c[].d", …}."""
    if isinstance(value, dict):
        paths: set[str] = set()
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {path} | key_paths(item, path)
        return paths
    if isinstance(value, list):
        return set().union(*(key_paths(item, prefix + "[]") for item in value))
    return set()


def recording(name: str, *, raw: bool = False) -> Any:
    """A recorded body: parsed JSON (leading whitespace allowed), or text if SSE or raw."""
    if not RECORDINGS.is_dir():
        pytest.skip(f"recordings folder missing: {RECORDINGS}")
    text = (RECORDINGS / name).read_text(encoding="utf-8")
    return text if raw or name.endswith(".sse") else json.loads(text)


def dig(value: Any, path: str) -> Any:
    """`dig(body, "choices.0.message")` is body["choices"][0]["message"]."""
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    return value


def png_dimensions(encoded: str) -> tuple[int, int]:
    """(width, height) of a base64 PNG or PNG data URL, checked by the simulator's reader."""
    return read_png(base64.b64decode(encoded.removeprefix("data:image/png;base64,")))


def assert_playable_mp4(data: bytes) -> None:
    """`ftyp isom`, a video track, and one sample that is a length-prefixed H.264 IDR slice."""
    boxes, stbl = parse_boxes(data), "moov/trak/mdia/minf/stbl/"
    assert data.startswith(bytes.fromhex("000000206674797069736f6d"))
    assert {"moov/mvhd", "moov/trak/tkhd", stbl + "stsd", "mdat"} <= set(boxes)
    assert boxes["moov/trak/mdia/hdlr"][8:12] == b"vide"
    offset = struct.unpack(">I", boxes[stbl + "stco"][8:12])[0]
    size = struct.unpack(">I", boxes[stbl + "stsz"][12:16])[0]
    assert struct.unpack(">I", data[offset : offset + 4])[0] + 4 == size
    assert data[offset + 4] & 0x1F == 5  # NAL unit type 5: an IDR slice


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, tries: int = 200) -> httpx.Response:
    """GET `url` until something answers (a server starting up)."""
    for _ in range(tries):
        with contextlib.suppress(httpx.TransportError):
            return httpx.get(url, timeout=1)
        time.sleep(0.05)
    raise TimeoutError(url)


@pytest.fixture(scope="session")
def simulator_session() -> Iterator[SimulatorHandle]:
    with running_simulator(TEST_CONFIG) as base_url, httpx.Client(timeout=10) as client:
        yield SimulatorHandle(base_url, TEST_CONFIG.api_key, client)


@pytest.fixture
def simulator(simulator_session: SimulatorHandle) -> Iterator[SimulatorHandle]:
    simulator_session.reset()
    yield simulator_session
    simulator_session.reset()
