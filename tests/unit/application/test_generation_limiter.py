"""GenerationLimiter: requests per user per sliding minute, in flight, active video jobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.budget.limit_generations import (
    GenerationLimits,
    InMemoryGenerationLimiter,
    held,
)
from application.errors import RateLimitedError
from tests.fakes import FakeClock

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def limiter(**limits: int) -> tuple[InMemoryGenerationLimiter, FakeClock]:
    clock = FakeClock(NOW)
    return InMemoryGenerationLimiter(GenerationLimits(**limits), clock), clock


def test_the_defaults_are_those_of_the_issue() -> None:
    assert GenerationLimits() == GenerationLimits(30, 4, 3)


async def test_a_user_gets_per_minute_requests_in_any_sliding_minute() -> None:
    limits, clock = limiter(per_minute=3, max_concurrent=10)
    for _ in range(3):
        async with held(limits, "u1"):
            clock.advance(seconds=10)
    with pytest.raises(RateLimitedError) as raised:
        await limits.acquire("u1")
    assert raised.value.retry_after_s == 30  # the first start leaves the window at 60 s
    async with held(limits, "u2"):  # others are not affected
        pass
    clock.advance(seconds=30)
    async with held(limits, "u1"):
        pass


async def test_at_most_max_concurrent_are_in_flight_and_a_refusal_takes_no_slot() -> None:
    limits, _ = limiter(per_minute=5, max_concurrent=2)
    await limits.acquire("u1")
    await limits.acquire("u1")
    for _ in range(10):
        with pytest.raises(RateLimitedError) as raised:
            await limits.acquire("u1")
        assert raised.value.retry_after_s == 1
    await limits.free("u1")
    await limits.acquire("u1")  # the refusals did not use up the minute: 3 of 5 taken
    await limits.free("u1")
    await limits.acquire("u1")
    assert await limits.in_flight("u1") == 2


async def test_a_request_that_raises_frees_its_slot() -> None:
    limits, _ = limiter(max_concurrent=1)
    with pytest.raises(ValueError, match="boom"):
        async with held(limits, "u1"):
            raise ValueError("boom")
    assert await limits.in_flight("u1") == 0
    async with held(limits, "u1"):
        assert await limits.in_flight("u1") == 1


async def test_idle_users_are_forgotten() -> None:
    limits, clock = limiter()
    for user in range(100):
        async with held(limits, f"u{user}"):
            pass
    assert len(limits) == 100
    clock.advance(seconds=61)
    async with held(limits, "late"):
        pass
    assert len(limits) == 1


async def test_video_jobs_in_progress_count_apart_up_to_their_limit() -> None:
    limits, _ = limiter(max_concurrent=1, max_active_video_jobs=2)
    await limits.seed_video_jobs([("u1", "j1")])
    await limits.video_job_started("u1", "j2")
    await limits.video_job_started("u1", "j2")  # the same job twice counts once
    with pytest.raises(RateLimitedError):
        await limits.video_job_started("u1", "j3")
    async with held(limits, "u1"):  # text and images are not held up by videos
        pass
    await limits.video_job_ended("u1", "j1")
    await limits.video_job_started("u1", "j3")
    assert await limits.active_video_jobs("u1") == 2
    await limits.video_job_ended("u1", "j2")
    await limits.video_job_ended("u1", "j3")
    assert len(limits) == 1  # only the minute window of u1's slot remains
