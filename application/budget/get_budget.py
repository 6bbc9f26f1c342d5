"""Use case: a user's budget and what they spent and hold reserved this period."""

from __future__ import annotations

from dataclasses import dataclass

from application.budget.ledger import BudgetDefaults, status_in
from application.errors import NotFoundError
from application.ports.system import Clock, UnitOfWork
from domain.budgets import BudgetStatus


@dataclass(frozen=True, slots=True)
class GetBudget:
    """`GET /me/budget` (the caller's own) and the admin's view of any user; 404 for a
    user who does not exist."""

    uow: UnitOfWork
    clock: Clock
    defaults: BudgetDefaults

    async def execute(self, *, user_id: str) -> BudgetStatus:
        now = self.clock.now()
        async with self.uow as uow:
            if await uow.users.get(user_id) is None:
                raise NotFoundError()
            return await status_in(uow, user_id, self.defaults, now)
