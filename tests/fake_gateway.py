"""Fakes of the generation ports: a scripted AI gateway, a media store, a history reader."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime

from PIL import Image

from application.ports import (
    AIGateway,
    GeneratedImage,
    HistoryReader,
    ImageRequest,
    ImageResult,
    MediaStore,
    ModelInfo,
    Served,
    TextDelta,
    TextRequest,
    TextResult,
)
from domain.errors import Error
from domain.generations import Generation, GenerationKind, Usage
from domain.media import MediaRef
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

    async def read(self, ref: MediaRef) -> bytes:
        return self.files[ref.id]

    async def delete(self, refs: list[MediaRef]) -> None:
        for ref in refs:
            self.files.pop(ref.id, None)


class FakeHistoryReader(HistoryReader):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def page(
        self, *, user_id: str, kind: GenerationKind | None, limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Generation]:  # fmt: skip
        rows = [g for g in self._uow.generations.rows.values() if g.user_id == user_id]
        rows = [g for g in rows if kind is None or g.kind is kind]
        if before is not None:
            rows = [g for g in rows if (g.created_at, g.id) < before]
        return sorted(rows, key=lambda g: (g.created_at, g.id), reverse=True)[:limit]
