"""Ports of API keys: the stored keys, the keyed digest, and the per-request lookup."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.api_keys import ApiKey


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...
    async def get(self, key_id: str) -> ApiKey | None: ...
    async def live_for_user(self, user_id: str, now: datetime) -> list[ApiKey]:
        """Not revoked and not expired, newest first."""
        ...

    async def revoke(self, key_id: str, now: datetime) -> None: ...
    async def revoke_for_user(self, user_id: str, now: datetime) -> list[ApiKey]:
        """Revoke every key of the user not yet revoked; return those (as they were)."""
        ...

    async def touch(self, key_id: str, now: datetime) -> None:
        """Record a use (`last_used_at`)."""
        ...

    async def delete_for_user(self, user_id: str) -> None: ...


class KeyDigester(Protocol):
    """HMAC-SHA-256 of a key under the server's secret, and its constant-time comparison."""

    def new_key(self) -> str: ...
    def digest(self, key: str) -> str: ...
    def matches(self, digest: str, expected: str) -> bool: ...


class ApiKeyLookup(Protocol):
    """The per-request read of a key by its digest: one indexed lookup, always current."""

    async def by_digest(self, digest: str) -> ApiKey | None: ...
