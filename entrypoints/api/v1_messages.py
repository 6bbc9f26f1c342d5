"""OpenAI's chat messages and image sizes turned into what the use cases take."""

from __future__ import annotations

import re

from application.generation.chat_requests import ChatRequest
from domain.conversations import ChatTurn, Role
from domain.errors import InvalidGenerationRequestError
from domain.generations import ASPECT_RATIOS
from entrypoints.api.schemas.v1 import ChatCompletionIn

SIZE = re.compile(r"^(?P<width>[1-9][0-9]{0,4})x(?P<height>[1-9][0-9]{0,4})$")


def key_name(caller: object) -> str | None:
    """The name of the API key the caller used, None for a signed-in token. Read
    defensively: the caller carries its key (`api_key.name`, or `api_key_name`) once keys
    exist, and nothing before."""
    key = getattr(caller, "api_key", None)
    name = getattr(key, "name", None) if key is not None else None
    name = name or getattr(caller, "api_key_name", None)
    return name if isinstance(name, str) else None


def chat_request(body: ChatCompletionIn, api_key: str | None) -> ChatRequest:
    """System (and developer) messages joined as the system prompt; the last message must
    be the user's and is the prompt; the user and assistant turns before it are history."""
    if (body.n or 1) > 1:
        raise InvalidGenerationRequestError("Only n = 1 is supported.")
    systems = [m.text() for m in body.messages if m.role in ("system", "developer")]
    turns = [m for m in body.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise InvalidGenerationRequestError("The last message must be the user's.")
    stop = (body.stop,) if isinstance(body.stop, str) else tuple(body.stop or ())
    return ChatRequest(
        model=body.model,
        prompt=turns[-1].text(),
        system="\n\n".join(text for text in systems if text) or None,
        history=tuple(ChatTurn(Role(m.role), m.text()) for m in turns[:-1]),
        max_tokens=body.max_completion_tokens or body.max_tokens,
        temperature=body.temperature,
        top_p=body.top_p,
        stop=stop,
        seed=body.seed,
        user=body.user,
        api_key=api_key,
    )


def aspect_ratio_of(size: str | None) -> str | None:
    """OpenAI's `WxH` as the nearest aspect ratio the image models take: 1024x1024 is
    1:1, 1792x1024 16:9, 1024x1792 9:16, 1536x1024 3:2. `auto` or none: the model's own."""
    if size is None or size == "auto":
        return None
    match = SIZE.match(size)
    if match is None:
        raise InvalidGenerationRequestError("size must be `auto` or WIDTHxHEIGHT, e.g. 1024x1024.")
    wanted = int(match["width"]) / int(match["height"])

    def distance(ratio: str) -> float:
        width, _, height = ratio.partition(":")
        return abs(int(width) / int(height) - wanted)

    return min(ASPECT_RATIOS, key=distance)
