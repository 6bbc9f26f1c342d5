"""The JSON shapes of the API's admin routes (api-contract.md, Admin)."""

from __future__ import annotations

from typing import TypedDict


class UserCounts(TypedDict):
    total: int
    admins: int


class TokenCounts(TypedDict):
    active: int
    revoked: int
    expired: int


class GenerationCounts(TypedDict):
    total: int
    text: int
    image: int
    video: int
    failed: int


class UsageTotals(TypedDict):
    prompt_tokens: int
    completion_tokens: int
    cost: float


class Breakdown(TypedDict):
    key: str
    label: str
    generations: int
    failed: int
    total_tokens: int
    cost: float


class Stats(TypedDict):
    users: UserCounts
    refresh_tokens: TokenCounts
    generations: GenerationCounts
    usage: UsageTotals
    since: str
    until: str
    per_day: list[Breakdown]
    per_model: list[Breakdown]
    per_user: list[Breakdown]


class Account(TypedDict):
    """The API's User, as the users table lists it."""

    id: str
    email: str
    role: str
    created_at: str


class UserPage(TypedDict):
    data: list[Account]
    total: int


class AuditEvent(TypedDict):
    id: str
    at: str
    action: str
    actor_id: str | None
    target_id: str | None
    outcome: str
    detail: str | None


class AuditPage(TypedDict):
    data: list[AuditEvent]
    total: int
