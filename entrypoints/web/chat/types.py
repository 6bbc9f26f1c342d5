"""The JSON shapes of the API's conversation routes (the conversations contract)."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from entrypoints.web.generation.types import UsageJson


class ConversationJson(TypedDict):
    id: str
    title: str | None
    system: str | None
    model: str | None
    created_at: str
    updated_at: str
    message_count: int


class MessageJson(TypedDict):
    id: str
    position: int
    role: str  # "user" | "assistant"
    content: str
    status: str  # "completed" | "failed" | "cancelled"
    model: str | None
    usage: UsageJson | None
    error_code: str | None
    superseded: bool
    reply_to: str | None
    generation_id: str | None
    created_at: str


class ConversationDetailJson(ConversationJson):
    messages: list[MessageJson]


class ConversationPageJson(TypedDict):
    data: list[ConversationJson]
    next_cursor: str | None


class ConversationRequestJson(TypedDict, total=False):
    title: str
    system: str | None
    model: str


class MessageRequestJson(TypedDict):
    content: str
    model: NotRequired[str]
    max_tokens: NotRequired[int]
    temperature: NotRequired[float]


class RegenerateRequestJson(TypedDict, total=False):
    model: str
    max_tokens: int
    temperature: float


class SentJson(TypedDict):
    user_message: MessageJson
    assistant_message: MessageJson
    context_trimmed: bool
