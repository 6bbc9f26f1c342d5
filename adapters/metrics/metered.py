"""MeteredGateway: the AI gateway, counting each call by operation and outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Protocol, TypeVar

from application.ports.generation import (
    AIGateway,
    ImageRequest,
    ImageResult,
    ModelInfo,
    TextDelta,
    TextRequest,
    TextResult,
)
from domain.errors import Error

T = TypeVar("T")


class CallCounter(Protocol):
    """Where the counts go (the API's Prometheus metrics): adapters import no entrypoint."""

    def count_call(self, operation: str, outcome: str) -> None: ...


class MeteredGateway(AIGateway):
    """Each call counts once, as `ok` or as the code of the error it raised."""

    def __init__(self, inner: AIGateway, counter: CallCounter) -> None:
        self._inner = inner
        self._counter = counter

    async def complete_text(self, request: TextRequest) -> TextResult:
        return await self._counted("text", self._inner.complete_text(request))

    async def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        try:
            async for event in self._inner.stream_text(request):
                yield event
        except Error as error:
            self._counter.count_call("stream", error.code)
            raise
        self._counter.count_call("stream", "ok")

    async def generate_image(self, request: ImageRequest) -> ImageResult:
        return await self._counted("image", self._inner.generate_image(request))

    async def list_models(self, output: str) -> list[ModelInfo]:
        return await self._counted("models", self._inner.list_models(output))

    async def _counted(self, operation: str, call: Awaitable[T]) -> T:
        try:
            result = await call
        except Error as error:
            self._counter.count_call(operation, error.code)
            raise
        self._counter.count_call(operation, "ok")
        return result
