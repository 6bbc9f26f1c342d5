"""PgGenerationLimiter: the GenerationLimiter port in PostgreSQL (migration 0010), shared by
every API process, with the rules of InMemoryGenerationLimiter (application/budget).

A request's slot is a `generation_slots` row: it counts in its user's sliding minute from
`started_at`, and in flight until it is freed or, when its process died, until `held_until`
lapses (`slot_lapse`: longer than any request may take). A video job in progress is a
`video_job_slots` row until it ends (or lapses after `job_lapse`). Counting and inserting
happen under a transaction-scoped advisory lock on the user, so the limits hold across
processes; a request's slot in one round trip (`take_generation_slot`, migration 0010). A
process frees the slots it took (it remembers their ids); rows past the minute and lapsed
are deleted by the user's next request, and everybody's at most once a minute."""

from __future__ import annotations

import asyncio
import contextlib
import math
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from adapters.postgres.database import PgDatabase
from adapters.postgres.statements import Transaction, naive, rows
from application.budget.limit_generations import WINDOW_S, GenerationLimits
from application.errors import RateLimitedError
from application.ports.budget import GenerationLimiter
from application.ports.system import Clock

LOCK = b"SELECT pg_advisory_xact_lock(hashtextextended('generations ' || %s, 0))"
# one round trip, atomic across processes (migration 0010): 0 taken, -1 busy, else seconds
TAKE = "SELECT take_generation_slot(?, ?, ?, ?, ?, ?)"
# single statements, auto-committed (`?`: PgDatabase.read's placeholders)
FREE = "UPDATE generation_slots SET held_until = NULL WHERE id = ?"
IN_FLIGHT = "SELECT count(*) FROM generation_slots WHERE user_id = ? AND held_until > ?"
ACTIVE_JOBS = "SELECT count(*) FROM video_job_slots WHERE user_id = ? AND held_until > ?"
END_JOB = "DELETE FROM video_job_slots WHERE job_id = ?"
DROP = "DELETE FROM generation_slots WHERE id = ?"
JOBS = b"SELECT job_id FROM video_job_slots WHERE user_id = %s AND held_until > %s"
HOLD_JOB = b"""INSERT INTO video_job_slots (job_id, user_id, held_until) VALUES (%s, %s, %s)
    ON CONFLICT (job_id) DO UPDATE SET held_until = excluded.held_until"""
# SKIP LOCKED: a sweep never waits for (nor deadlocks with) a request's rows
PURGE_SLOTS = """DELETE FROM generation_slots WHERE id IN (SELECT id FROM generation_slots
    WHERE started_at <= ? AND (held_until IS NULL OR held_until <= ?) FOR UPDATE SKIP LOCKED)"""
PURGE_JOBS = """DELETE FROM video_job_slots WHERE job_id IN (SELECT job_id FROM video_job_slots
    WHERE held_until <= ? FOR UPDATE SKIP LOCKED)"""


class PgGenerationLimiter(GenerationLimiter):
    def __init__(
        self,
        database: PgDatabase,
        limits: GenerationLimits,
        clock: Clock,
        *,
        slot_lapse: timedelta,
        job_lapse: timedelta,
    ) -> None:
        self._database = database
        self._limits = limits
        self._clock = clock
        self._slot_lapse = slot_lapse
        self._job_lapse = job_lapse
        self._mine: dict[str, list[str]] = {}  # user -> ids of the slots this process holds
        self._swept: datetime | None = None

    async def acquire(self, user_id: str) -> None:
        now = naive(self._clock.now())
        slot_id = uuid.uuid4().hex
        await self._sweep(now)
        limits = self._limits
        params = [user_id, slot_id, now, now + self._slot_lapse]
        try:
            found = await self._database.read(
                TAKE, [*params, limits.per_minute, limits.max_concurrent]
            )
        except BaseException:
            # cancelled (or failed) once the statement ran: the slot may be taken, and
            # nobody would free it
            with contextlib.suppress(Exception):  # else it lapses
                await asyncio.shield(self._database.read(DROP, [slot_id]))
            raise
        wait = float(found[0][0])
        if wait < 0:
            raise RateLimitedError(1)
        if wait > 0:
            raise RateLimitedError(math.ceil(wait))
        self._mine.setdefault(user_id, []).append(slot_id)

    async def free(self, user_id: str) -> None:
        held = self._mine.get(user_id)
        if not held:
            return
        slot_id = held.pop()
        if not held:
            del self._mine[user_id]
        await self._database.read(FREE, [slot_id])

    async def video_job_started(self, user_id: str, job_id: str) -> None:
        now = naive(self._clock.now())
        added = False
        try:
            async with Transaction(self._database) as connection:
                await connection.execute(LOCK, [user_id])
                jobs = {job for (job,) in await rows(connection, JOBS, [user_id, now])}
                if job_id not in jobs and len(jobs) >= self._limits.max_active_video_jobs:
                    raise RateLimitedError(30)
                await connection.execute(HOLD_JOB, [job_id, user_id, now + self._job_lapse])
                added = job_id not in jobs
        except BaseException:
            if added:  # cancelled while committing: the caller will not end it
                with contextlib.suppress(Exception):  # else it lapses
                    await asyncio.shield(self._database.read(END_JOB, [job_id]))
            raise

    async def video_job_ended(self, user_id: str, job_id: str) -> None:
        await self._database.read(END_JOB, [job_id])

    async def seed_video_jobs(self, jobs: Iterable[tuple[str, str]]) -> None:
        """Idempotent: every process seeds at its start; a job counts once, its lapse renewed."""
        until = naive(self._clock.now()) + self._job_lapse
        async with Transaction(self._database) as connection:
            for user_id, job_id in sorted(jobs, key=lambda job: job[1]):  # one order: no
                await connection.execute(HOLD_JOB, [job_id, user_id, until])  # deadlock

    async def in_flight(self, user_id: str) -> int:
        found = await self._database.read(IN_FLIGHT, [user_id, naive(self._clock.now())])
        return int(found[0][0])

    async def active_video_jobs(self, user_id: str) -> int:
        found = await self._database.read(ACTIVE_JOBS, [user_id, naive(self._clock.now())])
        return int(found[0][0])

    async def _sweep(self, now: datetime) -> None:
        """Everybody's rows past the minute and lapsed, at most once a minute per process."""
        if self._swept is not None and now - self._swept < timedelta(seconds=WINDOW_S):
            return
        self._swept = now
        await self._database.read(PURGE_SLOTS, [now - timedelta(seconds=WINDOW_S), now])
        await self._database.read(PURGE_JOBS, [now])
