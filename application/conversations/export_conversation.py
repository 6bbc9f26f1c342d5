"""Use case: a conversation as a Markdown or JSON document to download."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from application.conversations.get_conversation import GetConversation
from domain.conversations import (
    Conversation,
    InvalidConversationError,
    Message,
    MessageStatus,
    Role,
)

FORMATS = {"markdown": ("text/markdown; charset=utf-8", "md"), "json": ("application/json", "json")}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class ExportedConversation:
    media_type: str
    filename: str
    body: str


@dataclass(frozen=True, slots=True)
class ExportConversation:
    """Superseded answers are left out of the Markdown (it reads as the conversation went
    on) and kept, marked, in the JSON (a full record)."""

    get: GetConversation

    async def execute(
        self, *, user_id: str, conversation_id: str, format: str = "markdown"
    ) -> ExportedConversation:
        if format not in FORMATS:
            raise InvalidConversationError("format must be markdown or json.")
        found = await self.get.execute(user_id=user_id, conversation_id=conversation_id)
        conversation, messages = found.conversation, found.messages
        media_type, extension = FORMATS[format]
        body = (
            markdown(conversation, messages)
            if format == "markdown"
            else as_json(conversation, messages)
        )
        stem = _UNSAFE.sub("-", conversation.title).strip("-")[:60] or "conversation"
        return ExportedConversation(media_type, f"{stem}.{extension}", body)


def markdown(conversation: Conversation, messages: list[Message]) -> str:
    lines = [f"# {conversation.title}", "", f"Model: `{conversation.model}`", ""]
    if conversation.system:
        lines += ["## System", "", conversation.system, ""]
    for message in messages:
        if message.superseded:
            continue
        if message.role is Role.USER:
            lines += ["## User", "", message.content, ""]
            continue
        lines += [f"## Assistant ({message.model})", ""]
        if message.status is not MessageStatus.COMPLETED:
            ending = f"{message.status.value}: {message.error_code}" if message.error_code else ""
            lines += [f"*{ending or message.status.value}*", ""]
        lines += [message.content, ""] if message.content else []
    return "\n".join(lines).rstrip() + "\n"


def as_json(conversation: Conversation, messages: list[Message]) -> str:
    document = {**conversation_json(conversation), "messages": [message_json(m) for m in messages]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def conversation_json(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "title": conversation.title,
        "system": conversation.system,
        "model": conversation.model,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "message_count": conversation.message_count,
    }


def message_json(message: Message) -> dict[str, Any]:
    usage = message.usage
    return {
        "id": message.id,
        "position": message.position,
        "role": message.role.value,
        "content": message.content,
        "status": message.status.value,
        "model": message.model,
        "usage": {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
            "cost": usage.cost,
        },
        "error_code": message.error_code,
        "superseded": message.superseded,
        "reply_to": message.reply_to,
        "generation_id": message.generation_id,
        "created_at": message.created_at.isoformat(),
    }
