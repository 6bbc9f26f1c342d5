"""Use case: sign out a session."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.auth import TokenIssuer
from application.ports.system import Clock, Locks, UnitOfWork
from application.retry import retry_on_conflict


@dataclass(frozen=True, slots=True)
class Logout:
    """Signing out revokes the presented token's whole family; doing it twice is harmless.
    An access token already handed out stays valid until it expires (at most 15 minutes)."""

    uow: UnitOfWork
    tokens: TokenIssuer
    clock: Clock
    locks: Locks

    async def execute(self, *, refresh_token: str) -> None:
        now = self.clock.now()
        claims = self.tokens.read_refresh(refresh_token, now)

        async def revoke() -> None:  # retried: a concurrent refresh may have added a token
            async with self.uow as uow:
                await uow.refresh_tokens.revoke_family(claims.family_id, now)
                await uow.commit()

        async with self.locks.hold(claims.user_id):
            await retry_on_conflict(revoke)
