"""Use case: at start-up, seed the limiter's video jobs and close abandoned reservations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.budget.ledger import SpendLedger
from application.ports.budget import GenerationLimiter, SpendOverviewReader
from application.ports.system import Clock


@dataclass(frozen=True, slots=True)
class StartBudgets:
    """The video jobs still in progress count again against their users' limit (seeding is
    idempotent: with PostgreSQL every process seeds the same rows, each job counts once and
    its lapse is renewed). A
    reservation still open and older than `abandoned_after` (longer than any call may take:
    the upstream deadlines) belongs to a call the process lost in a crash: it is settled
    WHOLE, counted as spent, because the call may well have been billed. Video jobs in
    progress keep theirs (the follower settles them)."""

    ledger: SpendLedger
    reader: SpendOverviewReader
    limiter: GenerationLimiter
    clock: Clock
    abandoned_after: timedelta

    async def execute(self) -> int:
        """The number of abandoned reservations settled."""
        jobs = await self.reader.open_video_jobs()
        await self.limiter.seed_video_jobs(jobs)
        in_progress = {job_id for _, job_id in jobs}
        now = self.clock.now()
        async with self.ledger.uow as uow:
            stale = await uow.budgets.open_before(now - self.abandoned_after)
        settled = 0
        for entry in stale:
            if entry.id in in_progress:
                continue
            closed = await self.ledger.settle(
                user_id=entry.user_id, reservation_id=entry.id, cost=None, now=now
            )
            settled += closed
        return settled
