"""The GenerationLimiter port on both engines: requests per user per sliding minute, in
flight, active video jobs. `memory` is InMemoryGenerationLimiter (the embedded engine's one
process), `postgres` the PgGenerationLimiter on a real server; with PostgreSQL, two limiters
on one database (two processes) share the limits, and a dead process's slots lapse."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.postgres.database import PgDatabase
from adapters.postgres.limiter import PgGenerationLimiter
from application.budget.limit_generations import (
    GenerationLimits,
    InMemoryGenerationLimiter,
    held,
)
from application.errors import RateLimitedError
from application.ports.budget import GenerationLimiter
from tests.fakes import FakeClock

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


LAPSE = timedelta(minutes=10)
Make = Callable[..., tuple[GenerationLimiter, FakeClock]]  # (**limits) -> limiter, clock


@pytest.fixture(params=["memory", "postgres"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """A fresh limiter and its clock per call; with PostgreSQL all of a test's limiters
    share one database, as several processes do."""
    if request.param == "memory":

        def memory(**limits: int) -> tuple[GenerationLimiter, FakeClock]:
            clock = FakeClock(NOW)
            return InMemoryGenerationLimiter(GenerationLimits(**limits), clock), clock

        yield memory
        return
    database = PgDatabase(request.getfixturevalue("pg_url"))
    await database.open()

    def postgres(**limits: int) -> tuple[GenerationLimiter, FakeClock]:
        clock = FakeClock(NOW)
        made = PgGenerationLimiter(
            database, GenerationLimits(**limits), clock, slot_lapse=LAPSE, job_lapse=LAPSE
        )
        return made, clock

    yield postgres
    await database.close()


async def test_a_user_gets_per_minute_requests_in_any_sliding_minute(limiter: Make) -> None:
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


async def test_at_most_max_concurrent_are_in_flight_and_a_refusal_takes_no_slot(
    limiter: Make,
) -> None:
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


async def test_a_request_that_raises_frees_its_slot(limiter: Make) -> None:
    limits, _ = limiter(max_concurrent=1)
    with pytest.raises(ValueError, match="boom"):
        async with held(limits, "u1"):
            raise ValueError("boom")
    assert await limits.in_flight("u1") == 0
    async with held(limits, "u1"):
        assert await limits.in_flight("u1") == 1


async def test_video_jobs_in_progress_count_apart_up_to_their_limit(limiter: Make) -> None:
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
    assert await limits.active_video_jobs("u1") == 0


@pytest.fixture
async def database(pg_url: str) -> AsyncIterator[PgDatabase]:
    database = PgDatabase(pg_url)
    await database.open()
    yield database
    await database.close()


def process(database: PgDatabase, clock: FakeClock, **limits: int) -> PgGenerationLimiter:
    """One API process's limiter."""
    return PgGenerationLimiter(
        database, GenerationLimits(**limits), clock, slot_lapse=LAPSE, job_lapse=LAPSE
    )


async def test_postgres_parallel_requests_in_two_processes_get_max_concurrent(
    database: PgDatabase,
) -> None:
    clock = FakeClock(NOW)
    a, b = (process(database, clock, max_concurrent=3, per_minute=100) for _ in range(2))

    async def one(limits: GenerationLimiter) -> bool:
        try:
            await limits.acquire("u1")
        except RateLimitedError:
            return False
        return True

    taken = await asyncio.gather(*(one(a if n % 2 else b) for n in range(40)))
    assert sum(taken) == 3
    assert await a.in_flight("u1") == 3
    for limits in (a, b):  # each process frees the slots it took, and only those
        for _ in range(3):
            await limits.free("u1")
    assert await b.in_flight("u1") == 0


async def test_postgres_the_minute_is_shared_between_processes(database: PgDatabase) -> None:
    clock = FakeClock(NOW)
    a, b = (process(database, clock, per_minute=3, max_concurrent=10) for _ in range(2))
    for limits in (a, b, a):
        async with held(limits, "u1"):
            clock.advance(seconds=10)
    with pytest.raises(RateLimitedError) as raised:
        await b.acquire("u1")
    assert raised.value.retry_after_s == 30


async def test_postgres_a_dead_process_slots_lapse(database: PgDatabase) -> None:
    clock = FakeClock(NOW)
    dead, alive = (process(database, clock, max_concurrent=1) for _ in range(2))
    await dead.acquire("u1")
    await dead.video_job_started("u1", "j1")
    with pytest.raises(RateLimitedError):
        await alive.acquire("u1")
    clock.advance(seconds=LAPSE.total_seconds() + 1)
    async with held(alive, "u1"):
        assert await alive.in_flight("u1") == 1
    assert await alive.active_video_jobs("u1") == 0


async def test_postgres_every_process_seeds_the_same_jobs_once(database: PgDatabase) -> None:
    clock = FakeClock(NOW)
    a, b = (process(database, clock, max_active_video_jobs=2) for _ in range(2))
    await a.seed_video_jobs([("u1", "j1")])
    await b.seed_video_jobs([("u1", "j1")])
    await b.video_job_started("u1", "j2")
    with pytest.raises(RateLimitedError):
        await a.video_job_started("u1", "j3")
    await a.video_job_ended("u1", "j1")  # the follower of either process ends it
    await b.video_job_started("u1", "j3")


class CancelledOnRelease(PgDatabase):
    """Its next transaction commits, then the caller is cancelled while the connection goes
    back to the pool (a client that went away at the worst moment)."""

    armed = False

    async def release(self, connection: Any) -> None:
        await super().release(connection)
        if self.armed:
            self.armed = False
            raise asyncio.CancelledError


async def test_postgres_a_slot_taken_by_a_cancelled_call_is_not_left_behind(pg_url: str) -> None:
    database = CancelledOnRelease(pg_url)
    await database.open()
    try:
        limits = process(database, FakeClock(NOW), max_concurrent=1)
        database.armed = True
        with pytest.raises(asyncio.CancelledError):
            await limits.acquire("u1")
        assert await limits.in_flight("u1") == 0
        await limits.acquire("u1")  # the one slot is free
    finally:
        await database.close()
