"""The per-user generation limits (the GenerationLimiter port) in memory, and `held`.

InMemoryGenerationLimiter serves the embedded DuckDB, whose API is one process; it is timed
by the Clock port. Per user: at most `per_minute` requests started in any sliding 60 s
window, and at most `max_concurrent` in flight; video jobs in progress count apart, up to
`max_active_video_jobs`. Beyond, RateLimitedError (429 with Retry-After). A refused request
takes no slot. Everything runs between awaits, so it is atomic on the event loop. With
PostgreSQL, adapters/postgres/limiter.py keeps the same counts in the database."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from application.errors import RateLimitedError
from application.ports.budget import GenerationLimiter
from application.ports.system import Clock

WINDOW_S = 60.0


@dataclass(frozen=True, slots=True)
class GenerationLimits:
    """Settings ALLUCANGET_GENERATIONS_PER_MINUTE, _MAX_CONCURRENT_GENERATIONS and
    _MAX_ACTIVE_VIDEO_JOBS."""

    per_minute: int = 30
    max_concurrent: int = 4
    max_active_video_jobs: int = 3


@asynccontextmanager
async def held(limiter: GenerationLimiter, user_id: str) -> AsyncIterator[None]:
    """One of the user's slots, held for the whole of one generation request."""
    await limiter.acquire(user_id)
    try:
        yield
    finally:
        await freed(limiter, user_id)


async def freed(limiter: GenerationLimiter, user_id: str) -> None:
    """Give the slot back, even when the request is being cancelled meanwhile."""
    await asyncio.shield(limiter.free(user_id))


class InMemoryGenerationLimiter(GenerationLimiter):
    def __init__(self, limits: GenerationLimits, clock: Clock) -> None:
        self._limits = limits
        self._clock = clock
        self._started: dict[str, deque[float]] = {}  # user -> start times in the window
        self._in_flight: dict[str, int] = {}
        self._video_jobs: dict[str, set[str]] = {}  # user -> ids of jobs in progress
        self._swept = 0.0

    async def acquire(self, user_id: str) -> None:
        now = self._clock.now().timestamp()
        if now - self._swept >= WINDOW_S:  # forget idle users, once a minute at most
            self._swept = now
            for user in list(self._started):
                self._window(user, now)
        started = self._window(user_id, now)
        if self._in_flight.get(user_id, 0) >= self._limits.max_concurrent:
            raise RateLimitedError(1)
        if len(started) >= self._limits.per_minute:
            raise RateLimitedError(math.ceil(started[0] + WINDOW_S - now))
        started.append(now)
        self._started[user_id] = started
        self._in_flight[user_id] = self._in_flight.get(user_id, 0) + 1

    async def free(self, user_id: str) -> None:
        left = self._in_flight.get(user_id, 0) - 1
        if left > 0:
            self._in_flight[user_id] = left
        else:
            self._in_flight.pop(user_id, None)

    async def video_job_started(self, user_id: str, job_id: str) -> None:
        """Count a job from before its submit; RateLimitedError when the user has the most
        jobs in progress (Retry-After: a poll interval or so, jobs take minutes)."""
        jobs = self._video_jobs.get(user_id, set())
        if job_id not in jobs and len(jobs) >= self._limits.max_active_video_jobs:
            raise RateLimitedError(30)
        jobs.add(job_id)
        self._video_jobs[user_id] = jobs

    async def video_job_ended(self, user_id: str, job_id: str) -> None:
        jobs = self._video_jobs.get(user_id, set())
        jobs.discard(job_id)
        if not jobs:
            self._video_jobs.pop(user_id, None)

    async def seed_video_jobs(self, jobs: Iterable[tuple[str, str]]) -> None:
        for user_id, job_id in jobs:
            self._video_jobs.setdefault(user_id, set()).add(job_id)

    async def in_flight(self, user_id: str) -> int:
        return self._in_flight.get(user_id, 0)

    async def active_video_jobs(self, user_id: str) -> int:
        return len(self._video_jobs.get(user_id, ()))

    def _window(self, user_id: str, now: float) -> deque[float]:
        """The user's start times of the last minute; users with none are forgotten."""
        started = self._started.pop(user_id, deque())
        while started and started[0] <= now - WINDOW_S:
            started.popleft()
        if started:
            self._started[user_id] = started
        return started

    def __len__(self) -> int:
        """Users with any state kept (memory bound checks)."""
        return len(self._started.keys() | self._in_flight.keys() | self._video_jobs.keys())
