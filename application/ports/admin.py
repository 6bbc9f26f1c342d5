"""Ports of administration: the user directory, statistics and audit readers, and their pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from domain.audit import AuditEvent
from domain.users import User

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    label: str
    generations: int
    failed: int
    total_tokens: int
    cost: float


@dataclass(frozen=True, slots=True)
class Stats:
    users_total: int
    admins: int
    tokens_active: int
    tokens_revoked: int
    tokens_expired: int
    generations: dict[str, int]  # total, text, image, video, failed
    prompt_tokens: int
    completion_tokens: int
    cost: float
    since: datetime
    until: datetime
    per_day: list[Breakdown] = field(default_factory=list)
    per_model: list[Breakdown] = field(default_factory=list)
    per_user: list[Breakdown] = field(default_factory=list)
    conversations: int = 0
    conversation_messages: int = 0


class UserDirectory(Protocol):
    async def page(self, *, query: str | None, limit: int, offset: int) -> Page[User]: ...


class StatsReader(Protocol):
    async def stats(self, *, now: datetime, since: datetime, until: datetime) -> Stats: ...


class AuditReader(Protocol):
    async def page(self, *, limit: int, offset: int) -> Page[AuditEvent]: ...
