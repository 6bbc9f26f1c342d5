"""Every OpenRouter call has a total deadline: a server trickling keep-alive bytes (each of
which resets a per-read timeout) is cut off and answered upstream_timeout."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from adapters.openrouter.video import OpenRouterVideoGateway
from application.errors import UpstreamTimeoutError
from application.ports.generation import ImageRequest, TextDelta, TextRequest
from tests import simulator_fixtures as fx
from tests.simulator_fixtures import SimulatorHandle as Sim

simulator_session, simulator = fx.simulator_session, fx.simulator
READ_S = 1.0  # the per-read timeout: far longer than the trickle's 50 ms between bytes
TRICKLE = "Tell me a story [[sim:fault=trickle:50]]"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    client = make_http_client(connect_s=2, read_s=READ_S, write_s=2, pool_s=2)
    yield client
    await client.aclose()


def gateway(http: httpx.AsyncClient, sim: Sim, **options: Any) -> OpenRouterGateway:
    return OpenRouterGateway(http, sim.base_url, sim.api_key, retry_base_s=0.01, **options)


async def test_a_trickled_answer_is_cut_off_at_the_deadline(
    http: httpx.AsyncClient, simulator: Sim
) -> None:
    slow = gateway(http, simulator, deadline_s=2 * READ_S)
    with pytest.raises(UpstreamTimeoutError) as caught:
        await slow.complete_text(TextRequest("openai/gpt-4o", TRICKLE, 40))
    assert "within 2 s" in caught.value.detail
    with pytest.raises(UpstreamTimeoutError):
        await slow.generate_image(ImageRequest("google/gemini-2.5-flash-image", TRICKLE))
    assert len(simulator.requests("/chat/completions")) == 2  # a timeout is not retried


async def test_a_trickled_stream_is_cut_off_at_its_own_total_deadline(
    http: httpx.AsyncClient, simulator: Sim
) -> None:
    slow = gateway(http, simulator, stream_idle_timeout_s=READ_S, stream_deadline_s=2 * READ_S)
    received: list[str] = []
    with pytest.raises(UpstreamTimeoutError) as caught:
        async for item in slow.stream_text(TextRequest("openai/gpt-4o", TRICKLE, 40)):
            if isinstance(item, TextDelta):
                received.append(item.text)
    assert received  # the first chunks came; the keep-alives after them never end the stream
    assert caught.value.detail == "OpenRouter did not finish the answer in time."


async def test_a_trickled_video_download_is_cut_off_and_leaves_no_file(tmp_path: Path) -> None:
    async def forever() -> AsyncIterator[bytes]:
        yield b"\x00\x00\x00\x18ftypisom"
        while True:
            await asyncio.sleep(0.01)
            yield b"\x00" * 16

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=forever())

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        video = OpenRouterVideoGateway(
            client,
            "https://openrouter.test/api/v1",
            "sk-or-v1-t",
            spool_dir=tmp_path,
            download_deadline_s=0.5,
        )
        with pytest.raises(UpstreamTimeoutError):
            await video.download_video("abc", ())
    assert list(tmp_path.iterdir()) == []
