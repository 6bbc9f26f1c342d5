"""PgVideoJobRepository: video jobs shared by several API processes, each due job polled by
the one process that holds its lease (migration 0011)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from adapters.sql.executor import to_db
from adapters.sql.video_jobs import SqlVideoJobRepository
from application.ports.video import Lease
from domain.video_jobs import VideoJob

# One statement: the due jobs nobody else holds, locked as they are picked (a job another
# process is claiming right now is skipped, not waited for), leased to us; `lease_owner = ?`
# lets a process claim its own jobs again, so a job stays with its process while it lives.
CLAIM = (
    "UPDATE video_jobs SET lease_owner = ?, lease_until = ? WHERE id IN ("
    "SELECT id FROM video_jobs WHERE next_poll_at <= ? "
    "AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?) "
    "ORDER BY next_poll_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id"
)
RENEW = (
    "UPDATE video_jobs SET lease_until = ? "
    "WHERE id = ANY(?) AND lease_owner = ? AND next_poll_at IS NOT NULL"
)


class PgVideoJobRepository(SqlVideoJobRepository):
    async def claim(self, now: datetime, limit: int, lease: Lease) -> list[VideoJob]:
        """The jobs are read by id after the claim (in this transaction, which holds their
        row locks until it commits); a job row left without its generation is deleted."""
        until, at = to_db(lease.until), to_db(now)
        rows = await self._worker.execute(CLAIM, [lease.owner, until, at, at, lease.owner, limit])
        jobs = []
        for (job_id,) in rows:
            job = await self.get(job_id)
            if job is None:
                await self._worker.execute("DELETE FROM video_jobs WHERE id = ?", [job_id])
            elif not job.status.finished:
                jobs.append(job)
        return sorted(jobs, key=lambda job: (job.next_poll_at or now, job.id))

    async def renew(self, job_ids: Sequence[str], lease: Lease) -> None:
        await self._worker.execute(RENEW, [to_db(lease.until), list(job_ids), lease.owner])

    async def release(self, owner: str) -> None:
        await self._worker.execute(
            "UPDATE video_jobs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?",
            [owner],
        )
