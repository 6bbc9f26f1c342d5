"""SqlSpendReader: spend against budgets for the admin (statistics, the users' list)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.sql.executor import Row, SqlDatabase, to_db
from application.ports.budget import LimitedSpend, SpendOverview, SpendOverviewReader
from domain.budgets import Budget, BudgetPeriod, SpendTotals, usd

# Each user's budget (their override, else the default: ? limit, ? period) and the first
# instant of its current period (? day, week, month, none).
BUDGETS = """
WITH budgets_of AS (
    SELECT u.id, u.email,
           CASE WHEN b.user_id IS NULL THEN CAST(? AS DECIMAL(18, 9)) ELSE b.limit_usd END
               AS limit_usd,
           coalesce(b.period, ?) AS period
    FROM users u LEFT JOIN budgets b ON b.user_id = u.id {where}
), started AS (
    SELECT *, CASE period WHEN 'day' THEN CAST(? AS TIMESTAMP)
                          WHEN 'week' THEN CAST(? AS TIMESTAMP)
                          WHEN 'month' THEN CAST(? AS TIMESTAMP)
                          ELSE CAST(? AS TIMESTAMP) END AS since
    FROM budgets_of
)
SELECT s.id, s.email, s.limit_usd, s.period,
       coalesce(sum(p.amount) FILTER (WHERE p.state = 'settled'), 0) AS spent,
       coalesce(sum(p.amount) FILTER (WHERE p.state = 'reserved'), 0) AS reserved,
       count(*) OVER () AS limited
FROM started s LEFT JOIN spend p ON p.user_id = s.id AND p.created_at >= s.since
{limited}
GROUP BY s.id, s.email, s.limit_usd, s.period
"""
NEAREST = (
    " ORDER BY CASE WHEN s.limit_usd = 0 THEN 1e12 ELSE"
    " (coalesce(sum(p.amount) FILTER (WHERE p.state IN ('settled', 'reserved')), 0)) / s.limit_usd"
    " END DESC, s.email LIMIT ?"
)
TOTALS = (
    "SELECT coalesce(sum(amount) FILTER (WHERE state = 'settled' AND created_at >= ?"
    " AND created_at < ?), 0), coalesce(sum(amount) FILTER (WHERE state = 'reserved'), 0)"
    " FROM spend"
)


def _params(default: Budget, starts: dict[str, datetime]) -> list[Any]:
    ordered = [starts[period.value] for period in BudgetPeriod]  # day, week, month, none
    return [default.limit, default.period.value, *(to_db(start) for start in ordered)]


def _limited(row: Row) -> LimitedSpend:
    budget = Budget(None if row[2] is None else usd(row[2]), BudgetPeriod(row[3]))
    return LimitedSpend(row[0], row[1], budget, SpendTotals(usd(row[4]), usd(row[5])))


class SqlSpendReader(SpendOverviewReader):
    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def overview(
        self,
        *,
        since: datetime,
        until: datetime,
        default: Budget,
        starts: dict[str, datetime],
        nearest: int,
    ) -> SpendOverview:
        read = self._database.read
        spent, reserved = (await read(TOTALS, [to_db(since), to_db(until)]))[0]
        sql = BUDGETS.format(where="", limited="WHERE s.limit_usd IS NOT NULL") + NEAREST
        rows = await read(sql, [*_params(default, starts), nearest])
        return SpendOverview(
            spent=usd(spent),
            reserved=usd(reserved),
            limited_users=int(rows[0][6]) if rows else 0,
            nearest=[_limited(row) for row in rows],
        )

    async def open_video_jobs(self) -> list[tuple[str, str]]:
        rows = await self._database.read(
            "SELECT user_id, id FROM video_jobs WHERE next_poll_at IS NOT NULL"
        )
        return [(row[0], row[1]) for row in rows]

    async def totals_of(
        self, user_ids: list[str], default: Budget, starts: dict[str, datetime]
    ) -> dict[str, tuple[Budget, SpendTotals]]:
        if not user_ids:
            return {}
        marks = ", ".join("?" for _ in user_ids)
        sql = BUDGETS.format(where=f"WHERE u.id IN ({marks})", limited="")
        params = _params(default, starts)
        rows = await self._database.read(sql, [*params[:2], *user_ids, *params[2:]])
        found = (_limited(row) for row in rows)
        return {item.user_id: (item.budget, item.totals) for item in found}
