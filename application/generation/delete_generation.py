"""Use case: delete a generation of the history, with its media files."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.visibility import visible_or_not_found
from application.ports.generation import MediaStore
from application.ports.system import UnitOfWork


@dataclass(frozen=True, slots=True)
class DeleteGeneration:
    """The owner (or an admin) deletes a generation; its media files go with it."""

    uow: UnitOfWork
    media: MediaStore

    async def execute(self, *, generation_id: str, user_id: str, is_admin: bool) -> None:
        async with self.uow as uow:
            found = await uow.generations.get(generation_id)
            generation = visible_or_not_found(found, user_id, is_admin=is_admin)
            await uow.generations.delete(generation_id)
            await uow.commit()
        await self.media.delete(list(generation.media))
