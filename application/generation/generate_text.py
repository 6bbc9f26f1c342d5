"""Use case: answer a prompt with text."""

from __future__ import annotations

from dataclasses import dataclass

from application.budget.spending import Charge, GenerationSpending, cost_of
from application.generation.chat_requests import ChatRequest, prepare_chat
from application.generation.recording import failed, succeeded
from application.generation.text_requests import prepare_text
from application.ports.generation import AIGateway, GenerationRecorder, TextRequest
from application.ports.system import Clock, IdGenerator
from domain.errors import Error
from domain.generations import Generation


@dataclass(frozen=True, slots=True)
class GenerateText:
    """Send the prompt to the chosen model and keep the generation in the user's history,
    failed ones included. Bad input is refused before anything goes upstream, and so is a
    request over the user's limits or budget (application.budget.spending)."""

    recorder: GenerationRecorder
    gateway: AIGateway
    clock: Clock
    ids: IdGenerator
    spending: GenerationSpending | None = None

    async def execute(
        self,
        *,
        user_id: str,
        model: str,
        prompt: str,
        system: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Generation:
        request, generation = prepare_text(
            self.ids,
            self.clock,
            user_id=user_id,
            model=model,
            prompt=prompt,
            system=system,
            max_tokens=max_tokens,
            temperature=temperature,
        )
        return await self._spent(request, generation)

    async def execute_chat(self, *, user_id: str, chat: ChatRequest) -> Generation:
        """The same for a chat of the OpenAI-compatible API (/v1): earlier turns included."""
        request, generation = prepare_chat(self.ids, self.clock, user_id=user_id, chat=chat)
        return await self._spent(request, generation)

    async def _spent(self, request: TextRequest, generation: Generation) -> Generation:
        if self.spending is None:
            return await self._answer(request, generation)
        user_id = generation.user_id
        async with self.spending.text(user_id, request, generation_id=generation.id) as charge:
            return await self._answer(request, generation, charge)

    async def _answer(
        self, request: TextRequest, generation: Generation, charge: Charge | None = None
    ) -> Generation:
        try:
            result = await self.gateway.complete_text(request)
        except Error as error:
            await self.recorder.record(failed(generation, error, self.clock.now()))
            raise
        if charge is not None:  # billed now, whatever happens to the record
            await charge.settle(cost_of(result.served.usage))
        done = succeeded(
            generation,
            result.served,
            self.clock.now(),
            text=result.text,
            finish_reason=result.finish_reason,
        )
        await self.recorder.record(done)
        return done
