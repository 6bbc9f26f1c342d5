"""InMemoryGenerationLimiter's own concerns (the port's rules: the contract tests in
tests/integration/test_generation_limiter_contract.py): its defaults and its memory bound."""

from __future__ import annotations

from datetime import UTC, datetime

from application.budget.limit_generations import (
    GenerationLimits,
    InMemoryGenerationLimiter,
    held,
)
from tests.fakes import FakeClock

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def test_the_defaults_are_those_of_the_issue() -> None:
    assert GenerationLimits() == GenerationLimits(30, 4, 3)


async def test_idle_users_are_forgotten() -> None:
    clock = FakeClock(NOW)
    limits = InMemoryGenerationLimiter(GenerationLimits(), clock)
    for user in range(100):
        async with held(limits, f"u{user}"):
            pass
    assert len(limits) == 100
    clock.advance(seconds=61)
    async with held(limits, "late"):
        pass
    assert len(limits) == 1


async def test_video_jobs_that_ended_leave_nothing_behind() -> None:
    limits = InMemoryGenerationLimiter(GenerationLimits(), FakeClock(NOW))
    await limits.seed_video_jobs([("u1", "j1")])
    await limits.video_job_started("u1", "j2")
    await limits.video_job_ended("u1", "j1")
    await limits.video_job_ended("u1", "j2")
    assert len(limits) == 0
