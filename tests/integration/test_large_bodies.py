"""Large OpenRouter answers (JSON with base64 images, up to 64 MiB) are parsed off the event
loop: while one is parsed, the loop goes on serving other requests."""

from __future__ import annotations

import asyncio
import base64
import json
import threading

import httpx
import pytest

import adapters.openrouter.gateway as gateway_module
from adapters.openrouter.gateway import OpenRouterGateway
from adapters.openrouter.payloads import decode_json
from adapters.openrouter.upstream import OFF_LOOP_BYTES
from application.ports.generation import ImageRequest
from tests.fake_gateway import png_bytes

WAIT_S = 30.0  # a failsafe only: on a free loop the other side answers at once


def big_image_answer() -> bytes:
    """A chat completion carrying an 8 MiB inline PNG (its header, then padding bytes)."""
    image = png_bytes(2, 2) + b"\x00" * (8 * 1024 * 1024)
    url = "data:image/png;base64," + base64.b64encode(image).decode()
    message = {"role": "assistant", "content": "", "images": [{"image_url": {"url": url}}]}
    choice = {"message": message, "finish_reason": "stop"}
    answer = {"id": "gen-1", "model": "google/gemini-2.5-flash-image", "choices": [choice]}
    return json.dumps(answer).encode()


async def test_a_large_answer_is_parsed_while_the_loop_serves_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = big_image_answer()
    assert len(body) > OFF_LOOP_BYTES
    parsing, served_meanwhile = threading.Event(), threading.Event()

    def parse_and_watch(raw: bytes) -> dict[str, object]:
        parsing.set()
        # Were this on the loop, the loop could not run `another_request` and this would fail.
        assert served_meanwhile.wait(WAIT_S), "the event loop was blocked by the parse"
        return decode_json(raw)

    async def another_request() -> None:  # e.g. /healthz, while the parse is under way
        assert await asyncio.to_thread(parsing.wait, WAIT_S)
        served_meanwhile.set()

    monkeypatch.setattr(gateway_module, "decode_json", parse_and_watch)
    answer = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=answer) as http:
        gateway = OpenRouterGateway(http, "https://openrouter.test/api/v1", "sk-or-v1-t")
        request = ImageRequest("google/gemini-2.5-flash-image", "a fox")
        result, _ = await asyncio.gather(gateway.generate_image(request), another_request())
    assert len(result.images[0].data) > 8 * 1024 * 1024
