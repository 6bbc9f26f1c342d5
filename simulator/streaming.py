"""SSE replies of `stream:true` chat completions, including the mid-stream faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from starlette.responses import StreamingResponse

from simulator.broken import abort, trickled
from simulator.common import Call, dumps
from simulator.faults import Fault
from simulator.text import Usage

if TYPE_CHECKING:
    from simulator.chat import Completion

COMMENT = b": OPENROUTER PROCESSING\n\n"
DONE = b"data: [DONE]\n\n"
ERROR_FAULTS = frozenset(
    {"midstream_error", "midstream_error_string", "midstream_error_length", "choice_error"}
)
_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def event(payload: dict[str, Any]) -> bytes:
    return b"data: " + dumps(payload) + b"\n\n"


class ChunkMaker:
    """Chunks in the wire shape of chat-stream-llm-openrouter-gpt4o.sse."""

    def __init__(self, done: Completion) -> None:
        self.done = done
        self.base = {
            "id": done.gen_id,
            "provider": done.provider,
            "model": done.model,
            "object": "chat.completion.chunk",
            "created": done.created,
        }

    def chunk(
        self, delta: dict[str, Any], finish: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        choice = {
            "index": 0,
            "delta": {"role": "assistant", **delta},
            "finish_reason": finish,
            "native_finish_reason": finish,
            "logprobs": None,
        }
        return {**self.base, **extra, "choices": [choice], "system_fingerprint": "fp_simulator"}

    def usage(self, style: str, completion_tokens: int | None = None) -> dict[str, Any]:
        usage = self.done.usage
        if completion_tokens is not None:
            usage = self._partial(completion_tokens)
        if style == "docs":
            return {**self.base, "choices": [], "usage": usage.as_dict()}
        finish = self.done.finish if style == "2026" else None
        return self.chunk({"content": ""}, finish, usage=usage.as_dict())

    def _partial(self, completion_tokens: int) -> Usage:
        full = self.done.usage
        ratio = completion_tokens / max(full.completion_tokens, 1)
        return Usage(
            full.prompt_tokens,
            completion_tokens,
            0,
            full.prompt_cost,
            round(full.completion_cost * ratio, 10),
        )


def _error_events(maker: ChunkMaker, fault: str, sent: int) -> Iterator[bytes]:
    """The mid-stream error variants of openrouter.md section 2 and the recording."""
    provider = maker.done.provider
    if fault == "midstream_error_length":  # chat-stream-pydanticai-midstream-error.sse
        yield event(maker.chunk({"content": ""}, "length"))
        yield event(maker.chunk({"content": ""}, "length"))
        error = {"code": 400, "message": "Token limit reached"}
        yield event({**maker.usage("2025", sent), "error": error})
        yield DONE
        return
    if fault == "midstream_error_string":  # string code, and no [DONE] afterwards
        error = {"code": "server_error", "message": "Provider disconnected unexpectedly"}
        yield event(maker.chunk({"content": ""}, "error", error=error))
        return
    error = {
        "code": 502,
        "message": "Provider returned error",
        "metadata": {"provider_name": provider, "raw": "upstream connection reset"},
    }
    payload = maker.chunk({"content": ""}, "error", error=error)
    payload["usage"] = maker.usage("2025", sent)["usage"]
    yield event(payload)
    yield DONE


def _split(data: bytes) -> Iterator[bytes]:
    """One SSE event in two writes, so clients must reassemble across reads."""
    cut = max(1, len(data) // 2)
    yield data[:cut]
    yield data[cut:]


class StreamRun:
    """Writes one completion as SSE, honouring delays and the selected stream fault."""

    def __init__(self, call: Call, done: Completion) -> None:
        self.call, self.done, self.maker = call, done, ChunkMaker(done)
        self.config, self.fault = call.config, call.fault_name
        self.delay = call.scenario.chunk_delay_ms / 1000

    async def _pause(self) -> None:
        await asyncio.sleep(self.delay)

    async def _fault_at(self, fault: Fault | None, index: int) -> Iterator[bytes] | None:
        """Bytes that end the stream at content chunk `index`, or None to go on."""
        config = self.config
        if fault is None:
            return None
        if fault.name == "stall_stream" and index == config.stall_after_chunks:
            await asyncio.sleep(fault.arg_float(0, config.stall_seconds))
        elif fault.name == "drop_mid_stream" and index == config.drop_after_chunks:
            abort(self.call.request)
            await asyncio.sleep(0.05)  # let uvicorn see the closed connection
            return iter(())
        elif fault.name in ERROR_FAULTS and index == min(
            config.error_after_chunks, len(self.done.words)
        ):
            return _error_events(self.maker, fault.name, index)
        return None

    async def _trickle_at(self, index: int) -> AsyncIterator[bytes]:
        """Keep-alive comments for a long while at the `trickle` fault's chunk."""
        fault = self.call.fault
        if fault and fault.name == "trickle" and index == self.config.stall_after_chunks:
            async for comment in trickled(COMMENT, fault, self.config):
                yield comment

    async def body(self) -> AsyncIterator[bytes]:
        for _ in range(self.config.keepalive_comments):
            yield COMMENT
        await self.call.latency()
        if self.fault == "empty_choices":
            yield event(self.maker.usage("docs"))
            yield DONE
            return
        yield event(self.maker.chunk({"content": ""}))
        for index, word in enumerate([*self.done.words, None]):
            async for comment in self._trickle_at(index):
                yield comment
            ending = await self._fault_at(self.call.fault, index)
            if ending is not None:
                for data in ending:
                    yield data
                return
            if word is None:
                break
            if index and index % self.config.keepalive_every_chunks == 0:
                yield COMMENT
            for part in _split(event(self.maker.chunk({"content": (" " if index else "") + word}))):
                yield part
            await self._pause()
        yield event(
            self.maker.chunk(
                {"content": "", "images": self.done.images}
                if self.done.images
                else {"content": ""},
                self.done.finish,
            )
        )
        yield event(self.maker.usage(self.call.scenario.usage_chunk))
        yield DONE


def stream_completion(call: Call, done: Completion, headers: dict[str, str]) -> StreamingResponse:
    return StreamingResponse(
        StreamRun(call, done).body(),
        200,
        {**_SSE_HEADERS, **headers},
        media_type="text/event-stream",
    )
