"""The in-memory BudgetRepository (part of FakeUnitOfWork), with DuckDB's contract."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from application.ports.budget import BudgetRepository, SpendEntry, SpendState
from domain.budgets import ZERO, Budget, Money, SpendTotals


class FakeBudgetRepository(BudgetRepository):
    def __init__(self) -> None:
        self.overrides: dict[str, Budget] = {}
        self.entries: dict[str, SpendEntry] = {}

    async def get(self, user_id: str) -> Budget | None:
        return self.overrides.get(user_id)

    async def set(self, user_id: str, budget: Budget | None) -> None:
        if budget is None:
            self.overrides.pop(user_id, None)
        else:
            self.overrides[user_id] = budget

    async def totals(self, user_id: str, since: datetime) -> SpendTotals:
        mine = [e for e in self.entries.values() if e.user_id == user_id and e.created_at >= since]
        return SpendTotals(
            sum((e.amount for e in mine if e.state is SpendState.SETTLED), ZERO),
            sum((e.amount for e in mine if e.state is SpendState.RESERVED), ZERO),
        )

    async def add(self, entry: SpendEntry) -> None:
        assert entry.id not in self.entries, "duplicate spend id"
        self.entries[entry.id] = entry

    async def get_entry(self, entry_id: str) -> SpendEntry | None:
        return self.entries.get(entry_id)

    async def close(
        self, entry_id: str, state: SpendState, amount: Money | None, now: datetime
    ) -> bool:
        entry = self.entries.get(entry_id)
        if entry is None or entry.state is not SpendState.RESERVED:
            return False
        self.entries[entry_id] = replace(
            entry, state=state, amount=entry.amount if amount is None else amount, settled_at=now
        )
        return True

    def delete_for_user(self, user_id: str) -> None:
        """Called by FakeGenerationRepository.delete_for_user, as DuckDB's deletes both."""
        self.overrides.pop(user_id, None)
        self.entries = {key: e for key, e in self.entries.items() if e.user_id != user_id}

    def snapshot(self) -> tuple[dict[str, Budget], dict[str, SpendEntry]]:
        return dict(self.overrides), dict(self.entries)  # values are frozen

    def restore(self, saved: tuple[dict[str, Budget], dict[str, SpendEntry]]) -> None:
        self.overrides, self.entries = saved

    async def open_before(self, before: datetime) -> list[SpendEntry]:
        return [
            e
            for e in self.entries.values()
            if e.state is SpendState.RESERVED and e.created_at < before
        ]
