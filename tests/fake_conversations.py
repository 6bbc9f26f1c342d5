"""An in-memory ConversationRepository; FakeUnitOfWork snapshots `rows` and `messages`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from application.ports.conversations import ContextWindows, ConversationRepository
from domain.conversations import Conversation, Message


class FakeConversationRepository(ConversationRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Conversation] = {}
        self.messages_by_id: dict[str, Message] = {}

    def _count(self, conversation: Conversation) -> Conversation:
        count = sum(1 for m in self.messages_by_id.values() if m.conversation_id == conversation.id)
        return replace(conversation, message_count=count)

    async def add(self, conversation: Conversation) -> None:
        assert conversation.id not in self.rows, "duplicate conversation id"
        self.rows[conversation.id] = replace(conversation, message_count=0)

    async def get(self, conversation_id: str) -> Conversation | None:
        found = self.rows.get(conversation_id)
        return self._count(found) if found is not None else None

    async def update(self, conversation: Conversation) -> None:
        if conversation.id in self.rows:
            self.rows[conversation.id] = replace(conversation, message_count=0)

    async def delete(self, conversation_id: str) -> None:
        self.rows.pop(conversation_id, None)
        self.messages_by_id = {
            key: m for key, m in self.messages_by_id.items() if m.conversation_id != conversation_id
        }

    async def delete_for_user(self, user_id: str) -> None:
        self.rows = {key: c for key, c in self.rows.items() if c.user_id != user_id}
        self.messages_by_id = {
            key: m for key, m in self.messages_by_id.items() if m.user_id != user_id
        }

    async def page(
        self,
        *,
        user_id: str,
        query: str | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Conversation]:
        mine = [c for c in self.rows.values() if c.user_id == user_id]
        if before is not None:
            mine = [c for c in mine if (c.updated_at, c.id) < before]
        if query:
            mine = [c for c in mine if self._matches(c, query)]
        mine.sort(key=lambda c: (c.updated_at, c.id), reverse=True)
        return [self._count(c) for c in mine[:limit]]

    def _matches(self, conversation: Conversation, query: str) -> bool:
        texts = [conversation.title] + [
            m.content for m in self.messages_by_id.values() if m.conversation_id == conversation.id
        ]
        return any(query in text.lower() for text in texts)

    async def messages(self, conversation_id: str) -> list[Message]:
        found = [m for m in self.messages_by_id.values() if m.conversation_id == conversation_id]
        return sorted(found, key=lambda m: m.position)

    async def last_position(self, conversation_id: str) -> int:
        return max((m.position for m in await self.messages(conversation_id)), default=-1)

    async def add_message(self, message: Message) -> None:
        assert message.id not in self.messages_by_id, "duplicate message id"
        self.messages_by_id[message.id] = message

    async def supersede(self, conversation_id: str, reply_to: str) -> None:
        for key, m in list(self.messages_by_id.items()):
            if m.conversation_id == conversation_id and m.reply_to == reply_to:
                self.messages_by_id[key] = replace(m, superseded=True)

    async def count(self) -> int:
        return len(self.rows)


class FakeContextWindows(ContextWindows):
    """Model id -> context length; unknown models have none."""

    def __init__(self, windows: dict[str, int] | None = None) -> None:
        self.windows = dict(windows or {})

    async def context_length(self, model: str) -> int | None:
        return self.windows.get(model)
