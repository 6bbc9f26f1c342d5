"""Use cases: spend against budgets for the admin (GET /admin/stats, the users' list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from application.budget.ledger import BudgetDefaults
from application.ports.budget import LimitedSpend, SpendOverview, SpendOverviewReader
from application.ports.system import Clock
from domain.budgets import BudgetPeriod, BudgetStatus, period_start

NEAREST = 5


def period_starts(now: datetime) -> dict[str, datetime]:
    return {period.value: period_start(period, now) for period in BudgetPeriod}


def used_ratio(item: LimitedSpend) -> Decimal:
    """(spent + reserved) / limit: above 1 once a lowered limit is overrun; 1 for a zero
    limit (nothing may be spent)."""
    used = item.totals.spent + item.totals.reserved
    limit = item.budget.limit
    if not limit:
        return Decimal(1)
    return used / limit


@dataclass(frozen=True, slots=True)
class GetBudgetOverview:
    """Settled spend of all users in [since, until), reservations open now, how many users
    have a limited budget, and the (up to 5) nearest to their limit this period."""

    reader: SpendOverviewReader
    clock: Clock
    defaults: BudgetDefaults

    async def execute(self, *, since: datetime, until: datetime) -> SpendOverview:
        return await self.reader.overview(
            since=since,
            until=until,
            default=self.defaults.budget,
            starts=period_starts(self.clock.now()),
            nearest=NEAREST,
        )

    def status(self, item: LimitedSpend) -> BudgetStatus:
        return BudgetStatus.of(item.budget, item.totals, self.clock.now())


@dataclass(frozen=True, slots=True)
class BudgetsOf:
    """Each listed user's budget status (a page of the users' list), in one read."""

    reader: SpendOverviewReader
    clock: Clock
    defaults: BudgetDefaults

    async def execute(self, *, user_ids: list[str]) -> dict[str, BudgetStatus]:
        now = self.clock.now()
        found = await self.reader.totals_of(user_ids, self.defaults.budget, period_starts(now))
        return {
            user_id: BudgetStatus.of(budget, totals, now)
            for user_id, (budget, totals) in found.items()
        }
