"""Time spent waiting on OpenRouter, summed per request (for X-Gateway-Overhead-Ms)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_spent: ContextVar[list[float] | None] = ContextVar("upstream_spent", default=None)


def track_upstream() -> list[float]:
    """Start a fresh tally for the current request; returns the one-element box the gateway
    adds its upstream seconds to (a mutable box, so tasks and threads that copied the
    context still add to the same tally)."""
    box = [0.0]
    _spent.set(box)
    return box


@contextmanager
def upstream_wait() -> Iterator[None]:
    """Count the enclosed wait (headers, body, stream chunks, retry pauses) as upstream."""
    started = time.perf_counter()
    try:
        yield
    finally:
        box = _spent.get()
        if box is not None:
            box[0] += time.perf_counter() - started
