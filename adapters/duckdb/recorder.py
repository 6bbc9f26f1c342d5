"""Group commit for generations: the generations finished while one transaction commits are
written together by the next, in one statement, on one worker thread.

Every caller still waits for the COMMIT that holds its own row, so a response is never sent
before its record is durable; what is shared is the commit itself (a DuckDB commit writes the
WAL, and one commit per generation capped the API at ~80 generations/s on one core; see the
README's benchmarks). If a batch fails, its generations are written one by one so that one
bad row fails only its own caller.

A generation is written only if its user still exists, checked in the batch's transaction
while the owner locks of the batch's users are held (the user deletion holds them too): a
generation still in flight when its user was deleted is refused, failing only its caller."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import duckdb

from adapters.duckdb.database import Database, _fetch
from adapters.sql.executor import to_db
from adapters.sql.generations import GENERATION_COLUMNS, MEDIA_COLUMNS, generation_params
from application.errors import OwnerDeletedError
from application.locks import owner_key
from application.ports.generation import GenerationRecorder
from application.ports.system import Locks
from domain.generations import Generation

MAX_BATCH = 256
_Pending = tuple[Generation, "asyncio.Future[None]"]


def _values(rows: int, columns: int) -> str:
    one = "(" + ", ".join(["?"] * columns) + ")"
    return ", ".join([one] * rows)


def _media_params(generation: Generation) -> list[list[Any]]:
    return [
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
        ]
        for position, ref in enumerate(generation.media)
    ]


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


# What an UNLIMITED user's generation cost goes into the spend ledger in the generation's
# own transaction (application.budget.spending reserves nothing for them). A limited user's
# call has its reservation row (generation_id set) already: that one is not doubled.
SPEND_OF_GENERATIONS = """
INSERT INTO spend (id, user_id, amount, state, created_at, settled_at, generation_id)
SELECT g.id, g.user_id, CAST(g.cost AS DECIMAL(18, 9)), 'settled', g.created_at,
       g.finished_at, g.id
FROM generations g
WHERE g.id IN ({ids}) AND g.cost > 0 AND g.status = 'succeeded'
  AND NOT EXISTS (SELECT 1 FROM spend s WHERE s.generation_id = g.id OR s.id = g.id)
"""


def _record_spend(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> None:
    paid = [g.id for g in batch if g.usage.cost > 0]
    if paid:
        sql = SPEND_OF_GENERATIONS.format(ids=", ".join(["?"] * len(paid)))
        _fetch(cursor, sql, paid)


def _write(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> list[Generation]:
    """One transaction for the batch, on the worker's own thread: the generations written
    (those whose user still exists)."""
    _fetch(cursor, "BEGIN TRANSACTION", [])
    try:
        owners = sorted({g.user_id for g in batch})
        sql = f"SELECT id FROM users WHERE id IN ({', '.join(['?'] * len(owners))})"
        alive = {row[0] for row in _fetch(cursor, sql, owners)}
        batch = [g for g in batch if g.user_id in alive]
        if batch:
            _insert_generations(cursor, batch)
        _record_spend(cursor, batch)
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
    return batch


class DuckDBGroupRecorder(GenerationRecorder):
    def __init__(self, database: Database, locks: Locks) -> None:
        self._database = database
        self._locks = locks
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
                written = await self._commit([generation for generation, _ in batch])
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch, error)
                    continue
                for one in batch:  # find the bad row; the others are still written
                    await self._commit_alone(one)
            else:
                _settle(batch, written)

    async def _commit_alone(self, one: _Pending) -> None:
        try:
            written = await self._commit([one[0]])
        except Exception as error:
            _fail([one], error)
        else:
            _settle([one], written)

    async def _commit(self, batch: list[Generation]) -> set[str]:
        """The ids written; the others' users were deleted."""
        async with contextlib.AsyncExitStack() as owners:
            for owner in sorted({generation.user_id for generation in batch}):  # one order
                await owners.enter_async_context(self._locks.hold(owner_key(owner)))
            worker = await self._database.acquire()
            try:
                written = await worker.run(_write, worker.cursor, batch)
            finally:
                self._database.release(worker)
        self._database.generation_counts.apply(((g.kind.value, g.status.value), 1) for g in written)
        return {generation.id for generation in written}


def _settle(batch: list[_Pending], written: set[str]) -> None:
    for generation, future in batch:
        if future.done():
            continue
        if generation.id in written:
            future.set_result(None)
        else:
            future.set_exception(OwnerDeletedError())


def _fail(batch: list[_Pending], error: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)
