"""Use case: answer a prompt with text, streamed as it is written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from application.budget.spending import Charge, GenerationSpending, close
from application.errors import StreamCancelledError
from application.generation.recording import failed, succeeded
from application.generation.text_requests import prepare_text
from application.ports.generation import AIGateway, GenerationRecorder, TextDelta, TextRequest
from application.ports.system import Clock, IdGenerator
from domain.errors import Error
from domain.generations import Generation


@dataclass(frozen=True, slots=True)
class StreamText:
    """Like GenerateText, but each piece of text is passed on as soon as it arrives. The
    generation is recorded when the stream ends, however it ends (a client that leaves
    early leaves a failed, partial record). The limits and the budget are checked when the
    stream starts (before the response does); the reservation is settled when it ends."""

    recorder: GenerationRecorder
    gateway: AIGateway
    clock: Clock
    ids: IdGenerator
    spending: GenerationSpending | None = None

    def prepare(
        self,
        *,
        user_id: str,
        model: str,
        prompt: str,
        system: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> tuple[TextRequest, Generation]:
        """Validate before the response starts, so bad input is a plain 422."""
        return prepare_text(
            self.ids,
            self.clock,
            user_id=user_id,
            model=model,
            prompt=prompt,
            system=system,
            max_tokens=max_tokens,
            temperature=temperature,
        )

    async def execute(
        self, request: TextRequest, generation: Generation
    ) -> AsyncIterator[TextDelta | Generation]:
        if self.spending is None:
            async with aclosing(self._stream(request, generation, None)) as events:
                async for item in events:
                    yield item
            return
        user_id = generation.user_id
        estimate = self.spending.for_text(request)
        charge = await self.spending.opened(
            user_id, estimate, generation_id=generation.id, recorded=True
        )
        try:
            async with aclosing(self._stream(request, generation, charge)) as events:
                async for item in events:
                    yield item
        finally:
            self.spending.limiter.free(user_id)

    async def _stream(
        self, request: TextRequest, generation: Generation, charge: Charge | None
    ) -> AsyncGenerator[TextDelta | Generation, None]:
        parts: list[str] = []
        outcome: Generation | None = None
        try:
            async for event in self.gateway.stream_text(request):
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                    yield event
                    continue
                outcome = succeeded(
                    generation,
                    event.served,
                    self.clock.now(),
                    text=event.text,
                    finish_reason=event.finish_reason,
                )
        except Error as error:
            outcome = failed(generation, error, self.clock.now(), "".join(parts) or None)
            raise
        finally:
            if outcome is None:  # the client left (or the stream stopped) mid-way
                partial = "".join(parts) or None
                outcome = failed(generation, StreamCancelledError(), self.clock.now(), partial)
            if charge is not None:  # before the record, and never under its lock
                await asyncio.shield(close(charge, outcome))
            # shielded: a cancelled request must still leave its record behind
            await asyncio.shield(self.recorder.record(outcome))
        yield outcome
