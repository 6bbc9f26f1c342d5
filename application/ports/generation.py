"""Ports of text and image generation: the AI gateway, recording, history, media."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.conversations import ChatTurn
from domain.generations import Generation, GenerationKind, Usage
from domain.media import MediaRef
from domain.video_options import VideoCapabilities


class GenerationRepository(Protocol):
    """Generations with their media rows, written and removed together."""

    async def add(self, generation: Generation) -> None: ...
    async def get(self, generation_id: str) -> Generation | None: ...
    async def delete(self, generation_id: str) -> None: ...
    async def media(self, media_id: str) -> MediaRef | None: ...
    async def delete_for_user(self, user_id: str) -> list[MediaRef]:
        """Remove all of a user's generations (and their jobs, budget and spend); return
        their media."""
        ...


class GenerationRecorder(Protocol):
    """Writes a generation (succeeded or failed) with its media rows; when `record` returns,
    they are committed. May write several callers' generations in one transaction. The
    database adapter also writes a succeeded generation's known cost to the spend ledger,
    settled, unless a reservation was made for it (a limited user's call). It refuses
    (OwnerDeletedError) a generation whose user no longer exists; the caller then removes
    any media file it wrote."""

    async def record(self, generation: Generation) -> None: ...


class HistoryReader(Protocol):
    """A user's generations, newest first, in keyset pages (no entity loading)."""

    async def page(
        self,
        *,
        user_id: str,
        kind: GenerationKind | None,
        limit: int,
        before: tuple[datetime, str] | None,
    ) -> list[Generation]: ...


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """Where a stored media file can be streamed from (never read whole into memory)."""

    path: str
    size: int


class MediaStore(Protocol):
    """Media files, written atomically, never half-present."""

    async def save(self, ref: MediaRef, data: bytes) -> None: ...
    async def adopt(self, ref: MediaRef, source: str) -> None:
        """Move a finished temporary file (see DownloadedVideo) into the store; the source
        is gone afterwards, whether this succeeds or raises StorageUnavailableError."""
        ...

    async def discard(self, source: str) -> None:
        """Remove a temporary file that will not be adopted."""
        ...

    async def open(self, ref: MediaRef) -> StoredMedia:
        """The file to stream; NotFoundError when it is not there."""
        ...

    async def delete(self, refs: list[MediaRef]) -> None: ...


@dataclass(frozen=True, slots=True)
class ImageFacts:
    content_type: str
    width: int
    height: int


class ImageInspector(Protocol):
    def inspect(self, data: bytes) -> ImageFacts:
        """Type and size from the bytes themselves; raises InvalidImageError."""
        ...


@dataclass(frozen=True, slots=True)
class TextRequest:
    model: str
    prompt: str
    max_tokens: int
    system: str | None = None
    history: tuple[ChatTurn, ...] = ()  # earlier turns of a conversation, oldest first
    temperature: float | None = None
    # passed on as OpenRouter takes them (openrouter.md §2); sent only when set (/v1)
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    user: str | None = None


@dataclass(frozen=True, slots=True)
class Served:
    """Who actually answered (OpenRouter may fall back to another model or provider)."""

    model: str
    provider: str | None
    upstream_id: str | None
    usage: Usage


@dataclass(frozen=True, slots=True)
class TextResult:
    text: str
    finish_reason: str | None
    served: Served


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ImageRequest:
    model: str
    prompt: str
    aspect_ratio: str | None = None


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class ImageResult:
    images: tuple[GeneratedImage, ...]
    text: str | None
    served: Served


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    name: str
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    context_length: int | None = None
    pricing: dict[str, str] | None = None
    max_completion_tokens: int | None = None  # top_provider's cap, when the catalogue says
    video: VideoCapabilities | None = None  # video models only
    created: int | None = None  # when the catalogue added it (Unix seconds)


class AIGateway(Protocol):
    """OpenRouter. Every failure is one of the Upstream*/ProviderNotConfigured errors."""

    async def complete_text(self, request: TextRequest) -> TextResult: ...
    def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        """Deltas as they arrive, then exactly one TextResult (with usage) at the end."""
        ...

    async def generate_image(self, request: ImageRequest) -> ImageResult: ...
    async def list_models(self, output: str) -> list[ModelInfo]: ...
