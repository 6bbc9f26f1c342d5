"""Use case: image-to-video, from an uploaded image or an image URL, plus a prompt."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from application.budget.spending import GenerationSpending
from application.errors import PayloadTooLargeError
from application.generation.list_video_models import ListVideoModels, capabilities_of
from application.generation.public_image_address import checked_image_url
from application.generation.video_job_writes import store_and_submit
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.ports.video import AddressResolver, ImageSanitizer, VideoGateway, VideoRequest
from domain.errors import InvalidGenerationRequestError
from domain.generations import check_model_id, check_prompt
from domain.video_jobs import VideoJob, VideoTiming
from domain.video_options import VideoOptions, check_options

FIRST_FRAME = "first_frame"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # api-contract.md: uploads up to 10 MiB


@dataclass(frozen=True, slots=True)
class SubmitVideoFromImage:
    """Animate an image: an upload (PNG, JPEG or WebP, checked from its bytes, re-encoded
    without metadata, sent as a data URL) or an https URL to a public address, which is
    passed on unfetched. The image is checked before anything is sent upstream; then the
    job goes like text-to-video, with the image as its first frame."""

    uow: UnitOfWork
    gateway: VideoGateway
    catalogue: ListVideoModels
    sanitizer: ImageSanitizer
    resolver: AddressResolver
    clock: Clock
    ids: IdGenerator
    timing: VideoTiming
    locks: Locks
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    spending: GenerationSpending | None = None

    async def execute(
        self,
        *,
        user_id: str,
        model: str,
        prompt: str,
        options: VideoOptions,
        image: bytes | None = None,
        image_url: str | None = None,
    ) -> VideoJob:
        check_model_id(model)
        check_prompt(prompt)
        frame, source = await self._first_frame(image, image_url)
        caps = capabilities_of(await self.catalogue.execute(), model)
        check_options(model, options, caps, frames=(FIRST_FRAME,))
        request = VideoRequest(model, prompt, options, first_frame_url=frame)
        return await store_and_submit(
            self, user_id=user_id, request=request, image_source=source, spending=self.spending
        )

    async def _first_frame(self, image: bytes | None, image_url: str | None) -> tuple[str, str]:
        """(what OpenRouter gets, what the history keeps)."""
        if image is not None and image_url is None:
            return await self._uploaded(image), "upload"
        if image_url is not None and image is None:
            url = await checked_image_url(image_url, self.resolver)
            return url, url
        raise InvalidGenerationRequestError("Send either an image file or an image_url.")

    async def _uploaded(self, image: bytes) -> str:
        if len(image) > self.max_upload_bytes:
            raise PayloadTooLargeError(
                f"The image is larger than {self.max_upload_bytes / 1048576:g} MiB."
            )
        clean = await self.sanitizer.sanitize(image)
        encoded = base64.b64encode(clean.data).decode("ascii")
        return f"data:{clean.content_type};base64,{encoded}"
