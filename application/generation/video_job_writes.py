"""How a video job is written: stored before its one submit, then only ever saved forward."""

from __future__ import annotations

import asyncio
from typing import Protocol

from application.budget.spending import GenerationSpending
from application.locks import owner_key
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.ports.video import VideoGateway, VideoRequest
from domain.errors import Error
from domain.video_jobs import VideoJob, VideoTiming, may_move, new_job


class VideoSubmitter(Protocol):
    """What storing and submitting a job needs: the video use cases' own fields."""

    @property
    def uow(self) -> UnitOfWork: ...
    @property
    def locks(self) -> Locks: ...
    @property
    def gateway(self) -> VideoGateway: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def ids(self) -> IdGenerator: ...
    @property
    def timing(self) -> VideoTiming: ...


async def store_and_submit(
    by: VideoSubmitter,
    *,
    user_id: str,
    request: VideoRequest,
    image_source: str | None,
    spending: GenerationSpending | None = None,
) -> VideoJob:
    """A new job for `request`, stored (queued), then submitted once. security.md #35:
    committed before the submit, so an acknowledged job is never lost; a crash before the
    upstream id is saved leaves a queued job that the follower fails once `submit_grace`
    has passed, rather than submitting it again. Under the owner lock, so that a user
    deleted meanwhile gets no job (and nothing is sent upstream). With `spending`, the job
    first counts among the user's jobs in progress and reserves its most (429, 402, 422:
    nothing is stored or sent); the follower settles it when the job ends."""
    job_id = by.ids.new_id()
    if spending is None:
        return await _store_and_submit(by, job_id, user_id, request, image_source)
    options = request.options
    await spending.video_started(
        user_id,
        job_id,
        model=request.model,
        duration=options.duration,
        resolution=options.resolution,
    )
    try:
        return await _store_and_submit(by, job_id, user_id, request, image_source)
    except Error:  # refused, or never stored: not billed (a cancelled request's job is
        # stored or not; the follower ends it, and its reservation, either way)
        await asyncio.shield(spending.video_ended(user_id, job_id, billed=False))
        raise


async def _store_and_submit(
    by: VideoSubmitter, job_id: str, user_id: str, request: VideoRequest, image_source: str | None
) -> VideoJob:
    uow, locks, clock, timing = by.uow, by.locks, by.clock, by.timing
    job = new_job(
        job_id=job_id,
        user_id=user_id,
        model=request.model,
        prompt=request.prompt,
        options=request.options,
        image_source=image_source,
        now=clock.now(),
        timing=timing,
    )
    async with locks.hold(owner_key(job.user_id)), uow:
        await uow.video_jobs.add(job)
        await uow.commit()
    try:
        submitted = await by.gateway.submit_video(request)
    except Error as error:
        await save_forward(uow, locks, job.failed(error.detail, error.code, clock.now()))
        raise
    accepted = job.submitted(submitted.upstream_id, submitted.polling_url, clock.now(), timing)
    await save_forward(uow, locks, accepted)  # nothing is written if the job is gone
    return accepted


async def save_forward(uow: UnitOfWork, locks: Locks, job: VideoJob) -> bool:
    """Write `job` over the stored one if that one may still move to its status. False when
    the job was deleted meanwhile (alone or with its user: the owner lock is held, so a
    user deletion has either committed or not begun) or has already finished (then nothing
    is written)."""
    async with locks.hold(owner_key(job.user_id)), uow:
        stored = await uow.video_jobs.get(job.id)
        if stored is None or not may_move(stored.status, job.status):
            return False
        await uow.video_jobs.save(job)
        await uow.commit()
    return True
