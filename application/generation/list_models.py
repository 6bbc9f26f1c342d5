"""Use case: the models a user can pick, per output kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from application.errors import UpstreamTimeoutError, UpstreamUnavailableError
from application.ports.generation import AIGateway, ModelInfo
from application.ports.system import Clock

if TYPE_CHECKING:
    from application.generation.list_video_models import ListVideoModels

OUTPUTS = ("text", "image", "video")


@dataclass
class ModelCache:
    """Shared across requests (one per process): output kind -> (fetched at, models)."""

    entries: dict[str, tuple[datetime, list[ModelInfo]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ListModels:
    """OpenRouter's catalogue is cached for a while; when OpenRouter is down, the last
    copy is served, however old, rather than an error. Video models come from the video
    catalogue, with the durations, resolutions, aspect ratios and frames each one takes."""

    gateway: AIGateway
    clock: Clock
    cache: ModelCache
    ttl: timedelta = timedelta(minutes=10)
    videos: ListVideoModels | None = None

    async def execute(self, *, output: str) -> list[ModelInfo]:
        if output == "video" and self.videos is not None:
            return await self.videos.execute()
        now = self.clock.now()
        cached = self.cache.entries.get(output)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            models = await self.gateway.list_models(output)
        except (UpstreamUnavailableError, UpstreamTimeoutError):
            if cached is None:
                raise
            return cached[1]
        self.cache.entries[output] = (now, models)
        return models
