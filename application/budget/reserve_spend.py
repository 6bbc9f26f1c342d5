"""SpendGuard: what a generation use case calls around its upstream call.

    estimate = text_cost_bound(model.pricing, texts=[system, prompt], max_tokens=...)
    async with guard.hold(user_id, estimate, generation_id=generation.id) as hold:
        result = await gateway.complete_text(request)   # only reached once reserved
        await hold.settle(result.served.usage.cost)    # as soon as the upstream answered

Leaving the block by an exception before `settle` releases the reservation (the call failed
and is not billed); leaving it normally without `settle` keeps it whole (cost unknown).
Settle as soon as the answer is in: a failure after that (storing media, recording) must
not release what was billed. Video jobs keep their reservation past the request: they call
`reserve` (reservation id = job id) and the follower settles or releases by id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from application.budget.ledger import SpendLedger
from application.ports.system import Clock, IdGenerator
from domain.budgets import Money, usd
from domain.errors import InvalidBudgetError


@dataclass(slots=True)
class SpendHold:
    """One open reservation; closed once settled or released."""

    guard: SpendGuard
    user_id: str
    id: str
    amount: Money
    closed: bool = field(default=False)

    async def settle(self, cost: float | Decimal | None) -> None:
        """Replace the reservation by `cost` (`usage.cost`; None: unknown, keep it whole)."""
        if self.closed:
            return
        self.closed = True
        await self.guard.settle(self.user_id, self.id, cost)

    async def release(self) -> None:
        if self.closed:
            return
        self.closed = True
        await self.guard.release(self.user_id, self.id)


@dataclass(frozen=True, slots=True)
class SpendGuard:
    ledger: SpendLedger
    clock: Clock
    ids: IdGenerator

    async def reserve(
        self,
        user_id: str,
        estimate: Money | None,
        *,
        reservation_id: str | None = None,
        generation_id: str | None = None,
    ) -> SpendHold:
        """Reserve `estimate` (the most the call can cost; None: the price is unknown).
        Raises BudgetExceededError or PriceUnknownError, and then nothing may go upstream."""
        entry_id = reservation_id or self.ids.new_id()
        amount = await self.ledger.reserve(
            user_id=user_id,
            reservation_id=entry_id,
            estimate=estimate,
            now=self.clock.now(),
            generation_id=generation_id,
        )
        return SpendHold(self, user_id, entry_id, amount)

    @asynccontextmanager
    async def hold(
        self, user_id: str, estimate: Money | None, *, generation_id: str | None = None
    ) -> AsyncIterator[SpendHold]:
        hold = await self.reserve(user_id, estimate, generation_id=generation_id)
        try:
            yield hold
        except BaseException:
            # shielded: a request cancelled by its client still frees its reservation
            await asyncio.shield(hold.release())
            raise
        await hold.settle(None)  # no-op when the caller settled

    async def settle(self, user_id: str, reservation_id: str, cost: float | Decimal | None) -> bool:
        amount = known_cost(cost)
        return await self.ledger.settle(
            user_id=user_id, reservation_id=reservation_id, cost=amount, now=self.clock.now()
        )

    async def release(self, user_id: str, reservation_id: str) -> bool:
        return await self.ledger.release(
            user_id=user_id, reservation_id=reservation_id, now=self.clock.now()
        )


def known_cost(cost: float | Decimal | None) -> Money | None:
    """A cost to settle with; None (keep the reservation whole) if missing or nonsense."""
    if cost is None:
        return None
    try:
        return usd(cost)
    except InvalidBudgetError:
        return None
