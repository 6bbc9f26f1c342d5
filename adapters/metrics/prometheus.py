"""Prometheus metrics of the API: requests and latency by route, upstream calls, generations."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

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
from entrypoints.api.edge import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class ApiMetrics:
    """One registry per app, so two apps in one process (tests) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("allucanget_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=self.registry)  # fmt: skip
        self.latency = Histogram("allucanget_http_request_duration_seconds", "Time to answer",
                                 ["method", "route"], buckets=LATENCY_BUCKETS,
                                 registry=self.registry)  # fmt: skip
        self.upstream = Counter("allucanget_upstream_calls", "Calls to OpenRouter by outcome",
                                ["operation", "outcome"], registry=self.registry)  # fmt: skip
        self.generations = Gauge("allucanget_generations", "Stored generations",
                                 ["kind", "status"], registry=self.registry)  # fmt: skip
        self.video_jobs = Gauge("allucanget_video_jobs", "Video jobs by state", ["status"],
                                registry=self.registry)  # fmt: skip

    def render(self, generation_counts: list[tuple[str, str, int]]) -> bytes:
        self.generations.clear()
        self.video_jobs.clear()
        for kind, status, count in generation_counts:
            self.generations.labels(kind, status).set(count)
            if kind == "video":
                self.video_jobs.labels(status).set(count)
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts every answer by route template (never the raw path: bounded label values)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = str(scope.get("method", ""))
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


class InstrumentedGateway(AIGateway):
    """The AI gateway, counting each call by operation and outcome (`ok` or an error code)."""

    def __init__(self, inner: AIGateway, metrics: ApiMetrics) -> None:
        self._inner = inner
        self._count = metrics.upstream

    async def complete_text(self, request: TextRequest) -> TextResult:
        try:
            result = await self._inner.complete_text(request)
        except Error as error:
            self._count.labels("text", error.code).inc()
            raise
        self._count.labels("text", "ok").inc()
        return result

    async def stream_text(self, request: TextRequest) -> AsyncIterator[TextDelta | TextResult]:
        try:
            async for event in self._inner.stream_text(request):
                yield event
        except Error as error:
            self._count.labels("stream", error.code).inc()
            raise
        self._count.labels("stream", "ok").inc()

    async def generate_image(self, request: ImageRequest) -> ImageResult:
        try:
            result = await self._inner.generate_image(request)
        except Error as error:
            self._count.labels("image", error.code).inc()
            raise
        self._count.labels("image", "ok").inc()
        return result

    async def list_models(self, output: str) -> list[ModelInfo]:
        try:
            models = await self._inner.list_models(output)
        except Error as error:
            self._count.labels("models", error.code).inc()
            raise
        self._count.labels("models", "ok").inc()
        return models
