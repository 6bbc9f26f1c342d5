"""A streamed chat completion in OpenAI's framing: `data: <chat.completion.chunk>` events,
an optional usage chunk, then `data: [DONE]`. A failure after the first token is one
`data: {"error": {...}}` event (OpenAI's SDKs raise it), with no `[DONE]` after it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from application.ports.generation import TextDelta
from domain.errors import Error
from domain.generations import Generation
from entrypoints.api.openai_errors import openai_error
from entrypoints.api.problems import PROBLEMS
from entrypoints.api.schemas.v1 import UsageV1Out, completion_id

DONE = b"data: [DONE]\n\n"
Events = AsyncIterator[TextDelta | Generation]


def data(payload: object) -> bytes:
    return f"data: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


def stream_documentation() -> dict[str, Any]:
    return {
        "text/event-stream": {
            "schema": {
                "type": "string",
                "description": "`data: <chat.completion.chunk JSON>` events, then `data: [DONE]`",
            }
        }
    }


async def started_chunks(
    events: Events, generation: Generation, *, include_usage: bool
) -> AsyncIterator[bytes]:
    """Wait for the first event before answering, so a failure before the first token is
    an ordinary error response with its own status (401, 402, 429, 5xx)."""
    first = await anext(events)
    return _chunks(first, events, generation, include_usage)


async def _chunks(
    first: TextDelta | Generation, rest: Events, generation: Generation, include_usage: bool
) -> AsyncIterator[bytes]:
    base: dict[str, Any] = {
        "id": completion_id(generation),
        "object": "chat.completion.chunk",
        "created": int(generation.created_at.timestamp()),
        "model": generation.model,
    }
    if include_usage:
        base["usage"] = None  # every chunk but the last carries `usage: null`

    def chunk(delta: dict[str, str], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return data({**base, "choices": [choice]})

    yield chunk({"role": "assistant", "content": ""})
    try:
        item = first
        while True:
            if isinstance(item, TextDelta):
                yield chunk({"content": item.text})
            else:
                base["model"] = item.served_model or item.model
                yield chunk({}, item.finish_reason or "stop")
                if include_usage:
                    yield data({**base, "choices": [], "usage": UsageV1Out.of(item).model_dump()})
                yield DONE
                return
            item = await anext(rest)
    except StopAsyncIteration:
        return
    except Error as error:
        status = (
            getattr(error, "status", None)
            or PROBLEMS.get(error.code, PROBLEMS["internal_error"]).status
        )
        yield data(openai_error(error.code, error.detail, status))
