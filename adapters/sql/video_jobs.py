"""SqlVideoJobRepository: a video job is its `generations` row plus a `video_jobs` row
(same id); both, and the finished video's `media` row, are written in the caller's
transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from adapters.sql.counts import Change
from adapters.sql.executor import Executor, Row, from_db, to_db, utc
from adapters.sql.generations import MEDIA_COLUMNS, SqlGenerationRepository
from application.errors import OwnerDeletedError
from application.ports.video import Lease, VideoJobRepository
from domain.generations import Generation
from domain.video_jobs import VideoJob, VideoStatus
from domain.video_options import VideoOptions

JOB_COLUMNS = (
    "upstream_id, polling_url, image_source, polls, failures, download_failures, "
    "next_poll_at, deadline, error, updated_at"
)


def _job_params(job: VideoJob) -> list[Any]:
    return [
        job.upstream_id,
        job.polling_url,
        job.image_source,
        job.polls,
        job.failures,
        job.download_failures,
        to_db(job.next_poll_at),
        to_db(job.deadline),
        job.error,
        to_db(job.updated_at),
    ]


def _options(raw: str | None) -> VideoOptions:
    try:
        values = json.loads(raw) if raw else {}
    except ValueError:
        values = {}
    known = {"duration", "resolution", "aspect_ratio", "generate_audio", "seed"}
    return VideoOptions(**{k: v for k, v in values.items() if k in known})


def job_from(g: Generation, row: Row) -> VideoJob:
    return VideoJob(
        id=g.id,
        user_id=g.user_id,
        model=g.model,
        prompt=g.prompt,
        created_at=g.created_at,
        updated_at=utc(row[9]),
        next_poll_at=from_db(row[6]),
        deadline=utc(row[7]),
        options=_options(g.options),
        image_source=row[2],
        status=VideoStatus(g.status.value),
        upstream_id=row[0],
        polling_url=row[1],
        polls=row[3],
        failures=row[4],
        download_failures=row[5],
        error=row[8],
        error_code=g.error_code,
        cost=g.usage.cost,
        video=g.media[0] if g.media else None,
        finished_at=g.finished_at,
    )


class SqlVideoJobRepository(VideoJobRepository):
    def __init__(self, worker: Executor, changes: list[Change]) -> None:
        self._worker = worker
        self._changes = changes
        self._generations = SqlGenerationRepository(worker, changes)

    async def add(self, job: VideoJob) -> None:
        """Refused (OwnerDeletedError) if the user no longer exists: the caller holds their
        owner lock, so the user deletion cannot be half-way."""
        if not await self._worker.execute("SELECT 1 FROM users WHERE id = ?", [job.user_id]):
            raise OwnerDeletedError()
        await self._generations.add(job.record())
        await self._worker.execute(
            f"INSERT INTO video_jobs (id, user_id, {JOB_COLUMNS}) "
            f"VALUES (?, ?, {', '.join('?' * 10)})",
            [job.id, job.user_id, *_job_params(job)],
        )

    async def get(self, job_id: str) -> VideoJob | None:
        generation = await self._generations.get(job_id)
        rows = await self._worker.execute(
            f"SELECT {JOB_COLUMNS} FROM video_jobs WHERE id = ?", [job_id]
        )
        if generation is None or not rows:
            return None
        return job_from(generation, rows[0])

    async def save(self, job: VideoJob) -> None:
        before = await self._worker.execute("SELECT status FROM generations WHERE id = ?", [job.id])
        await self._worker.execute(
            "UPDATE generations SET status = ?, upstream_id = ?, cost = ?, error_code = ?, "
            "finished_at = ? WHERE id = ?",
            [
                job.status.value,
                job.upstream_id,
                job.cost,
                job.error_code,
                to_db(job.finished_at),
                job.id,
            ],
        )
        for (status,) in before:  # the counts by kind and status move with it
            self._changes.extend([(("video", status), -1), (("video", job.status.value), 1)])
        assignments = ", ".join(f"{name.strip()} = ?" for name in JOB_COLUMNS.split(","))
        await self._worker.execute(
            f"UPDATE video_jobs SET {assignments} WHERE id = ?", [*_job_params(job), job.id]
        )
        if job.video is not None:
            ref = job.video
            await self._worker.execute(
                f"INSERT INTO media ({MEDIA_COLUMNS}) VALUES ({', '.join('?' * 9)}) "
                "ON CONFLICT DO NOTHING",
                [
                    ref.id,
                    ref.owner_id,
                    ref.generation_id,
                    ref.content_type,
                    ref.size_bytes,
                    ref.width,
                    ref.height,
                    0,
                    to_db(ref.created_at),
                ],
            )

    async def due(self, now: datetime, limit: int) -> list[VideoJob]:
        """Read from `video_jobs` alone (a finished job has no `next_poll_at`), so an idle
        pass costs nothing however long the history; each due job is then read by id. A
        job row left without its generation is deleted here."""
        rows = await self._worker.execute(
            "SELECT id FROM video_jobs WHERE next_poll_at <= ? ORDER BY next_poll_at, id LIMIT ?",
            [to_db(now), limit],
        )
        jobs = []
        for (job_id,) in rows:
            job = await self.get(job_id)
            if job is None:
                await self._worker.execute("DELETE FROM video_jobs WHERE id = ?", [job_id])
            elif not job.status.finished:
                jobs.append(job)
        return jobs

    async def claim(self, now: datetime, limit: int, lease: Lease) -> list[VideoJob]:
        """One process writes a DuckDB file, so there is nobody to share with: `due`."""
        return await self.due(now, limit)

    async def renew(self, job_ids: Sequence[str], lease: Lease) -> None:
        return None

    async def release(self, owner: str) -> None:
        return None
