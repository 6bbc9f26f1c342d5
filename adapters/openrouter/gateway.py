"""OpenRouterGateway: the AIGateway port over OpenRouter's HTTP API and one httpx client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from typing import Any, TypeVar, Unpack

import httpx

from adapters.openrouter.client import make_http_client
from adapters.openrouter.connection import ConnectionOptions, OpenRouterConnection
from adapters.openrouter.errors import bad_response
from adapters.openrouter.models import model_infos
from adapters.openrouter.payloads import (
    decode_json,
    first_choice,
    image_body,
    image_result,
    text_body,
    text_result,
)
from adapters.openrouter.sse import SSEDecoder, StreamState
from adapters.openrouter.upstream import deadline, next_chunk, off_loop, read_body
from application.ports.generation import (
    AIGateway,
    ImageRequest,
    ImageResult,
    ModelInfo,
    TextDelta,
    TextRequest,
    TextResult,
)

__all__ = ["OpenRouterGateway", "make_http_client"]
T = TypeVar("T")
CHAT = "/chat/completions"
# Generous: a 4K image comes back base64-encoded inside JSON (openrouter.md §3a).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


PROBE_TTL_S, PROBE_TIMEOUT_S = 15.0, 3.0


class OpenRouterGateway(OpenRouterConnection, AIGateway):
    """Every failure leaves as one of the Upstream* errors or ProviderNotConfiguredError."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        api_key: str,
        *,
        stream_idle_timeout_s: float = 60,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline_s: float = 300,
        stream_deadline_s: float = 900,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(client, base_url, api_key, **options)
        self._idle_s = stream_idle_timeout_s
        self._deadline_s, self._stream_deadline_s = deadline_s, stream_deadline_s
        self._max_bytes = max_response_bytes
        self._probe: tuple[float, bool] = (-PROBE_TTL_S, False)
        self._retrying = self._upstream(self._retry)

    async def complete_text(self, request: TextRequest) -> TextResult:
        return await self._call(
            "POST",
            CHAT,
            lambda raw: text_result(decode_json(raw), request.model, self._secret),
            body=text_body(request),
        )

    async def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        """Each content delta is yielded as soon as its event is complete. Retries happen only
        before the 200 arrives, so never after anything was yielded. The whole stream has a
        total deadline besides the idle timeout, which any byte (a keep-alive too) resets."""
        ends_at = time.monotonic() + self._stream_deadline_s
        upstream = self._configured(self._retrying)
        async with deadline(self._stream_deadline_s):
            response = await upstream.open("POST", CHAT, body=text_body(request, stream=True))
            if response.headers.get("content-type", "").startswith("application/json"):
                # a JSON error (or anything else) where events were expected (openrouter.md §6)
                raw = await read_body(response, self._max_bytes)
                await off_loop(raw, lambda raw: first_choice(decode_json(raw), self._secret))
                raise bad_response("OpenRouter answered a stream request without a stream.")
        state = StreamState(request.model, self._secret)
        async with aclosing(self._events(response, ends_at)) as events:
            async for data in events:
                text = state.take(data)
                if text:
                    yield TextDelta(text)
                if state.done:
                    break
        yield state.result()

    async def generate_image(self, request: ImageRequest) -> ImageResult:
        return await self._call(
            "POST",
            CHAT,
            lambda raw: image_result(decode_json(raw), request.model, self._secret),
            body=image_body(request),
        )

    async def list_models(self, output: str) -> list[ModelInfo]:
        """The server filters by output modality; its default is `text` only (§5)."""
        params = {"output_modalities": output}
        return await self._call(
            "GET", "/models", lambda raw: model_infos(decode_json(raw)), params=params
        )

    async def reachable(self) -> bool:
        """For /readyz: one quick `GET /key` (3 s, no retries), remembered for 15 s."""
        if not self.configured:
            return False
        checked_at, answer = self._probe
        if time.monotonic() - checked_at < PROBE_TTL_S:
            return answer
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_S):  # in total, however slow the bytes
                response = await self._client.get(
                    f"{self._base_url}/key", headers=self._auth, timeout=PROBE_TIMEOUT_S
                )
            answer = response.status_code == 200
        except (httpx.HTTPError, TimeoutError):
            answer = False
        self._probe = (time.monotonic(), answer)
        return answer

    async def _call(
        self,
        method: str,
        path: str,
        parse: Callable[[bytes], T],
        *,
        body: Any = None,
        params: dict[str, str] | None = None,
    ) -> T:
        """One call within the deadline; a large answer is parsed off the event loop."""
        upstream = self._configured(self._retrying)
        async with deadline(self._deadline_s):
            response = await upstream.open(method, path, body=body, params=params)
            raw = await read_body(response, self._max_bytes)
        return await off_loop(raw, parse)

    async def _events(self, response: httpx.Response, ends_at: float) -> AsyncGenerator[str, None]:
        decoder, reader = SSEDecoder(self._max_bytes), response.aiter_bytes()
        try:
            while (chunk := await next_chunk(reader, self._idle_s, ends_at)) is not None:
                for data in decoder.feed(chunk):
                    yield data
        finally:
            await response.aclose()
