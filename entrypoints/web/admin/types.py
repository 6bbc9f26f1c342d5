"""The JSON shapes of the API's admin routes (api-contract.md, Admin)."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from entrypoints.web.auth.types import UserJson


class UserCountsJson(TypedDict):
    total: int
    admins: int


class TokenCountsJson(TypedDict):
    active: int
    revoked: int
    expired: int


class GenerationCountsJson(TypedDict):
    total: int
    text: int
    image: int
    video: int
    failed: int


class UsageTotalsJson(TypedDict):
    prompt_tokens: int
    completion_tokens: int
    cost: float


class BreakdownJson(TypedDict):
    key: str
    label: str
    generations: int
    failed: int
    total_tokens: int
    cost: float


class NearestJson(TypedDict):
    """A limited user near their limit: (spent + reserved) / limit is `used_ratio`."""

    user_id: str
    email: str
    limit: float
    period: str
    spent: float
    reserved: float
    remaining: float | None
    used_ratio: float


class BudgetStatsJson(TypedDict):
    spent: float  # settled spend of all users within [since, until)
    reserved: float  # open now
    limited_users: int
    nearest: list[NearestJson]


class StatsJson(TypedDict):
    users: UserCountsJson
    refresh_tokens: TokenCountsJson
    generations: GenerationCountsJson
    usage: UsageTotalsJson
    since: str
    until: str
    per_day: list[BreakdownJson]
    per_model: list[BreakdownJson]
    per_user: list[BreakdownJson]
    budgets: NotRequired[BudgetStatsJson]  # budget_contract.md


class UserPageJson(TypedDict):
    data: list[UserJson]
    total: int


class AuditEventJson(TypedDict):
    id: str
    at: str
    action: str
    actor_id: str | None
    target_id: str | None
    outcome: str
    detail: str | None


class AuditPageJson(TypedDict):
    data: list[AuditEventJson]
    total: int
