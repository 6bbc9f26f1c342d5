"""Group commit for generations: the generations finished while one transaction commits are
written together by the next, in one statement, on one worker thread.

Every caller still waits for the COMMIT that holds its own row, so a response is never sent
before its record is durable; what is shared is the commit itself (a DuckDB commit writes the
WAL, and one commit per generation capped the API at ~80 generations/s on one core; see the
README's benchmarks). If a batch fails, its generations are written one by one so that one
bad row fails only its own caller."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import duckdb

from adapters.duckdb.database import Database, _fetch, to_db
from adapters.duckdb.generations import GENERATION_COLUMNS, MEDIA_COLUMNS, generation_params
from application.ports import GenerationRecorder
from domain.generations import Generation

MAX_BATCH = 256
_Pending = tuple[Generation, "asyncio.Future[None]"]


def _values(rows: int, columns: int) -> str:
    one = "(" + ", ".join(["?"] * columns) + ")"
    return ", ".join([one] * rows)


def _media_params(generation: Generation) -> list[list[Any]]:
    return [
        [ref.id, ref.owner_id, ref.generation_id, ref.content_type, ref.size_bytes,
         ref.width, ref.height, position, to_db(ref.created_at)]
        for position, ref in enumerate(generation.media)
    ]  # fmt: skip


# Column types for the UNNEST form, in GENERATION_COLUMNS order.
_TYPES = ["VARCHAR"] * 11 + ["INTEGER"] * 3 + ["DOUBLE"] + ["VARCHAR"] * 2 + ["TIMESTAMP"] * 2
_UNNEST = ", ".join(f"UNNEST(?::{kind}[])" for kind in _TYPES)
UNNEST_FROM = 16  # rows: below, one VALUES tuple per row plans faster; above, 19 lists do


def _insert_generations(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> None:
    rows = [generation_params(g) for g in batch]
    if len(rows) < UNNEST_FROM:
        sql = f"INSERT INTO generations ({GENERATION_COLUMNS}) VALUES {_values(len(rows), 19)}"
        _fetch(cursor, sql, [value for row in rows for value in row])
    else:  # 608 scalar parameters take DuckDB ~10 ms to bind; 19 list parameters ~6 ms
        sql = f"INSERT INTO generations ({GENERATION_COLUMNS}) SELECT {_UNNEST}"
        _fetch(cursor, sql, [list(column) for column in zip(*rows, strict=True)])


def _write(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> None:
    """One transaction for the whole batch, on the worker's own thread."""
    _fetch(cursor, "BEGIN TRANSACTION", [])
    try:
        _insert_generations(cursor, batch)
        media = [row for g in batch for row in _media_params(g)]
        if media:
            _fetch(
                cursor,
                f"INSERT INTO media ({MEDIA_COLUMNS}) VALUES {_values(len(media), 9)}",
                [value for row in media for value in row],
            )
        _fetch(cursor, "COMMIT", [])
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            cursor.execute("ROLLBACK")
        raise


class DuckDBGroupRecorder(GenerationRecorder):
    def __init__(self, database: Database) -> None:
        self._database = database
        self._pending: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, generation: Generation) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((generation, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        # shielded: a caller that goes away does not cancel the batch others wait for
        await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                await self._commit([generation for generation, _ in batch])
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch, error)
                    continue
                for one in batch:  # find the bad row; the others are still written
                    await self._commit_alone(one)
            else:
                _settle(batch)

    async def _commit_alone(self, one: _Pending) -> None:
        try:
            await self._commit([one[0]])
        except Exception as error:
            _fail([one], error)
        else:
            _settle([one])

    async def _commit(self, batch: list[Generation]) -> None:
        worker = await self._database.acquire()
        try:
            await worker.run(_write, worker.cursor, batch)
        finally:
            self._database.release(worker)


def _settle(batch: list[_Pending]) -> None:
    for _, future in batch:
        if not future.done():
            future.set_result(None)


def _fail(batch: list[_Pending], error: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)
