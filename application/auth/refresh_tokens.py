"""Use case: trade a refresh token for a new pair (rotation with reuse detection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.auth.tokens import TokenPair, pair_for
from application.errors import ConflictError
from application.locks import KeyedLocks
from application.ports.auth import TokenIssuer
from application.ports.system import Clock, IdGenerator, UnitOfWork
from application.retry import retry_on_conflict
from domain.audit import AuditAction, AuditEvent
from domain.errors import TokenInvalidError, TokenReusedError
from domain.tokens import RefreshUse, classify_use


@dataclass(frozen=True, slots=True)
class RefreshTokens:
    """Each refresh token has at most one successor. Replaying the immediately previous
    token within the grace window returns that same successor; any other stale token
    revokes its whole family (api-contract.md, security.md #18-#22)."""

    uow: UnitOfWork
    tokens: TokenIssuer
    clock: Clock
    ids: IdGenerator
    grace: timedelta
    locks: KeyedLocks

    async def execute(self, *, refresh_token: str) -> TokenPair:
        claims = self.tokens.read_refresh(refresh_token, self.clock.now())
        # a lost race is retried: the retry then sees the winner's successor
        async with self.locks.hold(claims.user_id):
            return await retry_on_conflict(lambda: self._attempt(claims.jti))

    async def _attempt(self, jti: str) -> TokenPair:
        now = self.clock.now()
        async with self.uow as uow:
            token = await uow.refresh_tokens.get_for_update(jti)  # one rotation at a time
            user = await uow.users.get(token.user_id) if token else None
            if token is None or user is None:
                raise TokenInvalidError()
            successor = await uow.refresh_tokens.get(token.replaced_by or "")
            match classify_use(token, successor, now, self.grace):
                case RefreshUse.REUSE:
                    await uow.refresh_tokens.revoke_family(token.family_id, now)
                    await uow.audit.add(
                        AuditEvent(
                            self.ids.new_id(),
                            now,
                            AuditAction.TOKEN_REUSE,
                            token.user_id,
                            token.user_id,
                            "family_revoked",
                            token.family_id,
                        )
                    )
                    await uow.commit()  # persist the revocation, then refuse
                    raise TokenReusedError()
                case RefreshUse.REPLAY if successor is not None:
                    return pair_for(user, successor, self.tokens, now)
            fresh = token.successor(self.ids.new_id(), now)
            if not await uow.refresh_tokens.retire(token.jti, fresh.jti):
                raise ConflictError()  # another request rotated it first
            await uow.refresh_tokens.add(fresh)
            await uow.commit()
            return pair_for(user, fresh, self.tokens, now)
