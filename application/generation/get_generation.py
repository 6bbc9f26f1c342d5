"""Use case: one generation of the history, as its owner (or an admin) sees it."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.visibility import visible_or_not_found
from application.ports.system import UnitOfWork
from domain.generations import Generation


@dataclass(frozen=True, slots=True)
class GetGeneration:
    """A generation is visible to its owner and to admins; to anyone else it is 404."""

    uow: UnitOfWork

    async def execute(self, *, generation_id: str, user_id: str, is_admin: bool) -> Generation:
        async with self.uow as uow:
            generation = await uow.generations.get(generation_id)
        return visible_or_not_found(generation, user_id, is_admin=is_admin)
