"""UserCache, KeyCache and BudgetCache: write-through caches of users, API keys and budget
overrides for the per-request checks (architecture.md, Runtime). Correct because the API
process is the DuckDB file's only writer: every commit that changes a user (a key, an
override) evicts it, and a read that raced a commit does not store its result. PostgreSQL,
which other processes also write, uses the No* variants: a read per check."""

from __future__ import annotations

import threading

from domain.api_keys import ApiKey
from domain.budgets import Budget
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


class KeyCache:
    """API keys by digest, for the per-request check of `Bearer agk_...`: the same
    write-through rule as UserCache. A commit that revokes, touches or deletes a key (or all
    of a user's) evicts it, by key id or by owner id, and bumps the generation so that a read
    that raced the commit does not store its stale copy. Expiry needs no eviction: the
    caller checks `expires_at` against the clock on every use."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, ApiKey] = {}
        self._generation = 0
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, digest: str) -> tuple[ApiKey | None, int]:
        with self._lock:
            return self._entries.get(digest), self._generation

    def put(self, key: ApiKey, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # a change to keys committed while we read
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[key.digest] = key

    def evict(self, ids: set[str]) -> None:
        """Every key whose id or owner's id is in `ids`; nothing to do for an empty set."""
        if not ids:
            return
        with self._lock:
            self._generation += 1
            stale = [d for d, key in self._entries.items() if key.id in ids or key.user_id in ids]
            for digest in stale:
                del self._entries[digest]


class BudgetCache:
    """Budget overrides by user id, `None` (no override: the default applies) included: a
    commit that sets or clears a user's override evicts it, as UserCache does for users."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._entries: dict[str, Budget | None] = {}
        self._generation = 0
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, user_id: str) -> tuple[bool, Budget | None, int]:
        """(found, the override, the generation to put with)."""
        with self._lock:
            found = user_id in self._entries
            return found, self._entries.get(user_id), self._generation

    def put(self, user_id: str, budget: Budget | None, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[user_id] = budget

    def evict(self, user_ids: set[str]) -> None:
        if not user_ids:
            return
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


class NoKeyCache(KeyCache):
    """Keeps nothing (PostgreSQL: another process may revoke a key): a read per request."""

    def get(self, digest: str) -> tuple[ApiKey | None, int]:
        return None, 0

    def put(self, key: ApiKey, generation: int) -> None:
        return None


class NoBudgetCache(BudgetCache):
    """Keeps nothing (PostgreSQL: another process may change a budget): a read per check."""

    def get(self, user_id: str) -> tuple[bool, Budget | None, int]:
        return False, None, 0

    def put(self, user_id: str, budget: Budget | None, generation: int) -> None:
        return None
