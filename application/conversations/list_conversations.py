"""Use case: a user's conversations, most recently updated first, optionally searched."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from application.generation.list_generations import decode_cursor
from application.ports.system import UnitOfWork
from domain.conversations import Conversation

MAX_PAGE = 100
MAX_QUERY_CHARS = 200


@dataclass(frozen=True, slots=True)
class ConversationPage:
    items: list[Conversation]
    next_cursor: str | None


def encode_cursor(last: Conversation) -> str:
    raw = f"{last.updated_at.isoformat()}|{last.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class ListConversations:
    """Only the user's own. `query` matches titles and message text, case-insensitively,
    as plain text (no wildcards)."""

    uow: UnitOfWork

    async def execute(
        self, *, user_id: str, limit: int, cursor: str | None = None, query: str | None = None
    ) -> ConversationPage:
        size = max(1, min(limit, MAX_PAGE))
        needle = (query or "").strip().lower()[:MAX_QUERY_CHARS] or None
        async with self.uow as uow:
            items = await uow.conversations.page(
                user_id=user_id, query=needle, limit=size + 1, before=decode_cursor(cursor)
            )
        more = len(items) > size
        items = items[:size]
        return ConversationPage(items, encode_cursor(items[-1]) if more else None)
