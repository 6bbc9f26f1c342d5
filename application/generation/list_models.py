"""Use case: the models a user can pick, per output kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.errors import UpstreamTimeoutError, UpstreamUnavailableError
from application.ports import AIGateway, Clock, ModelInfo

OUTPUTS = ("text", "image", "video")


@dataclass
class ModelCache:
    """Shared across requests (one per process): output kind -> (fetched at, models)."""

    entries: dict[str, tuple[datetime, list[ModelInfo]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ListModels:
    """OpenRouter's catalogue is cached for a while; when OpenRouter is down, the last
    copy is served, however old, rather than an error."""

    gateway: AIGateway
    clock: Clock
    cache: ModelCache
    ttl: timedelta = timedelta(minutes=10)

    async def execute(self, *, output: str) -> list[ModelInfo]:
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
