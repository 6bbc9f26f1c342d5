"""Use case: answer a prompt with text, streamed as it is written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from application.generation.generate_text import DEFAULT_MAX_TOKENS
from application.generation.recording import failed, record, started, succeeded
from application.ports.generation import AIGateway, GenerationRecorder, TextDelta, TextRequest
from application.ports.system import Clock, IdGenerator
from domain.errors import Error
from domain.generations import Generation, GenerationKind, check_model_id, check_prompt


class StreamCancelledError(Error):
    code = "stream_cancelled"
    default_detail = "The client went away before the answer was complete."


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
        self, *, user_id: str, model: str, prompt: str, system: str | None = None,
        max_tokens: int | None = None, temperature: float | None = None,
    ) -> tuple[TextRequest, Generation]:  # fmt: skip
        """Validate before the response starts, so bad input is a plain 422."""
        request = TextRequest(
            model=check_model_id(model), prompt=check_prompt(prompt), system=system,
            max_tokens=max_tokens or DEFAULT_MAX_TOKENS, temperature=temperature,
        )  # fmt: skip
        generation = started(
            generation_id=self.ids.new_id(), user_id=user_id, kind=GenerationKind.TEXT,
            model=model, prompt=prompt, now=self.clock.now(),
            options={"system": system, "max_tokens": max_tokens, "temperature": temperature},
        )  # fmt: skip
        return request, generation

    async def execute(
        self, request: TextRequest, generation: Generation
    ) -> AsyncIterator[TextDelta | Generation]:
        parts: list[str] = []
        outcome: Generation | None = None
        try:
            async for event in self.gateway.stream_text(request):
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                    yield event
                    continue
                outcome = succeeded(generation, event.served, self.clock.now(),
                                    text=event.text, finish_reason=event.finish_reason)  # fmt: skip
        except Error as error:
            outcome = failed(generation, error, self.clock.now(), "".join(parts) or None)
            raise
        finally:
            if outcome is None:  # the client left (or the stream stopped) mid-way
                outcome = failed(generation, StreamCancelledError(), self.clock.now(),
                                 "".join(parts) or None)  # fmt: skip
            # shielded: a cancelled request must still leave its record behind
            await asyncio.shield(record(self.recorder, outcome))
        yield outcome
