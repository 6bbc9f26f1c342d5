"""Use case: sign in with email and password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.auth.throttling import Guard
from application.auth.tokens import TokenPair, pair_for
from application.errors import InvalidCredentialsError
from application.ports.auth import LoginThrottle, PasswordHasher, TokenIssuer
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from domain.errors import InvalidEmailError
from domain.tokens import start_family
from domain.users import User, normalize_email


@dataclass(frozen=True, slots=True)
class Authenticate:
    """Check the password and open a new refresh-token family. Unknown email and wrong
    password get the same answer after the same single hash (security.md #6); checks are
    reserved under the per-account and per-address limits before the hash, so parallel
    attempts cannot overshoot them (#7); a due re-hash is saved (#2)."""

    uow: UnitOfWork
    hasher: PasswordHasher
    tokens: TokenIssuer
    clock: Clock
    ids: IdGenerator
    throttle: LoginThrottle
    family_lifetime: timedelta
    locks: Locks

    async def execute(self, *, email: str, password: str, client: str) -> TokenPair:
        account = _account_key(email)
        guard = Guard(self.throttle, self.uow, self.clock, self.ids)
        slot = await guard.reserve(account=account, client=client)
        try:
            user = await self._find(account)
            ok, new_hash = await self.hasher.verify_and_update(
                password, user.password_hash if user else None
            )
        except BaseException:
            await guard.errored(slot)
            raise
        if user is None or not ok:
            await guard.failed(slot, user.id if user else None)
            raise InvalidCredentialsError()
        await guard.succeeded(slot)
        return await self._open_family(user, new_hash)

    async def _find(self, account: str) -> User | None:
        async with self.uow as uow:
            return await uow.users.get_by_email(account)

    async def _open_family(self, user: User, new_hash: str | None) -> TokenPair:
        now = self.clock.now()
        family = start_family(
            jti=self.ids.new_id(),
            family_id=self.ids.new_id(),
            user_id=user.id,
            now=now,
            lifetime=self.family_lifetime,
        )
        async with self.locks.hold(user.id), self.uow as uow:
            if await uow.users.get(user.id) is None:  # deleted since the password check
                raise InvalidCredentialsError()
            if new_hash is not None:
                await uow.users.set_password_hash(user.id, new_hash)
            await uow.refresh_tokens.add(family)
            await uow.commit()
        return pair_for(user, family, self.tokens, now)


def _account_key(email: str) -> str:
    try:
        return normalize_email(email)
    except InvalidEmailError:
        return email.strip().lower()[:254]  # still counted, still hashed once
