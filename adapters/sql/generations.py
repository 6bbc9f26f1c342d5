"""SqlGenerationRepository: generations and their media rows, inside a unit of work."""

from __future__ import annotations

from typing import Any

from adapters.sql.counts import Change
from adapters.sql.executor import Executor, Row, from_db, to_db, utc
from application.ports.generation import GenerationRepository
from domain.generations import Generation, GenerationKind, GenerationStatus, Usage
from domain.media import MediaRef

GENERATION_COLUMNS = (
    "id, user_id, kind, model, served_model, provider, prompt, options, status, text, "
    "finish_reason, prompt_tokens, completion_tokens, total_tokens, cost, error_code, "
    "upstream_id, created_at, finished_at"
)
# per-user tables besides these two (budgets and spend: migration 0006)
USER_OWNED_TABLES: tuple[str, ...] = ("video_jobs", "spend", "budgets")
MEDIA_COLUMNS = (
    "id, owner_id, generation_id, content_type, size_bytes, width, height, position, created_at"
)


def generation_params(g: Generation) -> list[Any]:
    u = g.usage
    return [
        g.id,
        g.user_id,
        g.kind.value,
        g.model,
        g.served_model,
        g.provider,
        g.prompt,
        g.options,
        g.status.value,
        g.text,
        g.finish_reason,
        u.prompt_tokens,
        u.completion_tokens,
        u.total_tokens,
        u.cost,
        g.error_code,
        g.upstream_id,
        to_db(g.created_at),
        to_db(g.finished_at),
    ]


def generation_from(row: Row, media: tuple[MediaRef, ...] = ()) -> Generation:
    return Generation(
        id=row[0],
        user_id=row[1],
        kind=GenerationKind(row[2]),
        model=row[3],
        served_model=row[4],
        provider=row[5],
        prompt=row[6],
        options=row[7],
        status=GenerationStatus(row[8]),
        text=row[9],
        finish_reason=row[10],
        usage=Usage(row[11], row[12], row[13], float(row[14])),
        error_code=row[15],
        upstream_id=row[16],
        created_at=utc(row[17]),
        finished_at=from_db(row[18]),
        media=media,
    )


def media_from(row: Row) -> MediaRef:
    return MediaRef(
        id=row[0],
        owner_id=row[1],
        generation_id=row[2],
        content_type=row[3],
        size_bytes=int(row[4]),
        width=row[5],
        height=row[6],
        created_at=utc(row[8]),
    )


class SqlGenerationRepository(GenerationRepository):
    """`changes` collects what each write does to the counts by kind and status; the unit
    of work applies them once it has committed."""

    def __init__(self, worker: Executor, changes: list[Change]) -> None:
        self._worker = worker
        self._changes = changes

    async def add(self, generation: Generation) -> None:
        await self._worker.execute(
            f"INSERT INTO generations ({GENERATION_COLUMNS}) VALUES ({_marks(19)})",
            generation_params(generation),
        )
        self._changes.append(((generation.kind.value, generation.status.value), 1))
        for position, ref in enumerate(generation.media):
            await self._worker.execute(
                f"INSERT INTO media ({MEDIA_COLUMNS}) VALUES ({_marks(9)})",
                [
                    ref.id,
                    ref.owner_id,
                    ref.generation_id,
                    ref.content_type,
                    ref.size_bytes,
                    ref.width,
                    ref.height,
                    position,
                    to_db(ref.created_at),
                ],
            )

    async def get(self, generation_id: str) -> Generation | None:
        rows = await self._worker.execute(
            f"SELECT {GENERATION_COLUMNS} FROM generations WHERE id = ?", [generation_id]
        )
        if not rows:
            return None
        media = await self._worker.execute(
            f"SELECT {MEDIA_COLUMNS} FROM media WHERE generation_id = ? ORDER BY position",
            [generation_id],
        )
        return generation_from(rows[0], tuple(media_from(row) for row in media))

    async def delete(self, generation_id: str) -> None:
        await self._worker.execute("DELETE FROM video_jobs WHERE id = ?", [generation_id])
        await self._worker.execute("DELETE FROM media WHERE generation_id = ?", [generation_id])
        self._removed(
            await self._worker.execute(
                "DELETE FROM generations WHERE id = ? RETURNING kind, status", [generation_id]
            )
        )

    async def media(self, media_id: str) -> MediaRef | None:
        rows = await self._worker.execute(
            f"SELECT {MEDIA_COLUMNS} FROM media WHERE id = ?", [media_id]
        )
        return media_from(rows[0]) if rows else None

    async def delete_for_user(self, user_id: str) -> list[MediaRef]:
        rows = await self._worker.execute(
            f"SELECT {MEDIA_COLUMNS} FROM media WHERE owner_id = ?", [user_id]
        )
        for table in USER_OWNED_TABLES:  # children first, though no foreign key forces it
            await self._worker.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id])
        await self._worker.execute("DELETE FROM media WHERE owner_id = ?", [user_id])
        self._removed(
            await self._worker.execute(
                "DELETE FROM generations WHERE user_id = ? RETURNING kind, status", [user_id]
            )
        )
        return [media_from(row) for row in rows]

    def _removed(self, rows: list[Row]) -> None:
        self._changes.extend(((kind, status), -1) for kind, status in rows)


def _marks(count: int) -> str:
    return ", ".join("?" * count)
