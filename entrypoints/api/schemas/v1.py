"""Schemas of the OpenAI-compatible API (/v1): OpenAI's own request and answer shapes.

Request bodies ignore fields they do not know (OpenAI's SDKs and tools send many); of
those OpenRouter takes, `top_p`, `stop`, `seed` and `user` are passed on."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.generations import MAX_PROMPT_CHARS, Generation
from entrypoints.api.schemas.generation import ModelId, Prompt

Tokens = Field(default=None, ge=1, le=32_768)
MAX_MESSAGES = 500


class LenientIn(BaseModel):
    """OpenAI's request shapes: fields we do not use are accepted and left out."""

    model_config = ConfigDict(extra="ignore")


class TextPartIn(LenientIn):
    type: Literal["text"]
    text: str = Field(max_length=MAX_PROMPT_CHARS)


class MessageIn(LenientIn):
    role: Literal["system", "developer", "user", "assistant"]
    content: (
        Annotated[str, Field(max_length=MAX_PROMPT_CHARS)]
        | Annotated[list[TextPartIn], Field(max_length=MAX_MESSAGES)]
        | None
    ) = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class StreamOptionsIn(LenientIn):
    include_usage: bool | None = None


class ChatCompletionIn(LenientIn):
    model: str = ModelId
    messages: list[MessageIn] = Field(min_length=1, max_length=MAX_MESSAGES)
    max_tokens: int | None = Tokens
    max_completion_tokens: int | None = Tokens
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    stop: (
        Annotated[str, Field(max_length=256)]
        | Annotated[list[Annotated[str, Field(max_length=256)]], Field(max_length=4)]
        | None
    ) = None
    seed: int | None = Field(default=None, ge=-(2**63), lt=2**63)
    user: str | None = Field(default=None, max_length=256)
    n: int | None = Field(default=None, ge=1, le=128)
    stream: bool | None = None
    stream_options: StreamOptionsIn | None = None


class ImageGenerationIn(LenientIn):
    prompt: str = Prompt
    model: str = ModelId
    size: str | None = Field(default=None, max_length=32)
    response_format: Literal["b64_json", "url"] | None = None
    n: int | None = Field(default=None, ge=1, le=10)


class ModelV1Out(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelListV1Out(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelV1Out]


class UsageV1Out(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

    @classmethod
    def of(cls, g: Generation) -> UsageV1Out:
        u = g.usage
        return cls(
            prompt_tokens=u.prompt_tokens,
            completion_tokens=u.completion_tokens,
            total_tokens=u.total_tokens,
        )


class AssistantMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class ChoiceOut(BaseModel):
    index: int = 0
    message: AssistantMessageOut
    finish_reason: str | None
    logprobs: None = None


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChoiceOut]
    usage: UsageV1Out

    @classmethod
    def of(cls, g: Generation) -> ChatCompletionOut:
        choice = ChoiceOut(
            message=AssistantMessageOut(content=g.text or ""), finish_reason=g.finish_reason
        )
        return cls(
            id=completion_id(g),
            created=int(g.created_at.timestamp()),
            model=g.served_model or g.model,
            choices=[choice],
            usage=UsageV1Out.of(g),
        )


class ImageDataOut(BaseModel):
    b64_json: str | None = None
    url: str | None = None
    revised_prompt: str | None = None


class ImagesOut(BaseModel):
    created: int
    data: list[ImageDataOut]


def completion_id(g: Generation) -> str:
    """OpenAI's ids look like `chatcmpl-...`; ours is the generation's, findable in history."""
    return f"chatcmpl-{g.id}"
