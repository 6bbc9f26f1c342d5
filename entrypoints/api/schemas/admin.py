"""Schemas of the admin routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from application.ports.admin import Stats
from domain.budgets import BudgetStatus
from domain.users import User
from entrypoints.api.schemas.auth import UserOut
from entrypoints.api.schemas.budget import BudgetOut, BudgetStatsOut
from entrypoints.api.schemas.common import CopiedOut, StrictIn


class RoleIn(StrictIn):
    role: Literal["user", "admin"]


class UserBudgetOut(UserOut):
    """A user as the admin sees them: with their budget and this period's spend."""

    budget: BudgetOut

    @classmethod
    def with_budget(cls, user: User, status: BudgetStatus) -> UserBudgetOut:
        return cls(**UserOut.of(user).model_dump(), budget=BudgetOut.of(status))


class UserPageOut(BaseModel):
    data: list[UserBudgetOut]
    total: int


class UsersStatsOut(BaseModel):
    total: int
    admins: int


class TokensStatsOut(BaseModel):
    """Every refresh token is in exactly one bucket: `active` (usable), `revoked` (revoked by
    logout, reuse or a role change, or retired by rotation) or `expired`."""

    active: int
    revoked: int
    expired: int


class GenerationsStatsOut(BaseModel):
    total: int
    text: int
    image: int
    video: int
    failed: int


class UsageStatsOut(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    cost: float


class BreakdownOut(CopiedOut):
    key: str
    label: str
    generations: int
    failed: int
    total_tokens: int
    cost: float


class StatsOut(BaseModel):
    budgets: BudgetStatsOut | None = None
    users: UsersStatsOut
    refresh_tokens: TokensStatsOut
    generations: GenerationsStatsOut
    usage: UsageStatsOut
    conversations: int
    conversation_messages: int
    since: datetime
    until: datetime
    per_day: list[BreakdownOut]
    per_model: list[BreakdownOut]
    per_user: list[BreakdownOut]

    @classmethod
    def of(cls, s: Stats) -> StatsOut:
        return cls(
            users=UsersStatsOut(total=s.users_total, admins=s.admins),
            refresh_tokens=TokensStatsOut(
                active=s.tokens_active, revoked=s.tokens_revoked, expired=s.tokens_expired
            ),
            generations=GenerationsStatsOut(**s.generations),
            usage=UsageStatsOut(
                prompt_tokens=s.prompt_tokens, completion_tokens=s.completion_tokens, cost=s.cost
            ),
            conversations=s.conversations,
            conversation_messages=s.conversation_messages,
            since=s.since,
            until=s.until,
            per_day=[BreakdownOut.of(r) for r in s.per_day],
            per_model=[BreakdownOut.of(r) for r in s.per_model],
            per_user=[BreakdownOut.of(r) for r in s.per_user],
        )


class AuditEventOut(CopiedOut):
    id: str
    at: datetime
    action: str
    actor_id: str | None
    target_id: str | None
    outcome: str
    detail: str | None


class AuditPageOut(BaseModel):
    data: list[AuditEventOut]
    total: int
