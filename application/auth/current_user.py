"""Use case: who is calling, according to the database right now."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.auth import AccessClaims, TokenIssuer, UserLookup
from application.ports.system import Clock
from domain.errors import TokenInvalidError
from domain.users import User


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    claims: AccessClaims


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """An access token is only as good as its user: a deleted user's token is refused at
    once, and the role is the stored one, not the claim (security.md #15)."""

    users: UserLookup
    tokens: TokenIssuer
    clock: Clock

    async def execute(self, *, access_token: str) -> Caller:
        claims = self.tokens.read_access(access_token, self.clock.now())
        user = await self.users.get(claims.user_id)
        if user is None:
            raise TokenInvalidError("The account behind this token no longer exists.")
        return Caller(user=user, claims=claims)
