"""The per-request user check served from memory across processes, measured against a
database read per request (README, "Several API processes"); not what the API runs.

Every transaction that changes a user NOTIFYs `allucanget_users` with the user's id
(PgUnitOfWork.commit, in the same transaction: the notice is sent if and only if the change
commits). Each process LISTENs on a connection of its own and evicts what it hears from its
`UserCache`; while that connection is lost the cache is dropped and bypassed (every check
reads the database) until it is back and listening again.

It is not exact on "the very next request": a request that process B serves after process
A's commit but before B has read the notice still sees the old role (for the time a notice
takes to arrive, well under a millisecond on one machine, unbounded under load). The API
therefore reads the user from the database on every request on PostgreSQL (NoUserCache)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg

from adapters.sql.cache import UserCache
from domain.users import User

CHANNEL = "allucanget_users"
RETRY_S = 1.0
log = logging.getLogger("allucanget.user_events")


class ListenedUserCache(UserCache):
    """A UserCache that serves nothing while its listener is not listening."""

    def __init__(self, max_entries: int = 50_000) -> None:
        super().__init__(max_entries)
        self.listening = False

    def get(self, user_id: str) -> tuple[User | None, int]:
        found, generation = super().get(user_id)
        return (found if self.listening else None), generation

    def put(self, user: User, generation: int) -> None:
        if self.listening:
            super().put(user, generation)

    def drop_all(self) -> None:
        with self._lock:
            self._generation += 1  # a read that raced the loss stores nothing
            self._entries.clear()


class UserEventListener:
    """LISTENs for user changes on its own connection, evicting them from `cache`."""

    def __init__(self, url: str, cache: ListenedUserCache) -> None:
        self._url = url
        self._cache = cache
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self.lost = asyncio.Event()  # set whenever the connection goes (for tests, logs)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="user-events")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._lost()

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                log.warning("user events lost (%s); checks read the database meanwhile", exc)
            finally:
                self._lost()
            await asyncio.sleep(RETRY_S)

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(self._url, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            self._cache.drop_all()  # whatever changed while nobody listened
            self._cache.listening = True
            self.lost.clear()
            self.connected.set()
            async for notice in conn.notifies():
                self._cache.evict({notice.payload})

    def _lost(self) -> None:
        self._cache.listening = False
        self._cache.drop_all()
        self.connected.clear()
        self.lost.set()
