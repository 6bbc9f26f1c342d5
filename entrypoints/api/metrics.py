"""The metrics middleware: every answer counted by route template into the API's metrics."""

from __future__ import annotations

import time

from adapters.metrics.prometheus import ApiMetrics
from entrypoints.api.edge import ASGIApp, Message, Receive, Scope, Send


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
            self.metrics.count_request(method, route, status, time.perf_counter() - started)
