"""PgAdvisoryLocks: the Locks port across every API process sharing one PostgreSQL.

A key is held in two steps: first the in-process lock (KeyedLocks), so that within one
process a single task per key waits in the database; then a session advisory lock
`pg_advisory_lock(hashtextextended(key, 0))` on a connection of the locks' OWN small pool,
so that lock holders never take (and can never starve) the connections that queries need.

A task that already holds a key takes further keys on the same connection (the recorder
holds the owners of a whole batch; a deletion holds the admins, the user and the owner):
each task uses one lock connection at most, so tasks waiting for a pooled connection never
hold one, and the pool cannot deadlock on itself. Advisory locks never leak on a returned
connection: leaving the outermost hold unlocks everything the connection holds, and the
pool's reset does it again for a connection returned after a cancellation or an error. A
lock lost with its connection (the server restarted) is not noticed by its holder."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from adapters.postgres.errors import translate
from application.locks import KeyedLocks
from application.ports.system import Locks

Connection = psycopg.AsyncConnection[TupleRow]
LOCK = b"SELECT pg_advisory_lock(hashtextextended(%s, 0))"
UNLOCK = b"SELECT pg_advisory_unlock(hashtextextended(%s, 0))"
UNLOCK_ALL = b"SELECT pg_advisory_unlock_all()"


async def _unlock_all(connection: Connection) -> None:
    """The pool's reset: a connection goes back to the pool holding no advisory lock."""
    await connection.execute(UNLOCK_ALL)


@dataclass(frozen=True, slots=True)
class _Holder:
    connection: Connection
    task: asyncio.Task[object] | None


class PgAdvisoryLocks(Locks):
    def __init__(self, url: str, *, size: int = 10, timeout_s: float = 30.0) -> None:
        self._local = KeyedLocks()
        self.pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=size,
            timeout=timeout_s,
            open=False,
            kwargs={"autocommit": True},
            reset=_unlock_all,
            name="allucanget-locks",
        )
        self._holder: ContextVar[_Holder | None] = ContextVar("pg_lock_holder", default=None)
        self._opened = False
        self._opening: asyncio.Lock | None = None

    async def open(self) -> None:
        """Open the pool in the running loop, once, however many holders arrive at once."""
        if self._opened:
            return
        self._opening = self._opening or asyncio.Lock()
        async with self._opening:
            if self._opened:
                return
            try:
                await self.pool.open(wait=True, timeout=self.pool.timeout)
            except Exception as exc:
                raise translate(exc) from exc
            self._opened = True

    async def close(self) -> None:
        if self._opened:
            await self.pool.close()
            self._opened = False

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._local.hold(key):
            holder = self._holder.get()
            if holder is not None and holder.task is asyncio.current_task():
                async with _locked(holder.connection, key, UNLOCK):
                    yield
                return
            await self.open()
            try:
                connection = await self.pool.getconn()
            except Exception as exc:
                raise translate(exc) from exc
            token = self._holder.set(_Holder(connection, asyncio.current_task()))
            try:
                async with _locked(connection, key, UNLOCK_ALL):
                    yield
            finally:
                self._holder.reset(token)
                await asyncio.shield(self.pool.putconn(connection))

    def __len__(self) -> int:
        """Keys held or waited for in this process."""
        return len(self._local)


@asynccontextmanager
async def _locked(connection: Connection, key: str, unlock: bytes) -> AsyncIterator[None]:
    key = key.replace("\x00", "\ufffd")  # text holds no NUL (a key may come from a path)
    try:
        await connection.execute(LOCK, [key])
    except Exception as exc:
        raise translate(exc) from exc
    try:
        yield
    finally:
        params = [key] if unlock is UNLOCK else None
        # a connection gone takes its locks with it; otherwise the pool's reset unlocks
        with contextlib.suppress(psycopg.Error):
            await asyncio.shield(connection.execute(unlock, params))
