"""SqlConversationRepository: conversations and their messages, inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.sql.executor import Executor, Row, to_db, utc
from application.ports.conversations import ConversationRepository
from domain.conversations import Conversation, Message, MessageStatus, Role
from domain.generations import Usage

COLUMNS = "c.id, c.user_id, c.title, c.titled, c.system, c.model, c.created_at, c.updated_at"
COUNTED = (
    f"SELECT {COLUMNS}, (SELECT count(*) FROM conversation_messages m "
    "WHERE m.conversation_id = c.id) FROM conversations c"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, user_id, position, role, content, status, model, prompt_tokens, "
    "completion_tokens, total_tokens, cost, error_code, superseded, reply_to, generation_id, "
    "created_at"
)
# `strpos` takes its needle literally: no LIKE wildcards to escape (security.md #32).
MATCHES = (
    "(strpos(lower(c.title), ?) > 0 OR EXISTS (SELECT 1 FROM conversation_messages m "
    "WHERE m.conversation_id = c.id AND strpos(lower(m.content), ?) > 0))"
)


def conversation_from(row: Row) -> Conversation:
    return Conversation(
        id=row[0],
        user_id=row[1],
        title=row[2],
        titled=bool(row[3]),
        system=row[4],
        model=row[5],
        created_at=utc(row[6]),
        updated_at=utc(row[7]),
        message_count=int(row[8]),
    )


def message_params(m: Message) -> list[Any]:
    u = m.usage
    return [
        m.id,
        m.conversation_id,
        m.user_id,
        m.position,
        m.role.value,
        m.content,
        m.status.value,
        m.model,
        u.prompt_tokens,
        u.completion_tokens,
        u.total_tokens,
        u.cost,
        m.error_code,
        m.superseded,
        m.reply_to,
        m.generation_id,
        to_db(m.created_at),
    ]


def message_from(row: Row) -> Message:
    return Message(
        id=row[0],
        conversation_id=row[1],
        user_id=row[2],
        position=int(row[3]),
        role=Role(row[4]),
        content=row[5],
        status=MessageStatus(row[6]),
        model=row[7],
        usage=Usage(int(row[8]), int(row[9]), int(row[10]), float(row[11])),
        error_code=row[12],
        superseded=bool(row[13]),
        reply_to=row[14],
        generation_id=row[15],
        created_at=utc(row[16]),
    )


class SqlConversationRepository(ConversationRepository):
    def __init__(self, worker: Executor) -> None:
        self._worker = worker

    async def add(self, conversation: Conversation) -> None:
        c = conversation
        await self._worker.execute(
            "INSERT INTO conversations (id, user_id, title, titled, system, model, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                c.id,
                c.user_id,
                c.title,
                c.titled,
                c.system,
                c.model,
                to_db(c.created_at),
                to_db(c.updated_at),
            ],
        )

    async def get(self, conversation_id: str) -> Conversation | None:
        rows = await self._worker.execute(f"{COUNTED} WHERE c.id = ?", [conversation_id])
        return conversation_from(rows[0]) if rows else None

    async def update(self, conversation: Conversation) -> None:
        c = conversation
        await self._worker.execute(
            "UPDATE conversations SET title = ?, titled = ?, system = ?, model = ?, "
            "updated_at = ? WHERE id = ?",
            [c.title, c.titled, c.system, c.model, to_db(c.updated_at), c.id],
        )

    async def delete(self, conversation_id: str) -> None:
        await self._worker.execute(
            "DELETE FROM conversation_messages WHERE conversation_id = ?", [conversation_id]
        )
        await self._worker.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    async def delete_for_user(self, user_id: str) -> None:
        await self._worker.execute("DELETE FROM conversation_messages WHERE user_id = ?", [user_id])
        await self._worker.execute("DELETE FROM conversations WHERE user_id = ?", [user_id])

    async def page(
        self,
        *,
        user_id: str,
        query: str | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Conversation]:
        where: list[str] = ["c.user_id = ?"]
        params: list[Any] = [user_id]
        if before is not None:
            where.append("(c.updated_at, c.id) < (?, ?)")
            params += [to_db(before[0]), before[1]]
        if query:
            where.append(MATCHES)
            params += [query, query]
        rows = await self._worker.execute(
            f"{COUNTED} WHERE {' AND '.join(where)} ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
            [*params, limit],
        )
        return [conversation_from(row) for row in rows]

    async def messages(self, conversation_id: str) -> list[Message]:
        rows = await self._worker.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM conversation_messages WHERE conversation_id = ? "
            "ORDER BY position",
            [conversation_id],
        )
        return [message_from(row) for row in rows]

    async def last_position(self, conversation_id: str) -> int:
        rows = await self._worker.execute(
            "SELECT coalesce(max(position), -1) FROM conversation_messages "
            "WHERE conversation_id = ?",
            [conversation_id],
        )
        return int(rows[0][0])

    async def add_message(self, message: Message) -> None:
        await self._worker.execute(
            f"INSERT INTO conversation_messages ({MESSAGE_COLUMNS}) VALUES "
            f"({', '.join(['?'] * 17)})",
            message_params(message),
        )

    async def supersede(self, conversation_id: str, reply_to: str) -> None:
        await self._worker.execute(
            "UPDATE conversation_messages SET superseded = true "
            "WHERE conversation_id = ? AND reply_to = ? AND NOT superseded",
            [conversation_id, reply_to],
        )

    async def count(self) -> int:
        rows = await self._worker.execute("SELECT count(*) FROM conversations")
        return int(rows[0][0])
