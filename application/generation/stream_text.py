"""Use case: answer a prompt with text, streamed as it is written."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass

from application.budget.limit_generations import freed
from application.budget.spending import GenerationSpending, close
from application.generation.chat_requests import ChatRequest, prepare_chat
from application.generation.text_requests import prepare_text
from application.generation.text_stream import kept_stream
from application.ports.generation import AIGateway, GenerationRecorder, TextDelta, TextRequest
from application.ports.system import Clock, IdGenerator
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

    def prepare_chat(self, *, user_id: str, chat: ChatRequest) -> tuple[TextRequest, Generation]:
        """The same for a chat of the OpenAI-compatible API (/v1)."""
        return prepare_chat(self.ids, self.clock, user_id=user_id, chat=chat)

    async def execute(
        self, request: TextRequest, generation: Generation
    ) -> AsyncIterator[TextDelta | Generation]:
        spending = self.spending
        if spending is None:
            async with aclosing(self._kept(request, generation, self._record)) as events:
                async for item in events:
                    yield item
            return
        user_id = generation.user_id
        estimate = spending.for_text(request)
        charge = await spending.opened(
            user_id, estimate, generation_id=generation.id, recorded=True
        )

        async def settle_and_record(outcome: Generation) -> Generation:
            await close(charge, outcome)  # before the record, and never under its lock
            return await self._record(outcome)

        try:
            async with aclosing(self._kept(request, generation, settle_and_record)) as events:
                async for item in events:
                    yield item
        finally:
            await freed(spending.limiter, user_id)

    def _kept(
        self,
        request: TextRequest,
        generation: Generation,
        keep: Callable[[Generation], Awaitable[Generation]],
    ) -> AsyncGenerator[TextDelta | Generation, None]:
        return kept_stream(self.gateway, self.clock, request, generation, keep)

    async def _record(self, outcome: Generation) -> Generation:
        await self.recorder.record(outcome)
        return outcome
