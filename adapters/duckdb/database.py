"""The DuckDB database: one read-write connection, a pool of worker threads each with its
own cursor (security.md #46), and transactions pinned to one worker from BEGIN to the end."""

from __future__ import annotations

import asyncio
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from adapters.duckdb.migrate import migrate
from adapters.private import private_dir, private_file, restrict_umask
from adapters.sql.cache import BudgetCache, KeyCache, UserCache
from adapters.sql.counts import COUNT_SQL, GenerationCounts
from adapters.sql.executor import Row, UniqueViolationError
from application.errors import ConflictError, StorageUnavailableError

T = TypeVar("T")


class DatabaseLockedError(Exception):
    """Another process holds the database file (DuckDB allows one read-write process)."""


class Worker:
    """One thread and the cursor it owns; statements of a transaction all run here."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.failed = False
        self.cursor: duckdb.DuckDBPyConnection = self._executor.submit(connection.cursor).result()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args))

    async def execute(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        try:
            return await self.run(_fetch, self.cursor, sql, params or [])
        except (duckdb.Error, ConflictError, StorageUnavailableError, UniqueViolationError):
            # DuckDB aborts the transaction, and a later COMMIT silently rolls back: remember
            # it so that the unit of work refuses to report that commit as a success.
            self.failed = True
            raise

    def queue(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn` on this worker's thread after what is already queued; do not wait."""
        self._executor.submit(fn, *args)

    def close(self) -> None:
        self._executor.submit(self.cursor.close).result()
        self._executor.shutdown(wait=True)


def _fetch(cursor: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[Row]:
    try:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []
    except duckdb.ConstraintException as exc:
        if "unique" in str(exc).lower() or "primary key" in str(exc).lower():
            raise UniqueViolationError(str(exc)) from exc
        raise
    except duckdb.TransactionException as exc:  # "Conflict on update!" and friends
        raise ConflictError() from exc
    except duckdb.IOException as exc:  # disk full, read-only file: a 503, reads may still work
        raise StorageUnavailableError("The database cannot be written right now.") from exc


class Database:
    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        threads: int,
        counts: GenerationCounts | None = None,
    ) -> None:
        self._connection = connection
        self.generation_counts = counts or GenerationCounts()
        self._free: deque[Worker] = deque(Worker(connection, f"db{i}") for i in range(threads))
        self._all = list(self._free)
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[Worker]]] = deque()
        self._lock = threading.Lock()
        self.user_cache = UserCache()
        self.key_cache = KeyCache()
        self.budget_cache = BudgetCache()

    async def acquire(self) -> Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free:
                return self._free.popleft()
            waiter: asyncio.Future[Worker] = loop.create_future()
            self._waiters.append((loop, waiter))
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(waiter.result())  # handed over just as we were cancelled
            raise

    def release(self, worker: Worker) -> None:
        with self._lock:
            while self._waiters:
                loop, waiter = self._waiters.popleft()
                if not waiter.done() and not loop.is_closed():
                    loop.call_soon_threadsafe(self._hand_over, waiter, worker)
                    return
            self._free.append(worker)

    def _hand_over(self, waiter: asyncio.Future[Worker], worker: Worker) -> None:
        if waiter.done():  # cancelled meanwhile: pass the worker on
            self.release(worker)
        else:
            waiter.set_result(worker)

    async def read(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """One auto-committed read statement."""
        worker = await self.acquire()
        try:
            return await worker.execute(sql, params)
        finally:
            self.release(worker)

    def close(self) -> None:
        for worker in self._all:
            worker.close()
        try:
            self._connection.execute("CHECKPOINT")  # security.md #47: clean shutdown
        finally:
            self._connection.close()


def open_database(path: Path, threads: int = 8) -> Database:
    """Open (creating if needed) and migrate; a second opener fails fast and clearly. The
    data directory is 0700 and the database and its WAL 0600 (SECURITY.md)."""
    restrict_umask()
    private_dir(path.parent)
    try:
        # DuckDB sizes its own thread pool from the machine, not from the cores this process
        # may use; pinned to one core, 2 threads made every small transaction 30 % slower
        connection = duckdb.connect(str(path), config={"threads": len(os.sched_getaffinity(0))})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLockedError(
                f"{path} is already open in another allucanget API process; "
                "only one API process may use a data directory"
            ) from exc
        raise
    for owned in (path, path.with_name(path.name + ".wal")):
        private_file(owned)
    migrate(connection)
    counts = GenerationCounts(connection.execute(COUNT_SQL).fetchall())  # once, at start-up
    return Database(connection, threads, counts)
