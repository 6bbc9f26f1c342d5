"""DuckDB's group commit writer (adapters/sql/recording.py has the rules): a batch is
written in one transaction on one worker thread, in one INSERT statement per table."""

from __future__ import annotations

import contextlib

import duckdb

from adapters.duckdb.database import Database, _fetch
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

# Column types for the UNNEST form, in GENERATION_COLUMNS order.
_TYPES = ["VARCHAR"] * 11 + ["INTEGER"] * 3 + ["DOUBLE"] + ["VARCHAR"] * 2 + ["TIMESTAMP"] * 2
_UNNEST = ", ".join(f"UNNEST(?::{kind}[])" for kind in _TYPES)
UNNEST_FROM = 16  # rows: below, one VALUES tuple per row plans faster; above, 19 lists do


def _insert_generations(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> None:
    rows = [generation_params(g) for g in batch]
    if len(rows) < UNNEST_FROM:
        sql = f"INSERT INTO generations ({GENERATION_COLUMNS}) VALUES {values(len(rows), 19)}"
        _fetch(cursor, sql, [value for row in rows for value in row])
    else:  # 608 scalar parameters take DuckDB ~10 ms to bind; 19 list parameters ~6 ms
        sql = f"INSERT INTO generations ({GENERATION_COLUMNS}) SELECT {_UNNEST}"
        _fetch(cursor, sql, [list(column) for column in zip(*rows, strict=True)])


def _record_spend(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> None:
    spend = spend_sql(batch)
    if spend:
        _fetch(cursor, *spend)


def _write(cursor: duckdb.DuckDBPyConnection, batch: list[Generation]) -> list[Generation]:
    """One transaction for the batch, on the worker's own thread: the generations written
    (those whose user still exists)."""
    _fetch(cursor, "BEGIN TRANSACTION", [])
    try:
        alive = {row[0] for row in _fetch(cursor, *owners_sql(batch))}
        batch = [g for g in batch if g.user_id in alive]
        if batch:
            _insert_generations(cursor, batch)
        _record_spend(cursor, batch)
        media = [row for g in batch for row in media_params(g)]
        if media:
            _fetch(
                cursor,
                f"INSERT INTO media ({MEDIA_COLUMNS}) VALUES {values(len(media), 9)}",
                [value for row in media for value in row],
            )
        _fetch(cursor, "COMMIT", [])
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            cursor.execute("ROLLBACK")
        raise
    return batch


class DuckDBGroupRecorder(GroupCommitRecorder):
    def __init__(self, database: Database, locks: KeyedLocks) -> None:
        super().__init__(locks, database.generation_counts)
        self._database = database

    async def _write_batch(self, batch: list[Generation]) -> list[Generation]:
        worker = await self._database.acquire()
        try:
            return await worker.run(_write, worker.cursor, batch)
        finally:
            self._database.release(worker)
