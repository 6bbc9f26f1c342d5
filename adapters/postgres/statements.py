"""Short transactions of the PostgreSQL limits (throttle, generation slots) on the
database's pool, in naive UTC timestamps as every table keeps them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from adapters.postgres.database import PgDatabase
from adapters.postgres.errors import translate

Connection = psycopg.AsyncConnection[TupleRow]


def naive(moment: datetime) -> datetime:
    """The naive UTC timestamp the tables keep."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def seconds(moment: datetime) -> float:
    """A naive UTC timestamp in seconds since the epoch."""
    return moment.replace(tzinfo=UTC).timestamp()


async def rows(connection: Connection, sql: bytes, params: list[Any] | None) -> list[TupleRow]:
    cursor = await connection.execute(sql, params)
    return await cursor.fetchall()


class Transaction:
    """One transaction on one pooled connection; psycopg's errors in the application's terms."""

    def __init__(self, database: PgDatabase) -> None:
        self._database = database
        self._connection: Connection | None = None

    async def __aenter__(self) -> Connection:
        connection = await self._database.acquire()  # its errors are translated already
        try:
            await connection.execute(b"BEGIN")
        except BaseException as exc:
            await asyncio.shield(self._database.release(connection))
            if isinstance(exc, Exception):
                raise translate(exc) from exc
            raise
        self._connection = connection
        return connection

    async def __aexit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.execute(b"ROLLBACK" if error else b"COMMIT")
        except Exception as exc:
            if error is None:
                raise translate(exc) from exc
        finally:
            await asyncio.shield(self._database.release(connection))
        if isinstance(error, Exception) and (translated := translate(error)) is not error:
            raise translated from error
