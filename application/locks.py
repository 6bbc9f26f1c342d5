"""KeyedLocks: the Locks port within one process (one writer at a time per key), and the keys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from application.ports.system import Locks


class KeyedLocks(Locks):
    """DuckDB's optimistic concurrency cannot always tell that a revocation and a rotation
    of the same family overlap (its conflict check is per column and skips some index
    scans), so every write to a user's refresh tokens takes that user's lock. With DuckDB
    the API is the only process that writes the database, so an in-process lock is enough;
    with PostgreSQL it is the first half of adapters/postgres/locks.py's PgAdvisoryLocks."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, holders = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, holders + 1)
        try:
            async with lock:
                yield
        finally:
            lock, holders = self._locks[key]
            if holders == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, holders - 1)

    def __len__(self) -> int:
        return len(self._locks)


ADMINS_KEY = "role:admin"  # serialises every change that could remove an admin


def owner_key(user_id: str) -> str:
    """Held while a user is deleted and while anything of theirs (a generation, a video
    job, its media) is written, so that a write either commits before the deletion, which
    then takes it along, or after it, and then finds the user gone and writes nothing."""
    return f"owner:{user_id}"
