"""Video jobs and the budget: a job reserves at submit and keeps its reservation until the
follower sees it complete (settled at its cost) or fail (released); jobs in progress count
against the user's limit."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from application.budget.ledger import BudgetDefaults, SpendLedger
from application.budget.limit_generations import GenerationLimits, InMemoryGenerationLimiter
from application.budget.reserve_spend import SpendGuard
from application.budget.spending import GenerationSpending
from application.errors import RateLimitedError, UpstreamRejectedError
from application.ports.budget import SpendState
from application.ports.video import VideoPoll
from domain.budgets import Budget, BudgetPeriod
from domain.errors import BudgetExceededError
from domain.video_options import VideoOptions
from tests.fake_gateway import VEO
from tests.unit.conversation_kit import user
from tests.unit.world import World

SKUS = {"per-video-second-720p": "0.05", "per-video-second-1080p": "0.1"}


def spending(world: World, limit: str, jobs: int = 3) -> GenerationSpending:
    models = world.video_gateway.models
    assert isinstance(models, list)
    world.video_gateway.models = [dataclasses.replace(m, pricing=SKUS) for m in models]
    ledger = SpendLedger(
        world.uow, world.locks, BudgetDefaults(Budget(Decimal(limit), BudgetPeriod.DAY))
    )
    limiter = InMemoryGenerationLimiter(GenerationLimits(max_active_video_jobs=jobs), world.clock)
    guard = SpendGuard(ledger, world.clock, world.ids)
    return GenerationSpending(guard, limiter, world.list_models())


def entries(world: World) -> list[tuple[Decimal, SpendState]]:
    return [(e.amount, e.state) for e in world.uow.budgets.entries.values()]


async def submit(world: World, owner: str, spend: GenerationSpending) -> str:
    use_case = dataclasses.replace(world.submit_video(), spending=spend)
    options = VideoOptions(duration=4, resolution="720p")
    job = await use_case.execute(user_id=owner, model=VEO, prompt="A fox", options=options)
    return job.id


async def follow(world: World, spend: GenerationSpending) -> None:
    follower = dataclasses.replace(world.advance_video_jobs(), spending=spend)
    for _ in range(4):
        world.clock.advance(seconds=60)
        await follower.execute()


async def test_a_job_holds_its_reservation_until_it_completes(world: World) -> None:
    owner, spend = await user(world), spending(world, "1")
    await submit(world, owner, spend)
    assert entries(world) == [(Decimal("0.2"), SpendState.RESERVED)]  # 4 s x 0.05
    assert await spend.limiter.active_video_jobs(owner) == 1
    await follow(world, spend)
    assert entries(world) == [(Decimal("0.4"), SpendState.SETTLED)]  # the poll's cost
    assert await spend.limiter.active_video_jobs(owner) == 0


async def test_a_failed_job_releases_and_a_refused_one_sends_nothing(world: World) -> None:
    owner, spend = await user(world), spending(world, "0.3")
    world.video_gateway.polls = [VideoPoll("failed", error="content policy")]
    await submit(world, owner, spend)
    await follow(world, spend)
    assert entries(world) == [(Decimal("0.2"), SpendState.RELEASED)]
    world.video_gateway.submit_error = UpstreamRejectedError("no")
    with pytest.raises(UpstreamRejectedError):
        await submit(world, owner, spend)
    assert entries(world)[-1] == (Decimal("0.2"), SpendState.RELEASED)
    assert await spend.limiter.active_video_jobs(owner) == 0
    world.video_gateway.submit_error = None
    await submit(world, owner, spend)
    sent = len(world.video_gateway.submitted)
    with pytest.raises(BudgetExceededError):  # 0.2 reserved, 0.2 more would pass 0.3
        await submit(world, owner, spend)
    assert len(world.video_gateway.submitted) == sent


async def test_jobs_in_progress_are_limited(world: World) -> None:
    owner, spend = await user(world), spending(world, "10", jobs=2)
    world.video_gateway.polls = [VideoPoll("in_progress")]
    await submit(world, owner, spend)
    await submit(world, owner, spend)
    with pytest.raises(RateLimitedError):
        await submit(world, owner, spend)
    assert len(world.video_gateway.submitted) == 2


async def test_a_video_submit_counts_in_the_per_minute_window(world: World) -> None:
    owner, spend = await user(world), spending(world, "10")
    world.video_gateway.polls = [VideoPoll("in_progress")]
    for _ in range(GenerationLimits().per_minute - 1):
        await spend.limiter.acquire(owner)
        await spend.limiter.free(owner)
    await submit(world, owner, spend)
    with pytest.raises(RateLimitedError):
        await submit(world, owner, spend)
    assert (
        len(world.video_gateway.submitted) == 1
        and await spend.limiter.active_video_jobs(owner) == 1
    )
