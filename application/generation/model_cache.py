"""The model catalogues' cache, shared by the text/image and the video catalogue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.errors import UpstreamTimeoutError, UpstreamUnavailableError
from application.ports.generation import ModelInfo


@dataclass
class ModelCache:
    """Shared across requests (one per process): catalogue key -> (fetched at, models)."""

    entries: dict[str, tuple[datetime, list[ModelInfo]]] = field(default_factory=dict)

    async def get(
        self,
        key: str,
        *,
        now: datetime,
        ttl: timedelta,
        fetch: Callable[[], Awaitable[list[ModelInfo]]],
    ) -> list[ModelInfo]:
        """The copy under `key` while it is younger than `ttl`, else a fresh one; when
        OpenRouter is down, the last copy is served, however old, rather than an error."""
        cached = self.entries.get(key)
        if cached is not None and now - cached[0] < ttl:
            return cached[1]
        try:
            models = await fetch()
        except (UpstreamUnavailableError, UpstreamTimeoutError):
            if cached is None:
                raise
            return cached[1]
        self.entries[key] = (now, models)
        return models
