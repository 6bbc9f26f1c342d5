"""Use case: the most a generation could cost, and whether the budget allows it now."""

from __future__ import annotations

from dataclasses import dataclass

from application.budget.ledger import SpendLedger
from application.budget.spending import GenerationSpending, texts_of
from application.generation.text_requests import DEFAULT_MAX_TOKENS
from application.ports.generation import TextRequest
from application.ports.system import Clock
from domain.budgets import Budget, BudgetStatus, Money, SpendTotals, check_reservation, reservable
from domain.errors import BudgetExceededError, InvalidGenerationRequestError, PriceUnknownError
from domain.generations import check_model_id

KINDS = ("text", "image", "video")


@dataclass(frozen=True, slots=True)
class Estimate:
    max_cost: Money | None  # None: the model has no known price
    budget: BudgetStatus
    allowed: bool
    reason: str | None  # budget_exceeded or price_unknown when not allowed


@dataclass(frozen=True, slots=True)
class EstimateCost:
    """`POST /generate/estimate`: what the same request would reserve (from the model's
    catalogue prices), against the caller's budget now. Nothing is reserved or sent."""

    spending: GenerationSpending
    ledger: SpendLedger
    clock: Clock

    async def execute(
        self,
        *,
        user_id: str,
        kind: str,
        model: str,
        prompt: str | None = None,
        system: str | None = None,
        max_tokens: int | None = None,
        duration: int | None = None,
        resolution: str | None = None,
    ) -> Estimate:
        model = check_model_id(model)
        if kind == "text":
            request = TextRequest(model, prompt or "", max_tokens or DEFAULT_MAX_TOKENS, system)
            bound = await self.spending.text_bound(model, texts_of(request), request.max_tokens)
        elif kind == "image":
            bound = await self.spending.image_bound(model, prompt or "")
        elif kind == "video":
            bound = await self.spending.video_bound(model, duration, resolution)
        else:
            raise InvalidGenerationRequestError(f"kind is one of {', '.join(KINDS)}.")
        status = await self.ledger.status(user_id=user_id, now=self.clock.now())
        return Estimate(bound, status, *self._verdict(status, bound))

    def _verdict(self, status: BudgetStatus, bound: Money | None) -> tuple[bool, str | None]:
        budget = Budget(status.limit, status.period)
        try:
            amount = reservable(bound, budget)
            totals = SpendTotals(status.spent, status.reserved)
            check_reservation(budget, totals, amount, self.clock.now())
        except (BudgetExceededError, PriceUnknownError) as refused:
            return False, refused.code
        return True, None
