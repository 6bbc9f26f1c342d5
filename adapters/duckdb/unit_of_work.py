"""DuckDBUnitOfWork: BEGIN on a pinned worker, COMMIT only when asked, ROLLBACK otherwise."""

from __future__ import annotations

import contextlib
from typing import Self

import duckdb

from adapters.duckdb.api_keys import DuckDBApiKeyRepository
from adapters.duckdb.audit import DuckDBAuditLog, log_committed
from adapters.duckdb.budgets import DuckDBBudgetRepository
from adapters.duckdb.conversations import DuckDBConversationRepository
from adapters.duckdb.counts import Change
from adapters.duckdb.database import Database, Worker
from adapters.duckdb.generations import DuckDBGenerationRepository
from adapters.duckdb.refresh_tokens import DuckDBRefreshTokenRepository
from adapters.duckdb.users import DuckDBUserRepository
from adapters.duckdb.video_jobs import DuckDBVideoJobRepository
from application.errors import ConflictError
from application.ports.system import UnitOfWork
from domain.audit import AuditEvent


class DuckDBUnitOfWork(UnitOfWork):
    users: DuckDBUserRepository
    refresh_tokens: DuckDBRefreshTokenRepository
    generations: DuckDBGenerationRepository
    audit: DuckDBAuditLog
    video_jobs: DuckDBVideoJobRepository
    budgets: DuckDBBudgetRepository
    conversations: DuckDBConversationRepository
    api_keys: DuckDBApiKeyRepository

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __aenter__(self) -> Self:
        self._worker: Worker = await self._database.acquire()
        self._dirty: set[str] = set()
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
        self.users = DuckDBUserRepository(self._worker, self._dirty)
        self.refresh_tokens = DuckDBRefreshTokenRepository(self._worker)
        self._changes: list[Change] = []
        self.generations = DuckDBGenerationRepository(self._worker, self._changes)
        self.video_jobs = DuckDBVideoJobRepository(self._worker, self._changes)
        self.budgets = DuckDBBudgetRepository(self._worker)
        self.conversations = DuckDBConversationRepository(self._worker)
        self.api_keys = DuckDBApiKeyRepository(self._worker)
        self._audited: list[AuditEvent] = []
        self.audit = DuckDBAuditLog(self._worker, self._audited)
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
