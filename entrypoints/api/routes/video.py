"""Video routes: text-to-video, image-to-video, and the job's state."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from application.generation.get_video import GetVideo
from application.generation.submit_video import SubmitVideo
from application.generation.submit_video_from_image import SubmitVideoFromImage
from entrypoints.api.deps import CurrentCaller, Provided
from entrypoints.api.problems import AUTHED, SPEND, UPSTREAM, documented
from entrypoints.api.schemas.video import VideoIn, VideoOut, from_image_request_body
from entrypoints.api.video_input import read_from_image
from entrypoints.settings import Settings

router = APIRouter(tags=["video"])
UPLOAD = ("payload_too_large", "unsupported_media_type", "invalid_image", "invalid_url")


@router.post(
    "/generate/video",
    status_code=status.HTTP_202_ACCEPTED,
    **documented(SubmitVideo, *AUTHED, *SPEND, *UPSTREAM, "payload_too_large", "conflict"),
)
async def submit_video(
    body: VideoIn, caller: CurrentCaller, submit: Provided[SubmitVideo]
) -> VideoOut:
    job = await submit.execute(
        user_id=caller.user.id, model=body.model, prompt=body.prompt, options=body.options()
    )
    return VideoOut.of(job)


@router.post(
    "/generate/video/from-image",
    status_code=status.HTTP_202_ACCEPTED,
    **documented(SubmitVideoFromImage, *AUTHED, *SPEND, *UPSTREAM, *UPLOAD, "conflict"),
    openapi_extra={"requestBody": from_image_request_body()},
)
async def submit_video_from_image(
    request: Request,
    caller: CurrentCaller,
    submit: Provided[SubmitVideoFromImage],
    settings: Provided[Settings],
) -> VideoOut:
    given = await read_from_image(request, settings.upload_max_bytes)
    job = await submit.execute(
        user_id=caller.user.id,
        model=given.body.model,
        prompt=given.body.prompt,
        options=given.body.options(),
        image=given.image,
        image_url=given.body.image_url,
    )
    return VideoOut.of(job)


@router.get(
    "/generate/video/{job_id}",
    **documented(GetVideo, *AUTHED, "not_found"),
)
async def get_video(job_id: str, caller: CurrentCaller, get: Provided[GetVideo]) -> VideoOut:
    job = await get.execute(job_id=job_id, user_id=caller.user.id, is_admin=caller.is_admin)
    return VideoOut.of(job)
