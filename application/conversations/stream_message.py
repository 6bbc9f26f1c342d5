"""Use case: send a message in a conversation and pass the answer on as it is written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from application.conversations.exchange import Exchange, Exchanges, Pending
from application.errors import StreamCancelledError
from application.generation.recording import failed, succeeded
from application.ports.generation import TextDelta
from domain.errors import Error
from domain.generations import Generation


@dataclass(frozen=True, slots=True)
class StreamMessage:
    """`prepare` validates and stores the user's message before the response starts (bad
    input is a plain 422); `execute` yields the deltas, then the stored Exchange. However
    the stream ends, the answer is stored once, whole: completed; failed with the text so
    far (then the error is raised); or cancelled with the text so far when the client left."""

    exchanges: Exchanges

    async def prepare(
        self,
        *,
        user_id: str,
        conversation_id: str,
        content: str,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Pending:
        return await self.exchanges.ask(
            user_id=user_id,
            conversation_id=conversation_id,
            content=content,
            model=model,
            max_tokens=max_tokens,
            temperature=temperature,
        )

    async def execute(self, pending: Pending) -> AsyncIterator[TextDelta | Exchange]:
        clock, generation = self.exchanges.clock, pending.generation
        parts: list[str] = []
        outcome: Generation | None = None
        try:
            async for event in self.exchanges.gateway.stream_text(pending.request):
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
                outcome = failed(
                    generation, StreamCancelledError(), clock.now(), "".join(parts) or None
                )
            # shielded: a cancelled request must still leave its answer behind
            exchange = await asyncio.shield(self.exchanges.answer(pending, outcome))
        yield exchange
