"""Use case: open a media file (an image, a video) of a generation."""

from __future__ import annotations

from dataclasses import dataclass

from application.generation.visibility import visible_or_not_found
from application.ports.generation import MediaStore, StoredMedia
from application.ports.system import UnitOfWork
from domain.media import MediaRef


@dataclass(frozen=True, slots=True)
class OpenMedia:
    """Media bytes go only to their owner or an admin; others get 404."""

    uow: UnitOfWork
    media: MediaStore

    async def execute(
        self, *, media_id: str, user_id: str, is_admin: bool
    ) -> tuple[MediaRef, StoredMedia]:
        async with self.uow as uow:
            found = await uow.generations.media(media_id)
        ref = visible_or_not_found(found, user_id, is_admin=is_admin)
        return ref, await self.media.open(ref)
