"""Use case: answer a prompt with text."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.recording import failed, record, started, succeeded
from application.ports.generation import AIGateway, GenerationRecorder, TextRequest
from application.ports.system import Clock, IdGenerator
from domain.errors import Error
from domain.generations import Generation, GenerationKind, check_model_id, check_prompt

DEFAULT_MAX_TOKENS = 1024  # always sent: without it OpenRouter reserves the model's maximum


@dataclass(frozen=True, slots=True)
class GenerateText:
    """Send the prompt to the chosen model and keep the generation in the user's history,
    failed ones included. Bad input is refused before anything goes upstream."""

    recorder: GenerationRecorder
    gateway: AIGateway
    clock: Clock
    ids: IdGenerator

    async def execute(
        self, *, user_id: str, model: str, prompt: str, system: str | None = None,
        max_tokens: int | None = None, temperature: float | None = None,
    ) -> Generation:  # fmt: skip
        request = TextRequest(
            model=check_model_id(model), prompt=check_prompt(prompt), system=system,
            max_tokens=max_tokens or DEFAULT_MAX_TOKENS, temperature=temperature,
        )  # fmt: skip
        generation = started(
            generation_id=self.ids.new_id(), user_id=user_id, kind=GenerationKind.TEXT,
            model=model, prompt=prompt, now=self.clock.now(),
            options={"system": system, "max_tokens": max_tokens, "temperature": temperature},
        )  # fmt: skip
        try:
            result = await self.gateway.complete_text(request)
        except Error as error:
            await record(self.recorder, failed(generation, error, self.clock.now()))
            raise
        done = succeeded(
            generation, result.served, self.clock.now(), text=result.text,
            finish_reason=result.finish_reason,
        )  # fmt: skip
        await record(self.recorder, done)
        return done
