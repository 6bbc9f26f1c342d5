"""Retrying a transaction that lost a race (DuckDB's optimistic concurrency)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from application.errors import ConflictError

T = TypeVar("T")
ATTEMPTS = 3


async def retry_on_conflict(attempt: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """Run `attempt` again when a concurrent writer won; the last conflict is raised (409)."""
    for _ in range(attempts - 1):
        try:
            return await attempt()
        except ConflictError:
            continue
    return await attempt()
