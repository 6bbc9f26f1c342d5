"""PgUnitOfWork: BEGIN on a pooled connection, COMMIT only when asked, ROLLBACK otherwise.

Transactions run at REPEATABLE READ, PostgreSQL's snapshot isolation: the same rules as
DuckDB's optimistic transactions, which the use cases are written for. Two transactions that
update the same row: the second fails with a serialization failure (ConflictError), and
application.retry runs it again on a fresh snapshot."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Self

from adapters.postgres.database import Connection, PgDatabase, PgExecutor
from adapters.postgres.refresh_tokens import PgRefreshTokenRepository
from adapters.postgres.user_events import CHANNEL
from adapters.postgres.video_jobs import PgVideoJobRepository
from adapters.sql.api_keys import SqlApiKeyRepository
from adapters.sql.audit import SqlAuditLog, log_committed
from adapters.sql.budgets import SqlBudgetRepository
from adapters.sql.conversations import SqlConversationRepository
from adapters.sql.counts import Change
from adapters.sql.generations import SqlGenerationRepository
from adapters.sql.refresh_tokens import SqlRefreshTokenRepository
from adapters.sql.users import SqlUserRepository
from adapters.sql.video_jobs import SqlVideoJobRepository
from application.errors import ConflictError
from application.ports.system import UnitOfWork
from domain.audit import AuditEvent

BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ"
NOTIFY = f"SELECT pg_notify('{CHANNEL}', id) FROM unnest(?::text[]) AS changed(id)"


class PgUnitOfWork(UnitOfWork):
    users: SqlUserRepository
    refresh_tokens: SqlRefreshTokenRepository
    generations: SqlGenerationRepository
    audit: SqlAuditLog
    video_jobs: SqlVideoJobRepository
    budgets: SqlBudgetRepository
    conversations: SqlConversationRepository
    api_keys: SqlApiKeyRepository

    def __init__(self, database: PgDatabase) -> None:
        self._database = database

    async def __aenter__(self) -> Self:
        connection = await self._database.acquire()
        self._executor = PgExecutor(connection)
        self._open = False
        try:
            await self._executor.execute(BEGIN)
        except BaseException:
            await asyncio.shield(self._release(connection))
            raise
        self._open = True
        worker = self._executor
        self._dirty: set[str] = set()
        self.users = SqlUserRepository(worker, self._dirty)
        self.refresh_tokens = PgRefreshTokenRepository(worker)
        self._changes: list[Change] = []
        self.generations = SqlGenerationRepository(worker, self._changes)
        self.video_jobs = PgVideoJobRepository(worker, self._changes)
        self.budgets = SqlBudgetRepository(worker)
        self.conversations = SqlConversationRepository(worker)
        self.api_keys = SqlApiKeyRepository(worker)
        self._audited: list[AuditEvent] = []
        self.audit = SqlAuditLog(worker, self._audited)
        return self

    async def commit(self) -> None:
        if self._executor.failed:
            raise ConflictError()  # a statement failed: PostgreSQL would answer ROLLBACK
        if self._dirty:  # other processes' user caches hear of it if, and when, it commits
            await self._executor.execute(NOTIFY, [sorted(self._dirty)])
        try:
            await self._executor.execute("COMMIT")
        finally:
            self._open = False  # committed, or ended by the failure
        log_committed(self._audited)
        self._database.generation_counts.apply(self._changes)
        self._database.user_cache.evict(self._dirty)

    async def __aexit__(self, *exc: object) -> None:
        connection = self._executor.connection
        await asyncio.shield(self._end(connection))

    async def _end(self, connection: Connection) -> None:
        try:
            if self._open:
                with contextlib.suppress(Exception):
                    await connection.execute(b"ROLLBACK")
        finally:
            self._open = False
            await self._release(connection)

    async def _release(self, connection: Connection) -> None:
        await self._database.release(connection)
