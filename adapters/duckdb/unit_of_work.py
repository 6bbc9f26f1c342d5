"""DuckDBUnitOfWork: BEGIN on a pinned worker, COMMIT only when asked, ROLLBACK otherwise."""

from __future__ import annotations

import contextlib
from typing import Self

import duckdb

from adapters.duckdb.database import Database, Worker
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


class DuckDBUnitOfWork(UnitOfWork):
    users: SqlUserRepository
    refresh_tokens: SqlRefreshTokenRepository
    generations: SqlGenerationRepository
    audit: SqlAuditLog
    video_jobs: SqlVideoJobRepository
    budgets: SqlBudgetRepository
    conversations: SqlConversationRepository
    api_keys: SqlApiKeyRepository

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __aenter__(self) -> Self:
        self._worker: Worker = await self._database.acquire()
        self._dirty: set[str] = set()
        self._dirty_keys: set[str] = set()
        self._dirty_budgets: set[str] = set()
        self._open = False
        self._worker.failed = False
        try:
            await self._worker.execute("BEGIN TRANSACTION")
        except BaseException:
            # cancelled while BEGIN ran: end it on the worker's thread before reuse
            self._worker.queue(_rollback_quietly, self._worker.cursor)
            self._database.release(self._worker)
            raise
        self._open = True
        self.users = SqlUserRepository(self._worker, self._dirty)
        self.refresh_tokens = SqlRefreshTokenRepository(self._worker)
        self._changes: list[Change] = []
        self.generations = SqlGenerationRepository(self._worker, self._changes)
        self.video_jobs = SqlVideoJobRepository(self._worker, self._changes)
        self.budgets = SqlBudgetRepository(self._worker, self._dirty_budgets)
        self.conversations = SqlConversationRepository(self._worker)
        self.api_keys = SqlApiKeyRepository(self._worker, self._dirty_keys)
        self._audited: list[AuditEvent] = []
        self.audit = SqlAuditLog(self._worker, self._audited)
        return self

    async def commit(self) -> None:
        if self._worker.failed:
            raise ConflictError()  # a statement failed: DuckDB would silently roll back
        try:
            await self._worker.execute("COMMIT")  # conflicts surface here as ConflictError
            self._open = False
            log_committed(self._audited)
            self._database.generation_counts.apply(self._changes)
        finally:
            self._database.user_cache.evict(self._dirty)  # harmless if nothing changed
            self._database.key_cache.evict(self._dirty_keys)
            self._database.budget_cache.evict(self._dirty_budgets)

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self._open:
                await self._worker.run(_rollback_quietly, self._worker.cursor)
        finally:
            self._open = False
            self._database.release(self._worker)


def _rollback_quietly(cursor: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # a failed COMMIT already ended the transaction
        cursor.execute("ROLLBACK")
