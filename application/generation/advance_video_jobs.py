"""Use case: one pass of the video follower over the jobs that are due."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.budget.spending import GenerationSpending
from application.errors import ConflictError, UpstreamRejectedError, UpstreamUnavailableError
from application.generation.upstream_video_status import failure_of, upstream_status
from application.generation.video_job_writes import save_forward
from application.locks import KeyedLocks
from application.ports.generation import MediaStore
from application.ports.system import Clock, IdGenerator, UnitOfWork
from application.ports.video import Lease, VideoGateway, VideoInspector, VideoPoll
from domain.errors import Error
from domain.media import MediaRef
from domain.video_jobs import VideoJob, VideoStatus, VideoTiming

LOST = "The server stopped before OpenRouter confirmed this job; it was not sent again."


@dataclass(frozen=True, slots=True)
class AdvanceVideoJobs:
    """Poll every unfinished job that is due and move it forward: the finished video goes
    into the media store, then the job completes. Jobs that failed, were cancelled or
    expired upstream, that OpenRouter no longer knows, or that passed their deadline are
    failed with a short reason. A poll that fails for a passing cause only postpones the
    job (with backoff); nothing is ever submitted again.

    With several API processes each pass claims its jobs under a lease (`owner`, `lease`):
    no other process polls them while it lasts, it is renewed (through `lease_uow`, since
    `uow` is busy with the jobs) while the pass works, and a job whose process died is
    claimed by another once its lease has lapsed."""

    uow: UnitOfWork
    gateway: VideoGateway
    media: MediaStore
    clock: Clock
    ids: IdGenerator
    timing: VideoTiming
    locks: KeyedLocks
    inspector: VideoInspector
    batch: int = 20
    max_download_failures: int = 5
    spending: GenerationSpending | None = None  # a finished job settles its reservation
    owner: str = "this-process"
    lease: timedelta = timedelta(seconds=60)
    lease_uow: UnitOfWork | None = field(default=None, repr=False)

    async def execute(self) -> int:
        """The number of jobs looked at."""
        now = self.clock.now()
        try:
            async with self.uow as uow:
                due = await uow.video_jobs.claim(now, self.batch, self._lease_from(now))
                await uow.commit()  # it may have deleted job rows left without a generation
        except ConflictError:  # a concurrent deletion or claim won: the next pass will see
            return 0
        if not due:
            return 0
        renewing = asyncio.create_task(self._keep_leases([job.id for job in due]))
        try:
            for job in due:
                try:
                    await self._advance(job)
                except Error:  # e.g. a concurrent change won: the job is simply due again
                    continue
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        return len(due)

    async def release_leases(self) -> None:
        """This process stops: the jobs it holds are free for the others at once."""
        async with self.uow as uow:
            await uow.video_jobs.release(self.owner)
            await uow.commit()

    def _lease_from(self, now: datetime) -> Lease:
        return Lease(self.owner, now + self.lease)

    async def _keep_leases(self, job_ids: Sequence[str]) -> None:
        """Renew the pass's leases every third of their length until it ends; a failed
        renewal is tried again at the next beat (the lease still runs meanwhile)."""
        if self.lease_uow is None:
            return
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                async with self.lease_uow as uow:
                    await uow.video_jobs.renew(job_ids, self._lease_from(self.clock.now()))
                    await uow.commit()
            except Error:
                continue

    async def _advance(self, job: VideoJob) -> None:
        now = self.clock.now()
        if job.upstream_id is None:
            await self._fail(job, LOST, "upstream_unavailable")
        elif now >= job.deadline:
            await self._fail(
                job, f"It did not finish within {self._deadline()}.", "upstream_timeout"
            )
        else:
            await self._poll(job, job.upstream_id)

    async def _poll(self, job: VideoJob, upstream_id: str) -> None:
        try:
            poll = await self.gateway.poll_video(upstream_id, job.polling_url)
        except (UpstreamRejectedError, UpstreamUnavailableError) as error:
            if isinstance(error, UpstreamRejectedError) or error.reason == "bad_request":
                await self._fail(job, error.detail, error.code)  # e.g. 404: job unknown
            else:
                await self._save(job.poll_failed(self.clock.now(), self.timing))
            return
        except Error:  # a timeout, or no key configured (an admin may fix it): later
            await self._save(job.poll_failed(self.clock.now(), self.timing))
            return
        status = upstream_status(poll.status)
        if status is VideoStatus.FAILED:
            await self._fail(job, *failure_of(poll))
        elif status is VideoStatus.COMPLETED:
            await self._download(job, upstream_id, poll)
        else:  # an unknown status is no news
            observed = job.observed(status or job.status, self.clock.now(), self.timing)
            await self._save(observed)

    async def _download(self, job: VideoJob, upstream_id: str, poll: VideoPoll) -> None:
        try:
            video = await self.gateway.download_video(upstream_id, poll.content_urls)
        except Error as error:
            await self._download_failed(job, error)
            return
        content_type = self.inspector.content_type(video.head)
        if content_type is None:
            await self.media.discard(video.path)
            not_video = UpstreamUnavailableError(
                "The download is not a video.", reason="bad_response"
            )
            await self._download_failed(job, not_video)
            return
        ref = MediaRef(
            id=self.ids.new_id(),
            owner_id=job.user_id,
            generation_id=job.id,
            content_type=content_type,
            size_bytes=video.size,
            width=None,
            height=None,
            created_at=self.clock.now(),
        )
        await self.media.adopt(ref, video.path)
        try:
            stored = await self._save(job.completed(ref, poll.cost, self.clock.now()))
        except BaseException:
            await self.media.delete([ref])  # no file without its row
            raise
        if self.spending is not None:  # made, so billed (deleted meanwhile or not)
            await self.spending.video_ended(job.user_id, job.id, billed=True, cost=poll.cost)
        if not stored:  # deleted meanwhile
            await self.media.delete([ref])

    async def _download_failed(self, job: VideoJob, error: Error) -> None:
        if job.download_failures + 1 >= self.max_download_failures:
            reason = f"The video was made but could not be downloaded: {error.detail}"
            await self._fail(job, reason, error.code)
        else:
            await self._save(job.download_failed(self.clock.now(), self.timing))

    def _deadline(self) -> str:
        seconds = round(self.timing.deadline.total_seconds())
        return f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"

    async def _fail(self, job: VideoJob, reason: str, code: str) -> None:
        await self._save(job.failed(reason, code, self.clock.now()))
        if self.spending is not None:  # after the save: settling takes the owner lock
            await self.spending.video_ended(job.user_id, job.id, billed=False)

    async def _save(self, job: VideoJob) -> bool:
        """False if the job is gone (deleted, alone or with its user) or already finished."""
        return await save_forward(self.uow, self.locks, job)
