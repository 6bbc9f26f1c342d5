"""Whose a conversation is, and the lock its writes take."""

from __future__ import annotations

from application.errors import NotFoundError
from application.ports.system import UnitOfWork
from domain.conversations import Conversation


def conversation_key(conversation_id: str) -> str:
    """Held while a conversation or its messages are written (positions stay in order)."""
    return f"conversation:{conversation_id}"


async def owned(uow: UnitOfWork, conversation_id: str, user_id: str) -> Conversation:
    """Inside an open unit of work: the user's own conversation; anyone else's is 404."""
    conversation = await uow.conversations.get(conversation_id)
    if conversation is None or not conversation.owned_by(user_id):
        raise NotFoundError()
    return conversation
