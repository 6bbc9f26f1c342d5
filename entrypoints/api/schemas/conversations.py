"""Schemas of the conversation routes. The answers take their shape from the export's
`conversation_json`/`message_json`: one definition of a conversation and a message."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from application.conversations.exchange import MAX_ANSWER_TOKENS, Exchange
from application.conversations.export_conversation import conversation_json, message_json
from application.conversations.get_conversation import ConversationWithMessages
from application.conversations.list_conversations import ConversationPage
from domain.conversations import (
    MAX_MESSAGE_CHARS,
    MAX_SYSTEM_CHARS,
    MAX_TITLE_CHARS,
    Conversation,
    Message,
)
from domain.generations import MODEL_ID
from entrypoints.api.schemas.common import StrictIn
from entrypoints.api.schemas.generation import UsageOut

Title = Field(default=None, min_length=1, max_length=MAX_TITLE_CHARS)
System = Field(default=None, max_length=MAX_SYSTEM_CHARS)
OptionalModelId = Field(default=None, min_length=3, max_length=200, pattern=MODEL_ID.pattern)


class ConversationIn(StrictIn):
    title: str | None = Title
    system: str | None = System
    model: str | None = OptionalModelId


class ConversationPatchIn(ConversationIn):
    """Only the fields sent change; `"system": null` clears the system prompt."""


class AnswerIn(StrictIn):
    model: str | None = OptionalModelId
    max_tokens: int | None = Field(default=None, ge=1, le=MAX_ANSWER_TOKENS)
    temperature: float | None = Field(default=None, ge=0, le=2)


class MessageIn(AnswerIn):
    content: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class ConversationOut(BaseModel):
    id: str
    title: str
    system: str | None
    model: str
    created_at: datetime
    updated_at: datetime
    message_count: int

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationOut:
        return cls.model_validate(conversation_json(conversation))


class MessageOut(BaseModel):
    id: str
    position: int
    role: Literal["user", "assistant"]
    content: str
    status: Literal["completed", "failed", "cancelled"]
    model: str | None
    usage: UsageOut | None
    error_code: str | None
    superseded: bool
    reply_to: str | None
    generation_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        return cls.model_validate(message_json(message))


class ConversationDetailOut(ConversationOut):
    """With every message, by position; superseded answers included, marked."""

    messages: list[MessageOut]

    @classmethod
    def of_whole(cls, found: ConversationWithMessages) -> ConversationDetailOut:
        return cls.model_validate(
            {
                **conversation_json(found.conversation),
                "messages": [message_json(m) for m in found.messages],
            }
        )


class ConversationPageOut(BaseModel):
    data: list[ConversationOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: ConversationPage) -> ConversationPageOut:
        return cls(data=[ConversationOut.of(c) for c in page.items], next_cursor=page.next_cursor)


class ExchangeOut(BaseModel):
    """A message and its answer; `context_trimmed` earlier turns did not fit the model's
    context window and were left out of the request."""

    user_message: MessageOut
    assistant_message: MessageOut
    context_trimmed: int

    @classmethod
    def of(cls, exchange: Exchange) -> ExchangeOut:
        return cls(
            user_message=MessageOut.of(exchange.user_message),
            assistant_message=MessageOut.of(exchange.assistant_message),
            context_trimmed=exchange.context_trimmed,
        )
