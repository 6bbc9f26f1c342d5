"""Use case: revoke one of one's own API keys."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.keys.revocation import audit_revocation
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict


@dataclass(frozen=True, slots=True)
class RevokeApiKey:
    """Revoke a key: it is refused from the very next request. Someone else's key, an
    unknown one or one already revoked is a 404."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    locks: Locks

    async def execute(self, *, actor_id: str, user_id: str, key_id: str) -> None:
        async with self.locks.hold(user_id):
            await retry_on_conflict(lambda: self._revoke(actor_id, user_id, key_id))

    async def _revoke(self, actor_id: str, user_id: str, key_id: str) -> None:
        now = self.clock.now()
        async with self.uow as uow:
            key = await uow.api_keys.get(key_id)
            if key is None or key.user_id != user_id or key.revoked_at is not None:
                raise NotFoundError()
            await uow.api_keys.revoke(key_id, now)
            reason = "by owner" if actor_id == user_id else "by admin"
            await audit_revocation(uow, self.ids, key, actor_id=actor_id, now=now, reason=reason)
            await uow.commit()
