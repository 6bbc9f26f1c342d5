"""Use case: text-to-video."""

from __future__ import annotations

from dataclasses import dataclass

from application.budget.spending import GenerationSpending
from application.generation.list_video_models import ListVideoModels, capabilities_of
from application.generation.video_job_writes import store_and_submit
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.ports.video import VideoGateway, VideoRequest
from domain.generations import check_model_id, check_prompt
from domain.video_jobs import VideoJob, VideoTiming
from domain.video_options import VideoOptions, check_options


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
    locks: Locks
    spending: GenerationSpending | None = None

    async def execute(
        self, *, user_id: str, model: str, prompt: str, options: VideoOptions
    ) -> VideoJob:
        request = VideoRequest(check_model_id(model), check_prompt(prompt), options)
        check_options(model, options, capabilities_of(await self.catalogue.execute(), model))
        return await store_and_submit(
            self, user_id=user_id, request=request, image_source=None, spending=self.spending
        )
