"""Simulator test kit: the session-wide loopback server (`simulator` fixture), a handle on it
that sends requests and drives its `/__sim` controls, and checks of the media it makes. The
request cases and the readers of its answers are in `tests/simulator_cases.py`."""

from __future__ import annotations

import base64
import contextlib
import socket
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest

from simulator.config import SimulatorConfig
from simulator.mp4 import parse_boxes
from simulator.png import read_png
from simulator.server import running_simulator
from tests.simulator_cases import CHAT, DEFAULTS

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
