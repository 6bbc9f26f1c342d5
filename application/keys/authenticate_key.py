"""Use case: the key behind an `Authorization: Bearer agk_...` header."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from application.errors import ConflictError
from application.ports.api_keys import ApiKeyLookup, KeyDigester
from application.ports.system import Clock, UnitOfWork
from domain.api_keys import ApiKey
from domain.errors import TokenInvalidError

log = logging.getLogger("allucanget.keys")


@dataclass(frozen=True, slots=True)
class AuthenticateKey:
    """A key is found by its digest (one indexed lookup), the stored digest is compared in
    constant time, and it must be neither revoked nor expired: any failure is the same 401
    token_invalid. Its use is written down at most once a minute."""

    lookup: ApiKeyLookup
    digester: KeyDigester
    uow: UnitOfWork
    clock: Clock

    async def execute(self, *, key: str) -> ApiKey:
        now = self.clock.now()
        digest = self.digester.digest(key)
        found = await self.lookup.by_digest(digest)
        if found is None or not self.digester.matches(found.digest, digest):
            raise TokenInvalidError("This API key is not valid.")
        if not found.is_live(now):
            raise TokenInvalidError("This API key was revoked or has expired.")
        if found.use_is_due(now):
            await self._touch(found, now)
        return found

    async def _touch(self, key: ApiKey, now: datetime) -> None:
        try:
            async with self.uow as uow:
                await uow.api_keys.touch(key.id, now)
                await uow.commit()
        except ConflictError:  # a concurrent use or revocation won; a missed mark is harmless
            log.debug("last_used_at of key %s not written (conflict)", key.id)
