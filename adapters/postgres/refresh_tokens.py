"""PgRefreshTokenRepository: a rotation locks its token row, so that concurrent refreshes of
one token, in any number of API processes, rotate it once (security.md #18)."""

from __future__ import annotations

from adapters.sql.refresh_tokens import COLUMNS, SqlRefreshTokenRepository, token_from
from domain.tokens import RefreshToken


class PgRefreshTokenRepository(SqlRefreshTokenRepository):
    async def get_for_update(self, jti: str) -> RefreshToken | None:
        """The row, locked until the transaction ends: a second rotation waits here, then
        (REPEATABLE READ) fails as a conflict and is retried on a fresh snapshot, where it
        finds the successor (a replay in the grace window) or a reuse."""
        rows = await self._worker.execute(
            f"SELECT {COLUMNS} FROM refresh_tokens WHERE jti = ? FOR UPDATE", [jti]
        )
        return token_from(rows[0]) if rows else None
