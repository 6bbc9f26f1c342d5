"""Ports every area uses: time, ids, the transaction, the audit trail and keyed locks."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol, Self

from application.ports.api_keys import ApiKeyRepository
from application.ports.auth import RefreshTokenRepository, UserRepository
from application.ports.budget import BudgetRepository
from application.ports.conversations import ConversationRepository
from application.ports.generation import GenerationRepository
from application.ports.video import VideoJobRepository
from domain.audit import AuditEvent


class Clock(Protocol):
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


class Locks(Protocol):
    """One holder at a time per key (a user's sessions, the owner of things being written,
    the admins), in every API process that shares the database: in-process for the embedded
    DuckDB (one process), a PostgreSQL advisory lock for PostgreSQL. Not re-entrant for a
    key: a holder never takes the key it holds."""

    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...


class AuditLog(Protocol):
    async def add(self, event: AuditEvent) -> None: ...


class UnitOfWork(Protocol):
    """A transaction: leaving the block without `commit()` rolls everything back."""

    users: UserRepository
    refresh_tokens: RefreshTokenRepository
    generations: GenerationRepository
    audit: AuditLog
    video_jobs: VideoJobRepository
    budgets: BudgetRepository
    conversations: ConversationRepository
    api_keys: ApiKeyRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
