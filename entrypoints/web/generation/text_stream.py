"""The text stream, relayed from the API to the browser event by event, never buffered.

Deltas pass through as plain text; the browser appends them with textContent. The `done`
event gains `rendered_html`, the whole answer rendered and sanitised here (render.py), and
`usage_text`; an `error` event gains `message`, the words to show next to the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Response

from entrypoints.web.api_errors import ApiProblem, ApiUnavailableError
from entrypoints.web.formatting import usage_text
from entrypoints.web.generation.problems import (
    STREAM_LOST,
    STREAM_UNFINISHED,
    generation_message,
)
from entrypoints.web.render import render_markdown
from entrypoints.web.streams import EventStream, SseEvent, format_event

HEADERS = {"X-Accel-Buffering": "no"}  # no proxy in front of us may hold the events back
ENDINGS = frozenset({"done", "error"})
Done = Callable[[dict[str, Any]], dict[str, Any]]  # the API's `done` data -> the browser's


def stream_response(events: EventStream, done: Done | None = None) -> Response:
    """`done`: how the `done` event is relayed (the chat page's differs); done_event if None."""
    body = relay(events, done or done_event)
    return Response(body, mimetype="text/event-stream", headers=HEADERS)


def relay(events: EventStream, done: Done) -> Iterator[bytes]:
    """Closing this generator (the browser left) closes the API stream as well."""
    with events:
        try:
            for event in events:
                data = done(event.data) if event.name == "done" else _relayed(event)
                if data is not None:
                    yield format_event(event.name, data)
                if event.name in ENDINGS:
                    return
        except ApiUnavailableError:
            yield format_event("error", {"code": "stream_lost", "message": STREAM_LOST})
            return
        yield format_event("error", {"code": "stream_unfinished", "message": STREAM_UNFINISHED})


def _relayed(event: SseEvent) -> dict[str, Any] | None:
    if event.name == "delta":
        return {"text": str(event.data.get("text") or "")}
    if event.name == "error":
        status = event.data.get("status")
        problem = ApiProblem.from_document(event.data, status if isinstance(status, int) else 502)
        return {**event.data, "message": generation_message(problem)}
    return None  # an event this page does not know: not worth the browser's time


def done_event(answer: dict[str, Any]) -> dict[str, Any]:
    text = str(answer.get("text") or "")
    usage = answer.get("usage")
    return {
        **answer,
        "rendered_html": str(render_markdown(text)),
        "usage_text": usage_text(usage if isinstance(usage, dict) else None),
    }
