"""Use case: answer a prompt with text."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.recording import failed, succeeded
from application.generation.text_requests import prepare_text
from application.ports.generation import AIGateway, GenerationRecorder
from application.ports.system import Clock, IdGenerator
from domain.errors import Error
from domain.generations import Generation


@dataclass(frozen=True, slots=True)
class GenerateText:
    """Send the prompt to the chosen model and keep the generation in the user's history,
    failed ones included. Bad input is refused before anything goes upstream."""

    recorder: GenerationRecorder
    gateway: AIGateway
    clock: Clock
    ids: IdGenerator

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
        try:
            result = await self.gateway.complete_text(request)
        except Error as error:
            await self.recorder.record(failed(generation, error, self.clock.now()))
            raise
        done = succeeded(
            generation,
            result.served,
            self.clock.now(),
            text=result.text,
            finish_reason=result.finish_reason,
        )
        await self.recorder.record(done)
        return done
