"""Read-side queries computed in SQL: history pages (and, later, stats)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.sql.executor import SqlDatabase, marks, to_db
from adapters.sql.generations import (
    GENERATION_COLUMNS,
    MEDIA_COLUMNS,
    generation_from,
    media_from,
)
from application.ports.generation import HistoryReader
from domain.generations import Generation, GenerationKind


class SqlHistoryReader(HistoryReader):
    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def page(
        self,
        *,
        user_id: str,
        kind: GenerationKind | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Generation]:
        where: list[str] = ["user_id = ?"]
        params: list[Any] = [user_id]
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        if before is not None:  # keyset pagination: stable under inserts
            where.append("(created_at, id) < (?, ?)")
            params.extend([to_db(before[0]), before[1]])
        sql = (
            f"SELECT {GENERATION_COLUMNS} FROM generations WHERE {' AND '.join(where)} "
            "ORDER BY created_at DESC, id DESC LIMIT ?"
        )
        rows = await self._database.read(sql, [*params, limit])
        media = await self._media([row[0] for row in rows])
        return [generation_from(row, media.get(row[0], ())) for row in rows]

    async def _media(self, generation_ids: list[str]) -> dict[str, tuple[Any, ...]]:
        if not generation_ids:
            return {}
        rows = await self._database.read(
            f"SELECT {MEDIA_COLUMNS} FROM media WHERE generation_id IN "
            f"({marks(len(generation_ids))}) ORDER BY generation_id, position",
            generation_ids,
        )
        grouped: dict[str, list[Any]] = {}
        for row in rows:
            grouped.setdefault(row[2], []).append(media_from(row))
        return {key: tuple(value) for key, value in grouped.items()}
