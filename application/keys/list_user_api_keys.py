"""Use case: an admin lists a user's live API keys."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.ports.system import Clock, UnitOfWork
from domain.api_keys import ApiKey


@dataclass(frozen=True, slots=True)
class ListUserApiKeys:
    """A user's live keys, as they see them (no secrets); 404 for an unknown user."""

    uow: UnitOfWork
    clock: Clock

    async def execute(self, *, user_id: str) -> list[ApiKey]:
        async with self.uow as uow:
            if await uow.users.get(user_id) is None:
                raise NotFoundError()
            return await uow.api_keys.live_for_user(user_id, self.clock.now())
