"""A text answer streamed from the model, kept exactly once however the stream ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TypeVar

from application.errors import StreamCancelledError
from application.generation.recording import failed, succeeded
from application.ports.generation import AIGateway, TextDelta, TextRequest
from application.ports.system import Clock
from domain.errors import Error
from domain.generations import Generation

Kept = TypeVar("Kept")


async def kept_stream(
    gateway: AIGateway,
    clock: Clock,
    request: TextRequest,
    generation: Generation,
    keep: Callable[[Generation], Awaitable[Kept]],
) -> AsyncGenerator[TextDelta | Kept, None]:
    """The deltas as they arrive, then what `keep` made of the outcome. `keep` runs once,
    whatever happens: with the succeeded generation; with a failed one holding the text so
    far (then the error is raised); or, when the client left (or the stream stopped)
    mid-way, with a cancelled one holding the text so far."""
    parts: list[str] = []
    outcome: Generation | None = None
    try:
        async for event in gateway.stream_text(request):
            if isinstance(event, TextDelta):
                parts.append(event.text)
                yield event
                continue
            outcome = succeeded(
                generation,
                event.served,
                clock.now(),
                text=event.text,
                finish_reason=event.finish_reason,
            )
    except Error as error:
        outcome = failed(generation, error, clock.now(), "".join(parts) or None)
        raise
    finally:
        if outcome is None:  # the client left (or the stream stopped) mid-way
            partial = "".join(parts) or None
            outcome = failed(generation, StreamCancelledError(), clock.now(), partial)
        # shielded: a cancelled request must still leave its outcome behind
        kept = await asyncio.shield(keep(outcome))
    yield kept
