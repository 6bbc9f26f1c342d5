"""Server-sent events for a text stream: `delta`, then `done` or `error`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from application.ports.generation import TextDelta
from domain.errors import BudgetExceededError, Error
from domain.generations import Generation
from entrypoints.api.problems import PROBLEMS, budget_fields
from entrypoints.api.schemas.generation import TextOut

Done = TypeVar("Done")


def stream_response(done: str) -> dict[str, object]:
    """The documented 200 of a text stream: each event is a `delta`, then the last is `done`
    (carrying `done`, named here) or `error` (a problem document); `data` is JSON text."""
    return {
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "event": {"type": "string", "enum": ["delta", "done", "error"]},
                        "data": {"type": "string"},
                    },
                    "required": ["event", "data"],
                }
            }
        },
        "description": f"`delta` events, then `done` ({done}) or `error`",
    }


def event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def text_done(generation: Generation) -> object:
    """The `done` event of /generate/text/stream: the TextResponse."""
    return TextOut.of(generation).model_dump(mode="json")


async def started_stream(
    events: AsyncIterator[TextDelta | Done],
    done: Callable[[Done], object],
) -> AsyncIterator[bytes]:
    """Wait for the first event before answering, so a failure before the first token
    (no key, rate limited, refused) is an ordinary problem response with its own status.
    `done` renders the last event, what the stream ended with."""
    first = await anext(events)
    return sse_events(_prepend(first, events), done)


async def _prepend(
    first: TextDelta | Done, rest: AsyncIterator[TextDelta | Done]
) -> AsyncIterator[TextDelta | Done]:
    yield first
    async for item in rest:
        yield item


async def sse_events(
    events: AsyncIterator[TextDelta | Done], done: Callable[[Done], object]
) -> AsyncIterator[bytes]:
    """Each delta is flushed as its own chunk: nothing is buffered between model and client."""
    try:
        async for item in events:
            if isinstance(item, TextDelta):
                yield event("delta", {"text": item.text})
            else:
                yield event("done", done(item))
    except Error as error:
        yield event("error", problem_document(error))


def problem_document(error: Error) -> dict[str, object]:
    problem = PROBLEMS.get(error.code, PROBLEMS["internal_error"])
    document: dict[str, object] = {
        "type": f"/problems/{error.code.replace('_', '-')}",
        "title": problem.title,
        "status": problem.status,
        "detail": error.detail or problem.title,
        "code": error.code,
    }
    if isinstance(error, BudgetExceededError):
        document.update(budget_fields(error))
    reason = getattr(error, "reason", None)
    if reason:
        document["reason"] = reason
    return document
