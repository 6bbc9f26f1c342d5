"""SqlRefreshTokenRepository: rows of `refresh_tokens`, rotation as a conditional update."""

from __future__ import annotations

from datetime import datetime

from adapters.sql.executor import Executor, Row, from_db, to_db, utc
from application.ports.auth import RefreshTokenRepository
from domain.tokens import RefreshToken

# DuckDB detects write conflicts per column, and drops `SET x = x` as a no-op. Rotation
# therefore also writes `revoked_at` (to the NULL its WHERE clause requires), the column a
# revocation writes: a rotation and a concurrent revocation of the same row collide and
# one of them retries, instead of both committing and leaving a live successor in a
# revoked family (tests/integration/test_duckdb_refresh_race.py).
REVOKE = "revoked_at = ?"
COLUMNS = "jti, user_id, family_id, parent_jti, issued_at, expires_at, revoked_at, replaced_by"


def token_from(row: Row) -> RefreshToken:
    return RefreshToken(
        jti=row[0],
        user_id=row[1],
        family_id=row[2],
        parent_jti=row[3],
        issued_at=utc(row[4]),
        expires_at=utc(row[5]),
        revoked_at=from_db(row[6]),
        replaced_by=row[7],
    )


class SqlRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, worker: Executor) -> None:
        self._worker = worker

    async def get(self, jti: str) -> RefreshToken | None:
        rows = await self._worker.execute(
            f"SELECT {COLUMNS} FROM refresh_tokens WHERE jti = ?", [jti]
        )
        return token_from(rows[0]) if rows else None

    async def get_for_update(self, jti: str) -> RefreshToken | None:
        """DuckDB has no row locks: the conditional update in `retire` (and the API's
        per-user lock, it being the only process) lets one rotation win."""
        return await self.get(jti)

    async def add(self, token: RefreshToken) -> None:
        await self._worker.execute(
            f"INSERT INTO refresh_tokens ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                token.jti,
                token.user_id,
                token.family_id,
                token.parent_jti,
                to_db(token.issued_at),
                to_db(token.expires_at),
                to_db(token.revoked_at),
                token.replaced_by,
            ],
        )

    async def retire(self, jti: str, successor_jti: str) -> bool:
        # security.md #18: only a live row may be retired; exactly one request can win.
        # No RETURNING: in DuckDB 2.0.1 an UPDATE ... RETURNING can overwrite a concurrent
        # update of another column of the row (a revocation) without a conflict.
        rows = await self._worker.execute(
            "UPDATE refresh_tokens SET replaced_by = ?, revoked_at = NULL "
            "WHERE jti = ? AND replaced_by IS NULL AND revoked_at IS NULL",
            [successor_jti, jti],
        )
        return bool(rows) and rows[0][0] == 1

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        await self._worker.execute(
            f"UPDATE refresh_tokens SET {REVOKE} WHERE family_id = ? AND revoked_at IS NULL",
            [to_db(now), family_id],
        )

    async def delete_for_user(self, user_id: str) -> None:
        await self._worker.execute("DELETE FROM refresh_tokens WHERE user_id = ?", [user_id])

    async def revoke_user_families(
        self, user_id: str, now: datetime, *, keep_family: str | None = None
    ) -> None:
        await self._worker.execute(
            f"UPDATE refresh_tokens SET {REVOKE} WHERE user_id = ? AND revoked_at IS NULL "
            "AND family_id IS DISTINCT FROM ?",
            [to_db(now), user_id, keep_family],
        )
