"""SqlBudgetRepository: budget overrides and the spend ledger, inside a unit of work."""

from __future__ import annotations

from datetime import datetime

from adapters.sql.executor import Executor, Row, from_db, to_db, utc
from application.ports.budget import BudgetRepository, SpendEntry, SpendState
from domain.budgets import Budget, BudgetPeriod, Money, SpendTotals, usd

SPEND_COLUMNS = "id, user_id, amount, state, created_at, settled_at, generation_id"


def entry_from(row: Row) -> SpendEntry:
    return SpendEntry(
        id=row[0],
        user_id=row[1],
        amount=usd(row[2]),
        state=SpendState(row[3]),
        created_at=utc(row[4]),
        settled_at=from_db(row[5]),
        generation_id=row[6],
    )


class SqlBudgetRepository(BudgetRepository):
    """Amounts are DECIMAL(18,9) and come back as Decimal: no float touches the ledger. A
    user's rows are deleted with their generations (generations.USER_OWNED_TABLES)."""

    def __init__(self, worker: Executor) -> None:
        self._worker = worker

    async def get(self, user_id: str) -> Budget | None:
        rows = await self._worker.execute(
            "SELECT limit_usd, period FROM budgets WHERE user_id = ?", [user_id]
        )
        if not rows:
            return None
        limit, period = rows[0]
        return Budget(None if limit is None else usd(limit), BudgetPeriod(period))

    async def set(self, user_id: str, budget: Budget | None) -> None:
        if budget is None:
            await self._worker.execute("DELETE FROM budgets WHERE user_id = ?", [user_id])
            return
        await self._worker.execute(
            "INSERT INTO budgets (user_id, limit_usd, period) VALUES (?, ?, ?) ON CONFLICT "
            "(user_id) DO UPDATE SET limit_usd = excluded.limit_usd, period = excluded.period",
            [user_id, budget.limit, budget.period.value],
        )

    async def totals(self, user_id: str, since: datetime) -> SpendTotals:
        rows = await self._worker.execute(
            "SELECT coalesce(sum(amount) FILTER (WHERE state = 'settled'), 0), "
            "coalesce(sum(amount) FILTER (WHERE state = 'reserved'), 0) "
            "FROM spend WHERE user_id = ? AND created_at >= ?",
            [user_id, to_db(since)],
        )
        spent, reserved = rows[0]
        return SpendTotals(usd(spent), usd(reserved))

    async def add(self, entry: SpendEntry) -> None:
        await self._worker.execute(
            f"INSERT INTO spend ({SPEND_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                entry.id,
                entry.user_id,
                entry.amount,
                entry.state.value,
                to_db(entry.created_at),
                to_db(entry.settled_at),
                entry.generation_id,
            ],
        )

    async def get_entry(self, entry_id: str) -> SpendEntry | None:
        rows = await self._worker.execute(
            f"SELECT {SPEND_COLUMNS} FROM spend WHERE id = ?", [entry_id]
        )
        return entry_from(rows[0]) if rows else None

    async def close(
        self, entry_id: str, state: SpendState, amount: Money | None, now: datetime
    ) -> bool:
        rows = await self._worker.execute(
            "UPDATE spend SET state = ?, amount = coalesce(?::DECIMAL(18, 9), amount), "
            "settled_at = ? "
            "WHERE id = ? AND state = 'reserved' RETURNING id",
            [state.value, amount, to_db(now), entry_id],
        )
        return bool(rows)

    async def open_before(self, before: datetime) -> list[SpendEntry]:
        rows = await self._worker.execute(
            f"SELECT {SPEND_COLUMNS} FROM spend WHERE state = 'reserved' AND created_at < ?",
            [to_db(before)],
        )
        return [entry_from(row) for row in rows]
