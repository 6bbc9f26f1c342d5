"""Use case: one of the user's conversations with all its messages."""

from __future__ import annotations

from dataclasses import dataclass

from application.conversations.ownership import owned
from application.ports.system import UnitOfWork
from domain.conversations import Conversation, Message


@dataclass(frozen=True, slots=True)
class ConversationWithMessages:
    conversation: Conversation
    messages: list[Message]  # by position; superseded answers included, marked


@dataclass(frozen=True, slots=True)
class GetConversation:
    """Someone else's conversation does not exist (404)."""

    uow: UnitOfWork

    async def execute(self, *, user_id: str, conversation_id: str) -> ConversationWithMessages:
        async with self.uow as uow:
            conversation = await owned(uow, conversation_id, user_id)
            messages = await uow.conversations.messages(conversation_id)
        return ConversationWithMessages(conversation, messages)
