"""Use case: answer a prompt with text, streamed as it is written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from application.generation.text_requests import prepare_text
from application.generation.text_stream import kept_stream
from application.ports.generation import AIGateway, GenerationRecorder, TextDelta, TextRequest
from application.ports.system import Clock, IdGenerator
from domain.generations import Generation


@dataclass(frozen=True, slots=True)
class StreamText:
    """Like GenerateText, but each piece of text is passed on as soon as it arrives. The
    generation is recorded when the stream ends, however it ends (a client that leaves
    early leaves a failed, partial record)."""

    recorder: GenerationRecorder
    gateway: AIGateway
    clock: Clock
    ids: IdGenerator

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

    def execute(
        self, request: TextRequest, generation: Generation
    ) -> AsyncIterator[TextDelta | Generation]:
        return kept_stream(self.gateway, self.clock, request, generation, self._record)

    async def _record(self, outcome: Generation) -> Generation:
        await self.recorder.record(outcome)
        return outcome
