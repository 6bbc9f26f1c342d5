"""Ports every area uses: time, ids, the transaction and the audit trail."""

from __future__ import annotations

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
