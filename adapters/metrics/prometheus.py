"""ApiMetrics: the API's Prometheus registry: requests and latency by route, upstream calls,
generations."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class ApiMetrics:
    """One registry per app, so two apps in one process (tests) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "allucanget_http_requests",
            "HTTP requests answered",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "allucanget_http_request_duration_seconds",
            "Time to answer",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upstream = Counter(
            "allucanget_upstream_calls",
            "Calls to OpenRouter by outcome",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.generations = Gauge(
            "allucanget_generations",
            "Stored generations",
            ["kind", "status"],
            registry=self.registry,
        )
        self.video_jobs = Gauge(
            "allucanget_video_jobs", "Video jobs by state", ["status"], registry=self.registry
        )

    def count_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """An answered request, by route template (the middleware's counter)."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def count_call(self, operation: str, outcome: str) -> None:
        """An upstream call (the metered gateway's counter)."""
        self.upstream.labels(operation, outcome).inc()

    def render(self, generation_counts: list[tuple[str, str, int]]) -> bytes:
        self.generations.clear()
        self.video_jobs.clear()
        for kind, status, count in generation_counts:
            self.generations.labels(kind, status).set(count)
            if kind == "video":
                self.video_jobs.labels(status).set(count)
        return generate_latest(self.registry)
