"""Use case: the models a user can pick, per output kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.generation.list_video_models import ListVideoModels
from application.generation.model_cache import ModelCache
from application.ports.generation import AIGateway, ModelInfo
from application.ports.system import Clock

OUTPUTS = ("text", "image", "video")


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
        return await self.cache.get(
            output,
            now=self.clock.now(),
            ttl=self.ttl,
            fetch=lambda: self.gateway.list_models(output),
        )
