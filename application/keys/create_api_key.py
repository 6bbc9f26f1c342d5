"""Use case: create an API key for oneself."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import OwnerDeletedError
from application.ports.api_keys import KeyDigester
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.api_keys import MAX_LIVE_KEYS, ApiKey, TooManyKeysError, expiry, shown_prefix
from domain.audit import AuditAction, AuditEvent


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: ApiKey
    secret: str  # the key itself: shown in this answer only, never stored


@dataclass(frozen=True, slots=True)
class CreateApiKey:
    """Create an API key: `agk_` and 32 random bytes (URL-safe base64), shown once. Only an
    HMAC-SHA-256 digest under a server secret is stored. At most 20 live keys per user
    (409 too_many_keys); a key may expire after 1 to 3650 days, or never."""

    uow: UnitOfWork
    digester: KeyDigester
    clock: Clock
    ids: IdGenerator
    locks: Locks

    async def execute(self, *, user_id: str, name: str, expires_in_days: int | None) -> CreatedKey:
        async with self.locks.hold(user_id):  # the count and the insert, one at a time
            return await retry_on_conflict(lambda: self._create(user_id, name, expires_in_days))

    async def _create(self, user_id: str, name: str, days: int | None) -> CreatedKey:
        now = self.clock.now()
        secret = self.digester.new_key()
        key = ApiKey(
            id=self.ids.new_id(),
            user_id=user_id,
            name=name,
            prefix=shown_prefix(secret),
            digest=self.digester.digest(secret),
            created_at=now,
            expires_at=expiry(now, days),
        )
        async with self.uow as uow:
            if await uow.users.get(user_id) is None:
                raise OwnerDeletedError()
            if len(await uow.api_keys.live_for_user(user_id, now)) >= MAX_LIVE_KEYS:
                raise TooManyKeysError()
            await uow.api_keys.add(key)
            event = AuditEvent(
                self.ids.new_id(),
                now,
                AuditAction.API_KEY_CREATED,
                user_id,
                user_id,
                "ok",
                f"{key.id} {key.prefix}",
            )
            await uow.audit.add(event)
            await uow.commit()
        return CreatedKey(key=key, secret=secret)
