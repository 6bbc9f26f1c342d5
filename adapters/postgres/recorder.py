"""PostgreSQL's group commit writer (adapters/sql/recording.py has the rules): a batch is
written in one transaction on one pooled connection, one multi-row INSERT per table, so
that concurrent generations share one write-ahead log flush."""

from __future__ import annotations

import asyncio
import contextlib

from adapters.postgres.database import PgDatabase, PgExecutor
from adapters.sql.generations import GENERATION_COLUMNS, MEDIA_COLUMNS, generation_params
from adapters.sql.recording import (
    GroupCommitRecorder,
    media_params,
    owners_sql,
    spend_sql,
    values,
)
from application.locks import KeyedLocks
from domain.generations import Generation


async def write(executor: PgExecutor, batch: list[Generation]) -> list[Generation]:
    """The batch's statements inside an open transaction: the generations written (those
    whose user still exists)."""
    alive = {row[0] for row in await executor.execute(*owners_sql(batch))}
    batch = [g for g in batch if g.user_id in alive]
    if not batch:
        return batch
    rows = [generation_params(g) for g in batch]
    await executor.execute(
        f"INSERT INTO generations ({GENERATION_COLUMNS}) VALUES {values(len(rows), 19)}",
        [value for row in rows for value in row],
    )
    spend = spend_sql(batch)
    if spend:
        await executor.execute(*spend)
    media = [row for g in batch for row in media_params(g)]
    if media:
        await executor.execute(
            f"INSERT INTO media ({MEDIA_COLUMNS}) VALUES {values(len(media), 9)}",
            [value for row in media for value in row],
        )
    return batch


class PgGroupRecorder(GroupCommitRecorder):
    def __init__(self, database: PgDatabase, locks: KeyedLocks, max_batch: int = 256) -> None:
        super().__init__(locks, database.generation_counts)
        self._database = database
        self.max_batch = max_batch  # 1: a transaction per generation (measured in bench/)

    async def _write_batch(self, batch: list[Generation]) -> list[Generation]:
        connection = await self._database.acquire()
        executor = PgExecutor(connection)
        try:
            await executor.execute("BEGIN")
            written = await write(executor, batch)
            await executor.execute("COMMIT")
            return written
        except BaseException:
            with contextlib.suppress(Exception):
                await asyncio.shield(connection.execute(b"ROLLBACK"))
            raise
        finally:
            await asyncio.shield(self._database.release(connection))
