"""The spend ledger: reserve before a call goes upstream, settle or release after it.

A reservation reads the period's totals and adds its row in ONE transaction while holding
the user's owner lock (application.locks.owner_key): DuckDB's snapshot isolation would let
two parallel transactions both read the same totals and both insert (a write skew it does
not report as a conflict), so the lock is what makes "spent + reserved + amount <= limit"
hold for parallel requests. The owner lock is also held by the user deletion, so a
reservation either commits before the deletion, which takes it along, or finds the user
gone and reserves nothing. Callers must not hold that lock themselves when they call in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.errors import OwnerDeletedError
from application.locks import owner_key
from application.ports.budget import BudgetLookup, SpendEntry, SpendState
from application.ports.system import Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.budgets import (
    Budget,
    BudgetPeriod,
    BudgetStatus,
    Money,
    check_reservation,
    period_start,
    reservable,
)


@dataclass(frozen=True, slots=True)
class BudgetDefaults:
    """The server's budget for users without an override (settings
    ALLUCANGET_DEFAULT_BUDGET_USD, empty = unlimited, and ALLUCANGET_DEFAULT_BUDGET_PERIOD)."""

    budget: Budget

    @classmethod
    def unlimited(cls) -> BudgetDefaults:
        return cls(Budget(None, BudgetPeriod.MONTH))

    @classmethod
    def of(cls, limit: str | None, period: str = "month") -> BudgetDefaults:
        text = (limit or "").strip()
        return cls(Budget.of(text or None, period))


async def budget_of(uow: UnitOfWork, user_id: str, defaults: BudgetDefaults) -> Budget:
    return await uow.budgets.get(user_id) or defaults.budget


async def status_in(
    uow: UnitOfWork, user_id: str, defaults: BudgetDefaults, now: datetime
) -> BudgetStatus:
    """The user's budget and this period's spend, read inside an open unit of work."""
    budget = await budget_of(uow, user_id, defaults)
    totals = await uow.budgets.totals(user_id, period_start(budget.period, now))
    return BudgetStatus.of(budget, totals, now)


@dataclass(frozen=True, slots=True)
class SpendLedger:
    """One per request, like the use cases (its unit of work is not shared); the locks are
    the process-wide ones."""

    uow: UnitOfWork
    locks: Locks
    defaults: BudgetDefaults
    lookup: BudgetLookup | None = None  # the cached per-request read; else a unit of work

    async def reserve(
        self,
        *,
        user_id: str,
        reservation_id: str,
        estimate: Money | None,
        now: datetime,
        generation_id: str | None = None,
    ) -> Money:
        """Reserve the most the call can cost (`estimate`; None: price unknown) and return
        the amount reserved. BudgetExceededError (402), PriceUnknownError (422), or
        OwnerDeletedError when the user is gone; nothing is reserved then."""
        async with self.locks.hold(owner_key(user_id)):
            return await retry_on_conflict(
                lambda: self._reserve(user_id, reservation_id, estimate, now, generation_id)
            )

    async def _reserve(
        self,
        user_id: str,
        reservation_id: str,
        estimate: Money | None,
        now: datetime,
        generation_id: str | None,
    ) -> Money:
        async with self.uow as uow:
            if await uow.users.get(user_id) is None:
                raise OwnerDeletedError()
            budget = await budget_of(uow, user_id, self.defaults)
            amount = reservable(estimate, budget)
            totals = await uow.budgets.totals(user_id, period_start(budget.period, now))
            check_reservation(budget, totals, amount, now)
            await uow.budgets.add(
                SpendEntry(
                    reservation_id, user_id, amount, SpendState.RESERVED, now, None, generation_id
                )
            )
            await uow.commit()
        return amount

    async def settle(
        self, *, user_id: str, reservation_id: str, cost: Money | None, now: datetime
    ) -> bool:
        """Replace the reservation by what the call cost (None: unknown, keep it whole).
        False when it was already settled or released, or went with its user."""
        return await self._close(user_id, reservation_id, SpendState.SETTLED, cost, now)

    async def release(self, *, user_id: str, reservation_id: str, now: datetime) -> bool:
        """The call failed and was not billed: the reservation counts for nothing."""
        return await self._close(user_id, reservation_id, SpendState.RELEASED, None, now)

    async def budget(self, *, user_id: str) -> Budget:
        """The user's budget (their override, else the default); no lock, nothing written."""
        if self.lookup is not None:
            return await self.lookup.get(user_id) or self.defaults.budget
        async with self.uow as uow:
            return await budget_of(uow, user_id, self.defaults)

    async def record(
        self,
        *,
        user_id: str,
        entry_id: str,
        cost: Money,
        now: datetime,
        generation_id: str | None = None,
    ) -> bool:
        """What a call of an UNLIMITED user cost, written once it is known (nothing was
        reserved: nothing can be refused). False when the user is gone meanwhile."""
        async with self.locks.hold(owner_key(user_id)):
            return await retry_on_conflict(
                lambda: self._record(user_id, entry_id, cost, now, generation_id)
            )

    async def _record(
        self, user_id: str, entry_id: str, cost: Money, now: datetime, generation_id: str | None
    ) -> bool:
        async with self.uow as uow:
            if await uow.users.get(user_id) is None:
                return False
            entry = SpendEntry(entry_id, user_id, cost, SpendState.SETTLED, now, now, generation_id)
            await uow.budgets.add(entry)
            await uow.commit()
        return True

    async def status(self, *, user_id: str, now: datetime) -> BudgetStatus:
        async with self.uow as uow:
            return await status_in(uow, user_id, self.defaults, now)

    async def _close(
        self,
        user_id: str,
        reservation_id: str,
        state: SpendState,
        cost: Money | None,
        now: datetime,
    ) -> bool:
        async with self.locks.hold(owner_key(user_id)):
            return await retry_on_conflict(
                lambda: self._close_once(reservation_id, state, cost, now)
            )

    async def _close_once(
        self, reservation_id: str, state: SpendState, cost: Money | None, now: datetime
    ) -> bool:
        async with self.uow as uow:
            closed = await uow.budgets.close(reservation_id, state, cost, now)
            await uow.commit()
        return closed
