"""Server-sent events for the text stream: `delta`, then `done` or `error`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from application.ports.generation import TextDelta
from domain.errors import BudgetExceededError, Error
from domain.generations import Generation
from entrypoints.api.problems import PROBLEMS, budget_fields
from entrypoints.api.schemas.generation import TextOut


def event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def started_stream(
    events: AsyncIterator[TextDelta | Generation],
) -> AsyncIterator[bytes]:
    """Wait for the first event before answering, so a failure before the first token
    (no key, rate limited, refused) is an ordinary problem response with its own status."""
    first = await anext(events)
    return sse_events(_prepend(first, events))


async def _prepend(
    first: TextDelta | Generation, rest: AsyncIterator[TextDelta | Generation]
) -> AsyncIterator[TextDelta | Generation]:
    yield first
    async for item in rest:
        yield item


async def sse_events(events: AsyncIterator[TextDelta | Generation]) -> AsyncIterator[bytes]:
    """Each delta is flushed as its own chunk: nothing is buffered between model and client."""
    try:
        async for item in events:
            if isinstance(item, TextDelta):
                yield event("delta", {"text": item.text})
            else:
                yield event("done", TextOut.of(item).model_dump(mode="json"))
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
