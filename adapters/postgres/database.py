"""The PostgreSQL database: psycopg 3's async connection pool, auto-committed reads, and a
transaction executor pinned to one pooled connection (the DuckDB Worker's counterpart).

SQL is written once in adapters/sql with `?` placeholders; `pg_sql` turns it into psycopg's
`%s` style (a literal `%` doubled), once per distinct statement."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from adapters.postgres.errors import translate
from adapters.postgres.migrate import migrate
from adapters.sql.cache import (
    BudgetCache,
    KeyCache,
    NoBudgetCache,
    NoKeyCache,
    NoUserCache,
    UserCache,
)
from adapters.sql.counts import COUNT_SQL, GenerationCounts
from adapters.sql.executor import Row

Connection = psycopg.AsyncConnection[TupleRow]


class DatabaseUnreachableError(Exception):
    """Start-up refused: the PostgreSQL server cannot be reached or its schema migrated."""


SESSION = "SET TIME ZONE 'UTC'; SET datestyle = 'ISO, YMD'"


@lru_cache(maxsize=2048)
def pg_sql(sql: str) -> bytes:
    """`?` -> `%s` outside string literals and quoted names; every `%` -> `%%`."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append("%%" if char == "%" else char)
    return "".join(out).encode()


def nul_free(params: list[Any]) -> list[Any]:
    """PostgreSQL text cannot hold NUL (U+0000), which a client may send (DuckDB keeps it):
    it is stored and compared as U+FFFD, the replacement character, rather than failing
    the request with a 500 (a prompt keeps its other characters)."""
    if not any(isinstance(value, str) and "\x00" in value for value in params):
        return params
    return [
        value.replace("\x00", "\ufffd") if isinstance(value, str) else value for value in params
    ]


async def run(connection: Connection, sql: str, params: list[Any] | None) -> list[Row]:
    """One statement; a statement that returns no rows answers its row count, as DuckDB's
    does (an UPDATE tells how many rows it changed)."""
    try:
        cursor = await connection.execute(pg_sql(sql), nul_free(params) if params else None)
        if cursor.description is not None:
            return await cursor.fetchall()
        return [(cursor.rowcount,)] if cursor.rowcount >= 0 else []
    except Exception as exc:
        raise translate(exc) from exc


class PgExecutor:
    """The statements of one transaction on one pooled connection. A failed statement aborts
    the transaction in PostgreSQL and a later COMMIT answers ROLLBACK: `failed` remembers it,
    so that the unit of work refuses to report that commit as a success."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.failed = False

    async def execute(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        try:
            return await run(self.connection, sql, params)
        except BaseException:
            self.failed = True
            raise


async def _configure(connection: Connection) -> None:
    await connection.execute(SESSION.encode())  # naive UTC timestamps, ISO dates as text


class PgDatabase:
    """Satisfies adapters.sql.executor.SqlDatabase. The pool is created closed and opens in
    the event loop that first uses it (or in `open()`, from the app's lifespan); `pool` is
    public for the other PostgreSQL adapters (locks, leases, throttle)."""

    def __init__(
        self,
        url: str,
        counts: GenerationCounts | None = None,
        *,
        min_size: int = 2,
        max_size: int = 20,
        timeout_s: float = 30.0,
    ) -> None:
        self.pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout_s,
            open=False,
            kwargs={"autocommit": True},
            configure=_configure,
            name="allucanget",
        )
        self.generation_counts = counts or GenerationCounts()
        # off for PostgreSQL: another process may change a user (per-request read instead)
        self.user_cache: UserCache = NoUserCache()
        self.key_cache: KeyCache = NoKeyCache()
        self.budget_cache: BudgetCache = NoBudgetCache()
        self._opened = False
        self._opening = asyncio.Lock()

    async def open(self) -> None:
        if self._opened:
            return
        async with self._opening:  # many first users at once open the pool once
            if not self._opened:
                try:
                    await self.pool.open(wait=True, timeout=self.pool.timeout)
                except Exception as exc:
                    raise translate(exc) from exc
                self._opened = True

    async def acquire(self) -> Connection:
        await self.open()
        try:
            return await self.pool.getconn()
        except Exception as exc:
            raise translate(exc) from exc

    async def release(self, connection: Connection) -> None:
        await self.pool.putconn(connection)

    async def read(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """One auto-committed statement."""
        connection = await self.acquire()
        try:
            return await run(connection, sql, params)
        finally:
            await asyncio.shield(self.release(connection))

    async def close(self) -> None:
        if self._opened:
            await self.pool.close()
            self._opened = False


def open_pg_database(url: str, *, min_size: int = 2, max_size: int = 20) -> PgDatabase:
    """Migrate synchronously (start-up fails fast and clearly when the server cannot be
    reached or a migration fails), read the counts once, and return the database; its pool
    opens inside the running event loop."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
            migrate(connection)
            counts = GenerationCounts(connection.execute(COUNT_SQL.encode()).fetchall())
    except psycopg.Error as exc:  # libpq's messages name the host, never the password
        raise DatabaseUnreachableError(f"cannot open the PostgreSQL database: {exc}") from exc
    return PgDatabase(url, counts, min_size=min_size, max_size=max_size)
