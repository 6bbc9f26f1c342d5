"""Use case: a user's history (their generations), a page at a time."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from application.errors import InvalidCursorError
from application.ports.generation import HistoryReader
from domain.generations import Generation, GenerationKind

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: list[Generation]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListGenerations:
    """A user's own generations, newest first, a page at a time."""

    reader: HistoryReader

    async def execute(
        self, *, user_id: str, kind: GenerationKind | None, limit: int, cursor: str | None
    ) -> HistoryPage:
        size = max(1, min(limit, MAX_PAGE))
        items = await self.reader.page(
            user_id=user_id, kind=kind, limit=size + 1, before=decode_cursor(cursor)
        )
        more = len(items) > size
        items = items[:size]
        return HistoryPage(items, encode_cursor(items[-1]) if more else None)


def encode_cursor(last: Generation) -> str:
    raw = f"{last.created_at.isoformat()}|{last.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, generation_id = raw.partition("|")
        parsed = datetime.fromisoformat(moment)
    except ValueError as exc:
        raise InvalidCursorError() from exc
    if parsed.tzinfo is None or not generation_id:
        raise InvalidCursorError()
    return parsed, generation_id
