"""Use case: sign in with email and password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from application.auth.tokens import TokenPair, pair_for
from application.errors import InvalidCredentialsError, RateLimitedError
from application.locks import KeyedLocks
from application.ports import (
    Clock,
    IdGenerator,
    LoginThrottle,
    PasswordHasher,
    TokenIssuer,
    UnitOfWork,
)
from domain.audit import AuditAction, AuditEvent
from domain.errors import InvalidEmailError
from domain.tokens import start_family
from domain.users import User, normalize_email


@dataclass(frozen=True, slots=True)
class Authenticate:
    """Check the password and open a new refresh-token family. Unknown email and wrong
    password get the same answer after the same single hash (security.md #6); failures are
    throttled per account and per client address (#7); a due re-hash is saved (#2)."""

    uow: UnitOfWork
    hasher: PasswordHasher
    tokens: TokenIssuer
    clock: Clock
    ids: IdGenerator
    throttle: LoginThrottle
    family_lifetime: timedelta
    locks: KeyedLocks

    async def execute(self, *, email: str, password: str, client: str) -> TokenPair:
        account = _account_key(email)
        keys = [f"account:{account}", f"client:{client}"]
        wait = self.throttle.retry_after(keys, self.clock.now())
        if wait:
            raise RateLimitedError(wait)
        user = await self._find(account)
        ok, new_hash = await self.hasher.verify_and_update(
            password, user.password_hash if user else None
        )
        if user is None or not ok:
            locked = self.throttle.record_failure(keys, self.clock.now())
            if locked:
                await self._audit_lock(user, locked)
            raise InvalidCredentialsError()
        self.throttle.reset(keys[0])
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

    async def _audit_lock(self, user: User | None, keys: list[str]) -> None:
        """Locks are security events of note (security.md #44); addresses are not stored."""
        kinds = ",".join(sorted(key.split(":", 1)[0] for key in keys))
        event = AuditEvent(self.ids.new_id(), self.clock.now(), AuditAction.LOGIN_LOCK, None,
                           user.id if user else None, "locked", kinds)  # fmt: skip
        async with self.uow as uow:
            await uow.audit.add(event)
            await uow.commit()


def _account_key(email: str) -> str:
    try:
        return normalize_email(email)
    except InvalidEmailError:
        return email.strip().lower()[:254]  # still counted, still hashed once
