"""The JSON shapes of the API's video routes (api-contract.md, Video)."""

from __future__ import annotations

from typing import IO, NotRequired, TypedDict

from entrypoints.web.generation.types import ModelJson


class VideoModelJson(ModelJson):
    """A `GET /models?output=video` entry: what each option may be ([] = not offered)."""

    durations: NotRequired[list[int] | None]
    resolutions: NotRequired[list[str] | None]
    aspect_ratios: NotRequired[list[str] | None]
    frame_images: NotRequired[list[str] | None]
    generate_audio: NotRequired[bool | None]
    seed: NotRequired[bool | None]


class VideoRequestJson(TypedDict):
    prompt: str
    model: str
    duration: NotRequired[int]
    resolution: NotRequired[str]
    aspect_ratio: NotRequired[str]
    generate_audio: NotRequired[bool]
    seed: NotRequired[int]
    image_url: NotRequired[str]  # image-to-video only


class VideoJobJson(TypedDict):
    """The contract's VideoResponse: `video_url` once completed, `error` (words) once failed."""

    id: str
    model: str
    status: str  # queued | in_progress | completed | failed
    video_url: str | None
    error: str | None
    created_at: str
    updated_at: str


# (file name, the file's open stream, its content type) as httpx sends a multipart file.
Upload = tuple[str, IO[bytes], str]
