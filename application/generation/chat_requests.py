"""A chat request of the OpenAI-compatible API (/v1), built into a text request."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.recording import failed_until_served
from application.generation.text_requests import DEFAULT_MAX_TOKENS
from application.ports.generation import TextRequest
from application.ports.system import Clock, IdGenerator
from domain.conversations import ChatTurn
from domain.generations import Generation, GenerationKind, check_model_id, check_prompt


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """The messages already split: the system prompt (all system messages, joined), the
    earlier turns, and the last user message as the prompt. `api_key` is the name of the
    API key it came with (None for a signed-in token): the history says which key spent."""

    model: str
    prompt: str
    system: str | None = None
    history: tuple[ChatTurn, ...] = ()
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    user: str | None = None
    api_key: str | None = None


def prepare_chat(
    ids: IdGenerator, clock: Clock, *, user_id: str, chat: ChatRequest
) -> tuple[TextRequest, Generation]:
    """Like prepare_text: bad input is refused before anything goes upstream. The
    generation's options say it came through /v1 (`via`) and with which key."""
    request = TextRequest(
        model=check_model_id(chat.model),
        prompt=check_prompt(chat.prompt),
        system=chat.system,
        history=chat.history,
        max_tokens=chat.max_tokens or DEFAULT_MAX_TOKENS,
        temperature=chat.temperature,
        top_p=chat.top_p,
        stop=chat.stop,
        seed=chat.seed,
        user=chat.user,
    )
    options: dict[str, object] = {
        "via": "v1",
        "api_key": chat.api_key,
        "system": chat.system,
        "turns": len(chat.history) or None,
        "max_tokens": chat.max_tokens,
        "temperature": chat.temperature,
        "top_p": chat.top_p,
        "stop": list(chat.stop) or None,
        "seed": chat.seed,
    }
    generation = failed_until_served(
        generation_id=ids.new_id(),
        user_id=user_id,
        kind=GenerationKind.TEXT,
        model=chat.model,
        prompt=chat.prompt,
        options=options,
        now=clock.now(),
    )
    return request, generation
