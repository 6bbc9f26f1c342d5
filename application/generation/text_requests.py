"""The one way a text request is built, for the plain and the streamed answer alike."""

from __future__ import annotations

from application.generation.recording import failed_until_served
from application.ports.generation import TextRequest
from application.ports.system import Clock, IdGenerator
from domain.generations import Generation, GenerationKind, check_model_id, check_prompt

DEFAULT_MAX_TOKENS = 1024  # always sent: without it OpenRouter reserves the model's maximum


def prepare_text(
    ids: IdGenerator,
    clock: Clock,
    *,
    user_id: str,
    model: str,
    prompt: str,
    system: str | None,
    max_tokens: int | None,
    temperature: float | None,
) -> tuple[TextRequest, Generation]:
    """The upstream request and the generation that records it. Bad input is refused
    (422) here, before anything goes upstream."""
    request = TextRequest(
        model=check_model_id(model),
        prompt=check_prompt(prompt),
        system=system,
        max_tokens=max_tokens or DEFAULT_MAX_TOKENS,
        temperature=temperature,
    )
    generation = failed_until_served(
        generation_id=ids.new_id(),
        user_id=user_id,
        kind=GenerationKind.TEXT,
        model=model,
        prompt=prompt,
        options={"system": system, "max_tokens": max_tokens, "temperature": temperature},
        now=clock.now(),
    )
    return request, generation
