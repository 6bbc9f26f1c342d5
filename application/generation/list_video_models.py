"""Use case: the video models, with the durations, resolutions, ratios and frames they take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.errors import UpstreamTimeoutError, UpstreamUnavailableError
from application.generation.list_models import ModelCache
from application.ports.generation import ModelInfo
from application.ports.system import Clock
from application.ports.video import VideoGateway
from domain.video_jobs import InvalidVideoOptionsError, VideoCapabilities

CACHE_KEY = "videos/models"


@dataclass(frozen=True, slots=True)
class ListVideoModels:
    """OpenRouter's video catalogue (`/videos/models`) with each model's capability sets,
    cached like the other catalogues; when OpenRouter is down the last copy is served."""

    gateway: VideoGateway
    clock: Clock
    cache: ModelCache
    ttl: timedelta = timedelta(minutes=10)

    async def execute(self) -> list[ModelInfo]:
        now = self.clock.now()
        cached = self.cache.entries.get(CACHE_KEY)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            models = await self.gateway.list_video_models()
        except (UpstreamUnavailableError, UpstreamTimeoutError):
            if cached is None:
                raise
            return cached[1]
        self.cache.entries[CACHE_KEY] = (now, models)
        return models


def capabilities_of(models: list[ModelInfo], model: str) -> VideoCapabilities:
    """The capabilities of `model`; a model that makes no videos is a 422 naming some that do."""
    for info in models:
        if info.id == model and info.video is not None:
            return info.video
    offered = ", ".join(sorted(info.id for info in models if info.video is not None)[:12])
    raise InvalidVideoOptionsError(
        f"{model} is not a video model here; choose one of: {offered or 'none available'}."
    )
