"""UserCache: a write-through cache of users for the per-request check (architecture.md,
Runtime). Correct because the API process is the database's only writer: every commit
that changes a user evicts it, and a read that raced a commit does not store its result."""

from __future__ import annotations

import threading

from domain.users import User


class UserCache:
    def __init__(self, max_entries: int = 50_000) -> None:
        self._entries: dict[str, User] = {}
        self._generation = 0
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, user_id: str) -> tuple[User | None, int]:
        with self._lock:
            return self._entries.get(user_id), self._generation

    def put(self, user: User, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # a write committed while we read: our copy may be stale
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[user.id] = user

    def evict(self, user_ids: set[str]) -> None:
        with self._lock:
            self._generation += 1
            for user_id in user_ids:
                self._entries.pop(user_id, None)


class NoUserCache(UserCache):
    """Keeps nothing: every per-request check reads the database. For an engine that other
    processes also write (PostgreSQL), where an in-process eviction would not be enough."""

    def __init__(self) -> None:
        super().__init__(max_entries=0)

    def get(self, user_id: str) -> tuple[User | None, int]:
        return None, 0

    def put(self, user: User, generation: int) -> None:
        return None

    def evict(self, user_ids: set[str]) -> None:
        return None
