"""Ports of video generation: jobs, OpenRouter's video API, media checks, name lookups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from application.ports.generation import ModelInfo
from domain.video_jobs import VideoJob
from domain.video_options import VideoOptions


@dataclass(frozen=True, slots=True)
class Lease:
    """Who polls a job, and until when no other process may claim it."""

    owner: str  # one API process (application.ports.system: a process identity)
    until: datetime


class VideoJobRepository(Protocol):
    """Video jobs. Each is also the `generations` row with its id (kind video): both rows,
    and the finished video's media row, change together."""

    async def add(self, job: VideoJob) -> None:
        """The database adapter refuses (OwnerDeletedError) a job whose user no longer
        exists; the caller holds the user's owner lock (application.locks.owner_key)."""
        ...

    async def get(self, job_id: str) -> VideoJob | None: ...
    async def save(self, job: VideoJob) -> None: ...
    async def due(self, now: datetime, limit: int) -> list[VideoJob]:
        """Unfinished jobs whose next poll is due, the longest waiting first."""
        ...

    async def claim(self, now: datetime, limit: int, lease: Lease) -> list[VideoJob]:
        """The due jobs that no other owner holds a live lease on, each now leased to
        `lease.owner` until `lease.until` (an owner may claim its own again, so a job stays
        with one process while that process lives). Where one process is the only writer
        (DuckDB) there is nobody to exclude: the same as `due`."""
        ...

    async def renew(self, job_ids: Sequence[str], lease: Lease) -> None:
        """Extend the lease on those of `job_ids` that `lease.owner` still holds."""
        ...

    async def release(self, owner: str) -> None:
        """End every lease `owner` holds (a process that stops cleanly: its jobs are due to
        the others at once, not when the leases lapse)."""
        ...


@dataclass(frozen=True, slots=True)
class VideoRequest:
    model: str
    prompt: str
    options: VideoOptions
    first_frame_url: str | None = None  # a data: URL or a checked https URL


@dataclass(frozen=True, slots=True)
class SubmittedVideo:
    upstream_id: str
    polling_url: str | None


@dataclass(frozen=True, slots=True)
class VideoPoll:
    """One look at an upstream job: its raw status (pending, in_progress, completed, failed,
    cancelled, expired, or something new), its error text, where the output is, the cost."""

    status: str
    error: str | None = None
    content_urls: tuple[str, ...] = ()
    cost: float | None = None


@dataclass(frozen=True, slots=True)
class DownloadedVideo:
    path: str  # a temporary file on the media store's file system
    size: int
    head: bytes  # the first bytes, for telling the container type


class VideoGateway(Protocol):
    """OpenRouter's video API. Failures are the Upstream*/ProviderNotConfigured errors."""

    async def submit_video(self, request: VideoRequest) -> SubmittedVideo:
        """Sent exactly once: a repeated POST may create (and bill) a second job."""
        ...

    async def poll_video(self, upstream_id: str, polling_url: str | None) -> VideoPoll: ...
    async def download_video(
        self, upstream_id: str, content_urls: tuple[str, ...]
    ) -> DownloadedVideo:
        """The finished video, streamed to a temporary file (the caller adopts it into the
        media store or discards it); the key goes only to OpenRouter's own origin."""
        ...

    async def list_video_models(self) -> list[ModelInfo]:
        """Video models, each with its `video` capabilities."""
        ...


@dataclass(frozen=True, slots=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


class VideoInspector(Protocol):
    def content_type(self, head: bytes) -> str | None:
        """The container type (video/mp4, video/webm) from a video's first bytes; None
        when they are not a video we keep."""
        ...


class ImageSanitizer(Protocol):
    async def sanitize(self, data: bytes) -> CleanImage:
        """security.md #37: type from the bytes (PNG, JPEG, WebP), pixel cap from the header
        before decoding, re-encoded without metadata. Raises InvalidImageError."""
        ...


class AddressResolver(Protocol):
    async def resolve(self, host: str) -> list[str]:
        """Every address the name resolves to (A and AAAA); [] when it does not resolve."""
        ...
