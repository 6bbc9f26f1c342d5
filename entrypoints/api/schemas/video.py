"""Schemas of the video routes: VideoIn, VideoFromImageIn and the contract's VideoResponse."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.video_jobs import VideoJob
from domain.video_options import VideoOptions
from entrypoints.api.schemas.common import StrictIn
from entrypoints.api.schemas.generation import ModelId, Prompt

# openrouter.md §4: the values OpenRouter knows; each model offers a subset (checked later).
Resolution = Literal["480p", "720p", "768p", "1080p", "1K", "2K", "4K"]
VideoAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"]
OPTIONS = {option.name for option in fields(VideoOptions)}
MAX_URL_CHARS = 4096  # the schema bound; the 2048 rule is checked later, as invalid_url


class VideoIn(StrictIn):
    prompt: str = Prompt
    model: str = ModelId
    duration: int | None = Field(default=None, ge=1, le=120, description="seconds")
    resolution: Resolution | None = None
    aspect_ratio: VideoAspectRatio | None = None
    generate_audio: bool | None = None
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)

    def options(self) -> VideoOptions:
        return VideoOptions(**self.model_dump(include=OPTIONS))


class VideoFromImageIn(VideoIn):
    """As JSON it needs `image_url`; as multipart, either `image_url` or an `image` file."""

    image_url: str | None = Field(default=None, min_length=1, max_length=MAX_URL_CHARS)


class VideoOut(BaseModel):
    """The contract's VideoResponse. `video_url` is set once completed; `error` once failed."""

    id: str
    model: str
    status: Literal["queued", "in_progress", "completed", "failed"]
    video_url: str | None
    error: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, job: VideoJob) -> VideoOut:
        video_url = f"/media/{job.video.id}" if job.video else None
        return cls(
            id=job.id,
            model=job.model,
            status=job.status.value,
            video_url=video_url,
            error=job.error,
            created_at=job.created_at,
            updated_at=job.updated_at,
        )


def from_image_request_body() -> dict[str, Any]:
    """OpenAPI for the route that reads its body itself: multipart or JSON."""
    schema = VideoFromImageIn.model_json_schema()
    upload = {
        **schema,
        "properties": {
            **schema["properties"],
            "image": {
                "type": "string",
                "format": "binary",
                "description": "PNG, JPEG or WebP, at most 10 MiB and 40 MP",
            },
        },
    }
    return {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": upload},
            "application/json": {"schema": schema},
        },
    }
