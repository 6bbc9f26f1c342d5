"""Use case: the video models, with the durations, resolutions, ratios and frames they take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.generation.model_cache import ModelCache
from application.ports.generation import ModelInfo
from application.ports.system import Clock
from application.ports.video import VideoGateway
from domain.errors import InvalidVideoOptionsError
from domain.video_options import VideoCapabilities

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
        return await self.cache.get(
            CACHE_KEY, now=self.clock.now(), ttl=self.ttl, fetch=self.gateway.list_video_models
        )


def capabilities_of(models: list[ModelInfo], model: str) -> VideoCapabilities:
    """The capabilities of `model`; a model that makes no videos is a 422 naming some that do."""
    for info in models:
        if info.id == model and info.video is not None:
            return info.video
    offered = ", ".join(sorted(info.id for info in models if info.video is not None)[:12])
    raise InvalidVideoOptionsError(
        f"{model} is not a video model here; choose one of: {offered or 'none available'}."
    )
