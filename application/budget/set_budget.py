"""Use case: an admin sets a user's budget (audited as `budget_change`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from application.budget.ledger import BudgetDefaults, budget_of, status_in
from application.errors import NotFoundError
from application.locks import owner_key
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.audit import AuditAction, AuditEvent
from domain.budgets import Budget, BudgetStatus


@dataclass(frozen=True, slots=True)
class SetBudget:
    """`PUT /users/{id}/budget`: `limit` None is unlimited. The override holds from the
    user's next reservation (taken under the same owner lock, so none slips past it).
    Lowering a limit below what was spent refuses further calls until the period resets;
    reservations already made stand. Admins are checked like everyone (no exemption)."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    locks: Locks
    defaults: BudgetDefaults

    async def execute(
        self, *, actor_id: str, user_id: str, limit: Decimal | str | None, period: str
    ) -> BudgetStatus:
        budget = Budget.of(limit, period)  # InvalidBudgetError (422) before any lock
        async with self.locks.hold(owner_key(user_id)):
            return await retry_on_conflict(lambda: self._set(actor_id, user_id, budget))

    async def _set(self, actor_id: str, user_id: str, budget: Budget) -> BudgetStatus:
        now = self.clock.now()
        async with self.uow as uow:
            if await uow.users.get(user_id) is None:
                raise NotFoundError()
            before = await budget_of(uow, user_id, self.defaults)
            await uow.budgets.set(user_id, budget)
            change = f"{_shown(before)} -> {_shown(budget)}"
            await uow.audit.add(
                AuditEvent(
                    self.ids.new_id(),
                    now,
                    AuditAction.BUDGET_CHANGE,
                    actor_id,
                    user_id,
                    "ok",
                    change,
                )
            )
            status = await status_in(uow, user_id, self.defaults, now)
            await uow.commit()
        return status


def _shown(budget: Budget) -> str:
    limit = "unlimited" if budget.limit is None else f"{budget.limit.normalize():f} USD"
    return f"{limit}/{budget.period}"
