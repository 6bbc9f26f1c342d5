"""The shared httpx client for OpenRouter and the retry policy (security.md #33)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

from adapters.openrouter.transport import AiohttpPoolTransport


def make_http_client(
    connect_s: float = 10,
    read_s: float = 120,
    write_s: float = 30,
    pool_s: float = 10,
    max_connections: int = 512,
    max_keepalive: int = 128,
) -> httpx.AsyncClient:
    """One client for the whole process. httpx's 5 s default suits neither a short connect
    nor a long image generation (security.md #33, openrouter.md §8.4); redirects are never
    followed, so the key cannot travel to another origin.

    The httpx API runs on aiohttp's connection pool (httpx-aiohttp): httpcore's own pool
    served 164 requests/s at 64 concurrent requests on one core, aiohttp's 1,064 (bench/,
    README "Benchmarks"). The transport takes connect, read and pool timeouts from each
    request and the connection limit from `limits`."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_keepalive)
    return httpx.AsyncClient(
        timeout=httpx.Timeout(connect=connect_s, read=read_s, write=write_s, pool=pool_s),
        limits=limits,
        transport=AiohttpPoolTransport(limits=limits, trust_env=True),
        follow_redirects=False,
    )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded, jittered exponential backoff that honours Retry-After (openrouter.md §8.5)."""

    max_retries: int = 2
    base_s: float = 0.5
    max_wait_s: float = 10.0

    def wait_s(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up now: no attempts
        left, or the server asks for a longer pause than we are willing to hold a request."""
        if attempt > self.max_retries:
            return None
        if retry_after is not None and retry_after > self.max_wait_s:
            return None
        backoff = min(self.max_wait_s, self.base_s * 2.0 ** (attempt - 1))
        jittered = backoff * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret
        return max(jittered, retry_after or 0.0)
