"""In-memory API keys for unit tests: the repository, the lookup and a plain digester."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import datetime

from application.ports.api_keys import ApiKeyLookup, ApiKeyRepository, KeyDigester
from domain.api_keys import KEY_PREFIX, ApiKey


class FakeApiKeyRepository(ApiKeyRepository):
    def __init__(self) -> None:
        self.rows: dict[str, ApiKey] = {}

    async def add(self, key: ApiKey) -> None:
        if key.id in self.rows or any(k.digest == key.digest for k in self.rows.values()):
            raise AssertionError("duplicate key")
        self.rows[key.id] = key

    async def get(self, key_id: str) -> ApiKey | None:
        return self.rows.get(key_id)

    async def live_for_user(self, user_id: str, now: datetime) -> list[ApiKey]:
        live = [k for k in self.rows.values() if k.user_id == user_id and k.is_live(now)]
        return sorted(live, key=lambda k: (k.created_at, k.id), reverse=True)

    async def revoke(self, key_id: str, now: datetime) -> None:
        key = self.rows.get(key_id)
        if key is not None and key.revoked_at is None:
            self.rows[key_id] = key.revoked(now)

    async def revoke_for_user(self, user_id: str, now: datetime) -> list[ApiKey]:
        found = [k for k in self.rows.values() if k.user_id == user_id and k.revoked_at is None]
        for key in found:
            self.rows[key.id] = key.revoked(now)
        return sorted(found, key=lambda k: (k.created_at, k.id))

    async def touch(self, key_id: str, now: datetime) -> None:
        if key_id in self.rows:
            self.rows[key_id] = replace(self.rows[key_id], last_used_at=now)

    async def delete_for_user(self, user_id: str) -> None:
        self.rows = {i: k for i, k in self.rows.items() if k.user_id != user_id}

    def snapshot(self) -> dict[str, ApiKey]:
        return dict(self.rows)  # keys are frozen: a shallow copy does


class FakeApiKeyLookup(ApiKeyLookup):
    def __init__(self, repository: FakeApiKeyRepository) -> None:
        self._repository = repository
        self.reads = 0

    async def by_digest(self, digest: str) -> ApiKey | None:
        self.reads += 1
        return next((k for k in self._repository.rows.values() if k.digest == digest), None)


class FakeKeyDigester(KeyDigester):
    """Deterministic keys (agk_ + a counter, padded to the real length), real HMAC."""

    def __init__(self) -> None:
        self._count = 0
        self.comparisons = 0

    def new_key(self) -> str:
        self._count += 1
        return f"{KEY_PREFIX}{self._count:043d}"

    def digest(self, key: str) -> str:
        return hmac.new(b"test-secret", key.encode(), hashlib.sha256).hexdigest()

    def matches(self, digest: str, expected: str) -> bool:
        self.comparisons += 1
        return hmac.compare_digest(digest, expected)
