"""GenerationSpending: the budget and the limits around one generation request.

    async with spending.text(user_id, model, texts, max_tokens, generation_id) as charge:
        result = await gateway.complete_text(request)  # only reached once allowed
        await charge.settle(cost_of(result.served.usage))

Entering takes one of the user's generation slots (429 past the per-minute or in-flight
limit) and, for a user with a limited budget, reserves the most the call can cost from the
model's catalogue prices (402 budget_exceeded, 422 price_unknown): nothing goes upstream
then. Leaving by an exception before `settle` releases the reservation; leaving without
`settle` keeps it whole (cost unknown).

An UNLIMITED user reserves nothing (no catalogue look-up, no ledger write before the call):
their spend is written once, with the generation's record (the GenerationRecorder) or, for
conversation messages and video jobs, when `settle` is given a known cost. The budget is read when
the request starts: a limit set by an admin while it runs applies from the next one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from application.budget.limit_generations import freed, held
from application.budget.reserve_spend import SpendGuard, known_cost
from application.errors import (
    ProviderNotConfiguredError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from application.generation.list_models import ListModels
from application.ports.budget import GenerationLimiter
from application.ports.generation import ModelInfo, TextRequest
from domain.budgets import Money
from domain.generations import Generation, GenerationStatus, Usage
from domain.pricing import image_cost_bound, text_cost_bound, video_cost_bound

Estimate = Callable[[], Awaitable[Money | None]]


class Charge(Protocol):
    async def settle(self, cost: float | Decimal | None) -> None: ...
    async def release(self) -> None: ...


def texts_of(request: TextRequest) -> list[str]:
    """Every text the model reads: the system prompt, earlier turns, the prompt."""
    history = [turn.content for turn in request.history]
    return [text for text in (request.system, *history, request.prompt) if text]


async def close(charge: Charge, outcome: Generation) -> None:
    """After the call: settled with its cost when answered; kept whole when a stream was
    cut after text arrived (probably billed); released when nothing came (not billed)."""
    if outcome.status is GenerationStatus.SUCCEEDED:
        await charge.settle(cost_of(outcome.usage))
    elif outcome.text:
        await charge.settle(None)
    else:
        await charge.release()


def cost_of(usage: Usage) -> float | None:
    """`usage.cost`, or None when OpenRouter did not say (the reservation is kept whole)."""
    return usage.cost if usage.cost_known else None


@dataclass(slots=True)
class UnlimitedCharge:
    """An unlimited user's call: the cost is written when known, once."""

    spending: GenerationSpending
    user_id: str
    generation_id: str | None
    closed: bool = field(default=False)

    async def settle(self, cost: float | Decimal | None) -> None:
        amount = known_cost(cost)
        if self.closed or amount is None or not amount:
            self.closed = True
            return
        self.closed = True
        guard = self.spending.guard
        await guard.ledger.record(
            user_id=self.user_id,
            entry_id=guard.ids.new_id(),
            cost=amount,
            now=guard.clock.now(),
            generation_id=self.generation_id,
        )

    async def release(self) -> None:
        self.closed = True


class RecordedCharge:
    """An unlimited user's generation whose cost the recorder writes with it."""

    async def settle(self, cost: float | Decimal | None) -> None:
        return None

    async def release(self) -> None:
        return None


RECORDED = RecordedCharge()


@dataclass(frozen=True, slots=True)
class GenerationSpending:
    guard: SpendGuard
    limiter: GenerationLimiter
    catalogue: ListModels

    async def opened(
        self,
        user_id: str,
        estimate: Estimate,
        *,
        generation_id: str | None = None,
        recorded: bool = False,
    ) -> Charge:
        """Take a slot (the caller frees it: `freed(limiter, user)`) and reserve; on refusal
        nothing is held. `recorded`: the GenerationRecorder writes an unlimited user's cost."""
        await self.limiter.acquire(user_id)
        try:
            if not (await self.guard.ledger.budget(user_id=user_id)).limited:
                return RECORDED if recorded else UnlimitedCharge(self, user_id, generation_id)
            bound = await estimate()
            return await self.guard.reserve(user_id, bound, generation_id=generation_id)
        except BaseException:
            await freed(self.limiter, user_id)
            raise

    def for_text(self, request: TextRequest) -> Estimate:
        async def estimate() -> Money | None:
            return await self.text_bound(request.model, texts_of(request), request.max_tokens)

        return estimate

    @asynccontextmanager
    async def charged(
        self, user_id: str, estimate: Estimate, *, generation_id: str | None = None
    ) -> AsyncIterator[Charge]:
        """For the generations written by the GenerationRecorder, which also writes an
        unlimited user's cost in the same transaction: nothing to write here for them."""
        async with held(self.limiter, user_id):
            if not (await self.guard.ledger.budget(user_id=user_id)).limited:
                yield RECORDED
                return
            bound = await estimate()
            async with self.guard.hold(user_id, bound, generation_id=generation_id) as hold:
                yield hold

    def text(
        self, user_id: str, request: TextRequest, *, generation_id: str | None = None
    ) -> AbstractAsyncContextManager[Charge]:
        return self.charged(user_id, self.for_text(request), generation_id=generation_id)

    def image(
        self, user_id: str, *, model: str, prompt: str, generation_id: str | None = None
    ) -> AbstractAsyncContextManager[Charge]:
        async def estimate() -> Money | None:
            return await self.image_bound(model, prompt)

        return self.charged(user_id, estimate, generation_id=generation_id)

    async def video_started(
        self,
        user_id: str,
        job_id: str,
        *,
        model: str,
        duration: int | None,
        resolution: str | None,
    ) -> None:
        """Before a video job is stored: count it among the user's jobs in progress (429
        past the limit) and, for a limited budget, reserve under the job's id until the
        follower settles it (video_ended)."""
        await self.limiter.video_job_started(user_id, job_id)
        try:
            async with held(self.limiter, user_id):  # a submit counts in the minute too
                pass
            if (await self.guard.ledger.budget(user_id=user_id)).limited:
                bound = await self.video_bound(model, duration, resolution)
                await self.guard.reserve(
                    user_id, bound, reservation_id=job_id, generation_id=job_id
                )
        except BaseException:
            await asyncio.shield(self.limiter.video_job_ended(user_id, job_id))
            raise

    async def video_ended(
        self, user_id: str, job_id: str, *, billed: bool, cost: float | None = None
    ) -> None:
        """The job finished: settled with its cost (None: kept whole) when it was made,
        released when it failed. Must not be called under the user's owner lock."""
        await self.limiter.video_job_ended(user_id, job_id)
        if not billed:
            await self.guard.release(user_id, job_id)
            return
        if not await self.guard.settle(user_id, job_id, cost):  # nothing reserved: unlimited
            await UnlimitedCharge(self, user_id, job_id).settle(cost)

    async def text_bound(
        self, model: str, texts: Iterable[str], max_tokens: int | None
    ) -> Money | None:
        info = await self.model("text", model)
        if info is None:
            return None
        return text_cost_bound(
            info.pricing,
            texts=list(texts),
            max_tokens=max_tokens,
            context_length=info.context_length,
            max_completion_tokens=info.max_completion_tokens,
        )

    async def image_bound(self, model: str, prompt: str) -> Money | None:
        info = await self.model("image", model)
        if info is None:
            return None
        return image_cost_bound(
            info.pricing,
            texts=[prompt],
            max_output_tokens=info.max_completion_tokens,
            context_length=info.context_length,
        )

    async def video_bound(
        self, model: str, duration: int | None, resolution: str | None
    ) -> Money | None:
        info = await self.model("video", model)
        if info is None:
            return None
        durations = info.video.durations if info.video is not None else ()
        return video_cost_bound(
            info.pricing, duration=duration, resolution=resolution, durations=durations
        )

    async def model(self, output: str, model_id: str) -> ModelInfo | None:
        """The model's catalogue entry; None when it is not listed or the catalogue cannot
        be had (its price is then unknown)."""
        try:
            found = await self.catalogue.execute(output=output)
        except (UpstreamUnavailableError, UpstreamTimeoutError, ProviderNotConfiguredError):
            return None
        return next((info for info in found if info.id == model_id), None)
