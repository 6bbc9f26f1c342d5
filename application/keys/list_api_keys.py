"""Use case: one's own live API keys."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.system import Clock, UnitOfWork
from domain.api_keys import ApiKey


@dataclass(frozen=True, slots=True)
class ListApiKeys:
    """Your live keys (neither revoked nor expired), newest first, without secrets: name,
    prefix, created, expires and last used (written at most once a minute)."""

    uow: UnitOfWork
    clock: Clock

    async def execute(self, *, user_id: str) -> list[ApiKey]:
        async with self.uow as uow:
            return await uow.api_keys.live_for_user(user_id, self.clock.now())
