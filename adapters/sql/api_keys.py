"""SqlApiKeyRepository (inside a unit of work) and SqlApiKeyLookup (per request)."""

from __future__ import annotations

from datetime import datetime

from adapters.sql.executor import Executor, Row, SqlDatabase, from_db, to_db, utc
from application.ports.api_keys import ApiKeyLookup, ApiKeyRepository
from domain.api_keys import ApiKey

COLUMNS = "id, user_id, name, prefix, digest, created_at, expires_at, revoked_at, last_used_at"
LIVE = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"


def key_from(row: Row) -> ApiKey:
    return ApiKey(
        id=row[0],
        user_id=row[1],
        name=row[2],
        prefix=row[3],
        digest=row[4],
        created_at=utc(row[5]),
        expires_at=from_db(row[6]),
        revoked_at=from_db(row[7]),
        last_used_at=from_db(row[8]),
    )


class SqlApiKeyRepository(ApiKeyRepository):
    def __init__(self, worker: Executor, dirty: set[str]) -> None:
        self._worker = worker
        self._dirty = dirty  # key and user ids to evict from the key cache once committed

    async def add(self, key: ApiKey) -> None:
        await self._worker.execute(
            f"INSERT INTO api_keys ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                key.id,
                key.user_id,
                key.name,
                key.prefix,
                key.digest,
                to_db(key.created_at),
                to_db(key.expires_at),
                to_db(key.revoked_at),
                to_db(key.last_used_at),
            ],
        )

    async def get(self, key_id: str) -> ApiKey | None:
        rows = await self._worker.execute(f"SELECT {COLUMNS} FROM api_keys WHERE id = ?", [key_id])
        return key_from(rows[0]) if rows else None

    async def live_for_user(self, user_id: str, now: datetime) -> list[ApiKey]:
        rows = await self._worker.execute(
            f"SELECT {COLUMNS} FROM api_keys WHERE user_id = ? AND {LIVE} "
            "ORDER BY created_at DESC, id DESC",
            [user_id, to_db(now)],
        )
        return [key_from(row) for row in rows]

    async def revoke(self, key_id: str, now: datetime) -> None:
        self._dirty.add(key_id)
        await self._worker.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [to_db(now), key_id],
        )

    async def revoke_for_user(self, user_id: str, now: datetime) -> list[ApiKey]:
        self._dirty.add(user_id)
        rows = await self._worker.execute(
            f"SELECT {COLUMNS} FROM api_keys WHERE user_id = ? AND revoked_at IS NULL "
            "ORDER BY created_at, id",
            [user_id],
        )
        await self._worker.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            [to_db(now), user_id],
        )
        return [key_from(row) for row in rows]

    async def touch(self, key_id: str, now: datetime) -> None:
        self._dirty.add(key_id)  # else the cached copy would be "due" on every request
        await self._worker.execute(
            "UPDATE api_keys SET last_used_at = ? WHERE id = ?", [to_db(now), key_id]
        )

    async def delete_for_user(self, user_id: str) -> None:
        self._dirty.add(user_id)
        await self._worker.execute("DELETE FROM api_keys WHERE user_id = ?", [user_id])


class SqlApiKeyLookup(ApiKeyLookup):
    """The key cache (adapters/sql/cache.py), else one auto-committed read by the unique
    digest (an index lookup). A commit that revokes or deletes a key evicts it before the
    revoking request is answered, so a revocation holds from the very next request."""

    def __init__(self, database: SqlDatabase) -> None:
        self._database = database

    async def by_digest(self, digest: str) -> ApiKey | None:
        cached, generation = self._database.key_cache.get(digest)
        if cached is not None:
            return cached
        rows = await self._database.read(
            f"SELECT {COLUMNS} FROM api_keys WHERE digest = ?", [digest]
        )
        key = key_from(rows[0]) if rows else None
        if key is not None:
            self._database.key_cache.put(key, generation)
        return key
