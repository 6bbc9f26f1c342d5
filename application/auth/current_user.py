"""Use case: who is calling, according to the database right now."""

from __future__ import annotations

from dataclasses import dataclass

from application.keys.authenticate_key import AuthenticateKey
from application.ports.auth import AccessClaims, TokenIssuer, UserLookup
from application.ports.system import Clock
from domain.api_keys import looks_like_key
from domain.errors import TokenInvalidError
from domain.users import User


@dataclass(frozen=True, slots=True)
class KeyRef:
    """The API key a request came with."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    claims: AccessClaims
    api_key: KeyRef | None = None  # set when the bearer was an API key, not a session

    @property
    def by_key(self) -> bool:
        return self.api_key is not None

    @property
    def is_admin(self) -> bool:
        """Admin reach (others' generations, media, jobs): an admin's session, never a key;
        a key acts on its owner's own things only."""
        return self.user.is_admin and self.api_key is None


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """An access token is only as good as its user: a deleted user's token is refused at
    once, and the role is the stored one, not the claim (security.md #15). A bearer that
    starts with `agk_` is an API key: the caller is its owner, as stored now."""

    users: UserLookup
    tokens: TokenIssuer
    clock: Clock
    keys: AuthenticateKey | None = None

    async def execute(self, *, access_token: str) -> Caller:
        if looks_like_key(access_token):
            return await self._by_key(access_token)
        claims = self.tokens.read_access(access_token, self.clock.now())
        user = await self.users.get(claims.user_id)
        if user is None:
            raise TokenInvalidError("The account behind this token no longer exists.")
        return Caller(user=user, claims=claims)

    async def _by_key(self, token: str) -> Caller:
        if self.keys is None:
            raise TokenInvalidError("API keys are not accepted here.")
        key = await self.keys.execute(key=token)
        user = await self.users.get(key.user_id)
        if user is None:
            raise TokenInvalidError("The account behind this key no longer exists.")
        claims = AccessClaims(user_id=user.id, role=user.role.value, family_id=None, jti=key.id)
        return Caller(user=user, claims=claims, api_key=KeyRef(id=key.id, name=key.name))
