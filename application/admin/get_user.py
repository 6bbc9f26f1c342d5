"""Use case: one user by id."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.ports.system import UnitOfWork
from domain.users import User


@dataclass(frozen=True, slots=True)
class GetUser:
    """One user by id; unknown ids are 404."""

    uow: UnitOfWork

    async def execute(self, *, user_id: str) -> User:
        async with self.uow as uow:
            user = await uow.users.get(user_id)
        if user is None:
            raise NotFoundError()
        return user
