"""The context window of a model, read from the cached model catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from application.ports.conversations import ContextWindows
from application.ports.generation import ModelInfo
from domain.errors import Error


class ModelCatalogue(Protocol):
    """ListModels: the catalogue, cached, served stale when OpenRouter is down."""

    async def execute(self, *, output: str) -> list[ModelInfo]: ...


@dataclass(frozen=True, slots=True)
class CatalogueContextWindows(ContextWindows):
    """A model the catalogue does not list, or a catalogue that cannot be read, has no known
    window: then nothing is trimmed and the model itself refuses what is too long."""

    catalogue: ModelCatalogue

    async def context_length(self, model: str) -> int | None:
        try:
            models = await self.catalogue.execute(output="text")
        except Error:
            return None
        return next((m.context_length for m in models if m.id == model), None)
