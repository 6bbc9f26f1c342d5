"""Use case: text-to-video, and how any video job is stored, submitted once, and saved."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.list_video_models import ListVideoModels, capabilities_of
from application.locks import KeyedLocks, owner_key
from application.ports.system import Clock, IdGenerator, UnitOfWork
from application.ports.video import VideoGateway, VideoRequest
from domain.errors import Error
from domain.generations import check_model_id, check_prompt
from domain.video_jobs import VideoJob, VideoOptions, VideoTiming, check_options, may_move, new_job


@dataclass(frozen=True, slots=True)
class SubmitVideo:
    """Ask a video model for a clip from a prompt. Options are checked against the model's
    capabilities before anything is sent; the job is stored (queued) before OpenRouter is
    asked, and asked exactly once (a repeated submit could bill twice). A refused submit
    leaves a failed job in the history and answers the error."""

    uow: UnitOfWork
    gateway: VideoGateway
    catalogue: ListVideoModels
    clock: Clock
    ids: IdGenerator
    timing: VideoTiming
    locks: KeyedLocks

    async def execute(
        self, *, user_id: str, model: str, prompt: str, options: VideoOptions
    ) -> VideoJob:
        request = VideoRequest(check_model_id(model), check_prompt(prompt), options)
        check_options(model, options, capabilities_of(await self.catalogue.execute(), model))
        job = new_job(
            job_id=self.ids.new_id(), user_id=user_id, model=model, prompt=prompt,
            options=options, image_source=None, now=self.clock.now(), timing=self.timing,
        )  # fmt: skip
        return await store_and_submit(
            self.uow, self.locks, self.gateway, self.clock, self.timing, job, request
        )


async def store_and_submit(
    uow: UnitOfWork, locks: KeyedLocks, gateway: VideoGateway, clock: Clock,
    timing: VideoTiming, job: VideoJob, request: VideoRequest,
) -> VideoJob:  # fmt: skip
    """security.md #35: committed before the submit, so an acknowledged job is never lost;
    a crash before the upstream id is saved leaves a queued job that the follower fails
    once `submit_grace` has passed, rather than submitting it again. Under the owner lock,
    so that a user deleted meanwhile gets no job (and nothing is sent upstream)."""
    async with locks.hold(owner_key(job.user_id)), uow:
        await uow.video_jobs.add(job)
        await uow.commit()
    try:
        submitted = await gateway.submit_video(request)
    except Error as error:
        await save_forward(uow, locks, job.failed(error.detail, error.code, clock.now()))
        raise
    accepted = job.submitted(submitted.upstream_id, submitted.polling_url, clock.now(), timing)
    await save_forward(uow, locks, accepted)  # nothing is written if the job is gone
    return accepted


async def save_forward(uow: UnitOfWork, locks: KeyedLocks, job: VideoJob) -> bool:
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
