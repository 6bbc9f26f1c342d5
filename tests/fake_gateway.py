"""Fakes of the generation ports: a scripted AI gateway, a media store, a history reader."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

from PIL import Image

from application.errors import NotFoundError
from application.ports.generation import (
    AIGateway,
    GeneratedImage,
    HistoryReader,
    ImageRequest,
    ImageResult,
    MediaStore,
    ModelInfo,
    Served,
    StoredMedia,
    TextDelta,
    TextRequest,
    TextResult,
)
from application.ports.video import (
    AddressResolver,
    DownloadedVideo,
    SubmittedVideo,
    VideoGateway,
    VideoPoll,
    VideoRequest,
)
from domain.errors import Error
from domain.generations import Generation, GenerationKind, Usage
from domain.media import MediaRef
from domain.video_options import VideoCapabilities
from tests.fakes import FakeUnitOfWork

USAGE = Usage(prompt_tokens=5, completion_tokens=7, total_tokens=12, cost=0.0012)


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeAIGateway(AIGateway):
    """Answers from a script; `fail_with` makes every call raise that error."""

    def __init__(self) -> None:
        self.fail_with: Error | None = None
        self.fail_after_deltas: int | None = None
        self.requests: list[TextRequest | ImageRequest] = []
        self.images: list[GeneratedImage] = [GeneratedImage(png_bytes(16, 9), "image/png")]
        self.models: list[ModelInfo] | Error = [
            ModelInfo("openai/gpt-4o-mini", "GPT-4o mini", ("text",), ("text",), 128000)
        ]

    def _served(self, model: str) -> Served:
        return Served(model=model, provider="FakeProvider", upstream_id="gen-fake", usage=USAGE)

    async def complete_text(self, request: TextRequest) -> TextResult:
        self.requests.append(request)
        if self.fail_with:
            raise self.fail_with
        return TextResult(f"echo: {request.prompt}", "stop", self._served(request.model))

    async def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        self.requests.append(request)
        words = ["Hello", " there", ", ", "friend"]
        for index, word in enumerate(words):
            if self.fail_with and self.fail_after_deltas == index:
                raise self.fail_with
            yield TextDelta(word)
        if self.fail_with:
            raise self.fail_with
        yield TextResult("".join(words), "stop", self._served(request.model))

    async def generate_image(self, request: ImageRequest) -> ImageResult:
        self.requests.append(request)
        if self.fail_with:
            raise self.fail_with
        return ImageResult(tuple(self.images), None, self._served(request.model))

    async def list_models(self, output: str) -> list[ModelInfo]:
        if isinstance(self.models, Error):
            raise self.models
        return [m for m in self.models if output in m.output_modalities]


class FakeMediaStore(MediaStore):
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def save(self, ref: MediaRef, data: bytes) -> None:
        self.files[ref.id] = data

    async def adopt(self, ref: MediaRef, source: str) -> None:
        self.files[ref.id] = Path(source).read_bytes()
        Path(source).unlink()

    async def discard(self, source: str) -> None:
        Path(source).unlink(missing_ok=True)

    async def open(self, ref: MediaRef) -> StoredMedia:
        if ref.id not in self.files:
            raise NotFoundError()
        return StoredMedia(f"/nonexistent/{ref.id}", len(self.files[ref.id]))

    async def delete(self, refs: list[MediaRef]) -> None:
        for ref in refs:
            self.files.pop(ref.id, None)


class FakeHistoryReader(HistoryReader):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def page(
        self,
        *,
        user_id: str,
        kind: GenerationKind | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Generation]:
        rows = [g for g in self._uow.generations.rows.values() if g.user_id == user_id]
        rows = [g for g in rows if kind is None or g.kind is kind]
        if before is not None:
            rows = [g for g in rows if (g.created_at, g.id) < before]
        return sorted(rows, key=lambda g: (g.created_at, g.id), reverse=True)[:limit]


# A tiny MP4 as far as type sniffing goes: an `ftyp` box first (domain.video_jobs).
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 32
VEO, SORA = "google/veo-3.1-lite", "openai/sora-2-pro"
VIDEO_MODELS = [
    ModelInfo(
        VEO,
        "Veo 3.1 Lite",
        ("text", "image"),
        ("video",),
        video=VideoCapabilities(
            durations=(8, 4, 6),
            resolutions=("720p", "1080p"),
            aspect_ratios=("16:9", "9:16"),
            frame_images=("first_frame", "last_frame"),
            generate_audio=True,
        ),
    ),
    ModelInfo(
        SORA,
        "Sora 2 Pro",
        ("text",),
        ("video",),
        video=VideoCapabilities(
            durations=(4, 8, 12),
            resolutions=("720p",),
            aspect_ratios=("16:9",),
            seed=False,
        ),
    ),
]
COMPLETED = VideoPoll("completed", content_urls=("https://openrouter.test/c",), cost=0.4)


class FakeVideoGateway(VideoGateway):
    """Scripted answers: `polls` and `downloads` are consumed in order, the last repeats."""

    def __init__(self) -> None:
        self.models: list[ModelInfo] | Error = list(VIDEO_MODELS)
        self.submit_error: Error | None = None
        self.submitted: list[VideoRequest] = []
        self.polls: list[VideoPoll | Error] = [VideoPoll("in_progress"), COMPLETED]
        self.downloads: list[bytes | Error] = [MP4]

    async def submit_video(self, request: VideoRequest) -> SubmittedVideo:
        self.submitted.append(request)
        if self.submit_error is not None:
            raise self.submit_error
        upstream_id = f"up-{len(self.submitted)}"
        return SubmittedVideo(upstream_id, f"https://openrouter.test/api/v1/videos/{upstream_id}")

    async def poll_video(self, upstream_id: str, polling_url: str | None) -> VideoPoll:
        answer = self.polls.pop(0) if len(self.polls) > 1 else self.polls[0]
        if isinstance(answer, Error):
            raise answer
        return answer

    async def download_video(
        self, upstream_id: str, content_urls: tuple[str, ...]
    ) -> DownloadedVideo:
        answer = self.downloads.pop(0) if len(self.downloads) > 1 else self.downloads[0]
        if isinstance(answer, Error):
            raise answer
        fd, name = tempfile.mkstemp(suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(answer)
        return DownloadedVideo(name, len(answer), answer[:64])

    async def list_video_models(self) -> list[ModelInfo]:
        if isinstance(self.models, Error):
            raise self.models
        return self.models


class FakeAddressResolver(AddressResolver):
    """Names resolve only as told; nothing touches real DNS."""

    def __init__(self, names: dict[str, list[str]] | None = None) -> None:
        self.names = dict(names or {})
        self.asked: list[str] = []

    async def resolve(self, host: str) -> list[str]:
        self.asked.append(host)
        return list(self.names.get(host, []))
