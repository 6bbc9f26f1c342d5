"""Ports of conversations: their storage (inside a unit of work) and the models' windows."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.conversations import Conversation, Message


class ConversationRepository(Protocol):
    """Conversations with their messages. `get` and `page` fill in `message_count`; the
    owner check is the use case's."""

    async def add(self, conversation: Conversation) -> None: ...
    async def get(self, conversation_id: str) -> Conversation | None: ...
    async def update(self, conversation: Conversation) -> None:
        """Title, `titled`, system prompt, model and `updated_at`."""
        ...

    async def delete(self, conversation_id: str) -> None:
        """The conversation and its messages."""
        ...

    async def delete_for_user(self, user_id: str) -> None: ...
    async def page(
        self,
        *,
        user_id: str,
        query: str | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Conversation]:
        """A user's conversations, most recently updated first, strictly after the keyset
        `before` = (updated_at, id). `query` (lower case) matches, case-insensitively and
        literally, a substring of the title or of any message's text."""
        ...

    async def messages(self, conversation_id: str) -> list[Message]:
        """In order of position."""
        ...

    async def last_position(self, conversation_id: str) -> int:
        """-1 when there are no messages."""
        ...

    async def add_message(self, message: Message) -> None: ...
    async def supersede(self, conversation_id: str, reply_to: str) -> None:
        """Mark every answer to the message `reply_to` superseded."""
        ...

    async def count(self) -> int:
        """All conversations, for the statistics."""
        ...


class ContextWindows(Protocol):
    async def context_length(self, model: str) -> int | None:
        """The model's context window in tokens, or None when the catalogue cannot tell."""
        ...
