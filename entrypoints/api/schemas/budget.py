"""Schemas of budgets (the budget contract): money is a number of USD, up to 9 decimals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from application.budget.budget_overview import used_ratio
from application.budget.estimate_cost import Estimate
from application.ports.budget import LimitedSpend, SpendOverview
from domain.budgets import BudgetStatus
from entrypoints.api.schemas.common import StrictIn

Period = Literal["day", "week", "month", "none"]


def usd(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)


class BudgetOut(BaseModel):
    """`limit` null is unlimited (then `remaining` is null); period `none` with a limit is
    a lifetime cap (`resets_at` null). `spent` is settled this period, `reserved` open."""

    limit: float | None
    period: Period
    spent: float
    reserved: float
    remaining: float | None
    resets_at: datetime | None

    @classmethod
    def of(cls, status: BudgetStatus) -> BudgetOut:
        return cls(
            limit=usd(status.limit),
            period=status.period.value,
            spent=float(status.spent),
            reserved=float(status.reserved),
            remaining=usd(status.remaining),
            resets_at=status.resets_at,
        )


class BudgetIn(StrictIn):
    limit: Decimal | None = Field(..., ge=0, le=1_000_000_000, max_digits=19, decimal_places=9)
    period: Period


class EstimateIn(StrictIn):
    kind: Literal["text", "image", "video"]
    model: str = Field(max_length=200)
    prompt: str | None = Field(None, max_length=100_000)
    system: str | None = Field(None, max_length=100_000)
    max_tokens: int | None = Field(None, ge=1, le=1_000_000)
    duration: int | None = Field(None, ge=1, le=3600)
    resolution: str | None = Field(None, max_length=32)


class EstimateOut(BaseModel):
    """`max_cost` null: the model has no known price. Nothing was reserved or sent."""

    max_cost: float | None
    budget: BudgetOut
    allowed: bool
    reason: Literal["budget_exceeded", "price_unknown"] | None

    @classmethod
    def of(cls, estimate: Estimate) -> EstimateOut:
        return cls(
            max_cost=usd(estimate.max_cost),
            budget=BudgetOut.of(estimate.budget),
            allowed=estimate.allowed,
            reason=estimate.reason,
        )


class NearestOut(BaseModel):
    user_id: str
    email: str
    limit: float
    period: Period
    spent: float
    reserved: float
    remaining: float
    used_ratio: float

    @classmethod
    def of(cls, item: LimitedSpend) -> NearestOut:
        limit = item.budget.limit or Decimal(0)
        spent, reserved = item.totals.spent, item.totals.reserved
        return cls(
            user_id=item.user_id,
            email=item.email,
            limit=float(limit),
            period=item.budget.period.value,
            spent=float(spent),
            reserved=float(reserved),
            remaining=float(max(Decimal(0), limit - spent - reserved)),
            used_ratio=float(used_ratio(item)),
        )


class BudgetStatsOut(BaseModel):
    """`spent`: settled spend of all users in [since, until); `reserved`: open now."""

    spent: float
    reserved: float
    limited_users: int
    nearest: list[NearestOut]

    @classmethod
    def of(cls, overview: SpendOverview) -> BudgetStatsOut:
        return cls(
            spent=float(overview.spent),
            reserved=float(overview.reserved),
            limited_users=overview.limited_users,
            nearest=[NearestOut.of(item) for item in overview.nearest],
        )
