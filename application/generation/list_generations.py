"""Use cases on the history: list, open, delete a generation, and open its media."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from application.errors import NotFoundError
from application.ports.generation import HistoryReader, MediaStore, StoredMedia
from application.ports.system import UnitOfWork
from domain.errors import Error
from domain.generations import Generation, GenerationKind
from domain.media import MediaRef

MAX_PAGE = 100


class InvalidCursorError(Error):
    code = "validation_error"
    default_detail = "The cursor is not one this API handed out."


@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: list[Generation]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListHistory:
    """A user's own generations, newest first, a page at a time."""

    reader: HistoryReader

    async def execute(
        self, *, user_id: str, kind: GenerationKind | None, limit: int, cursor: str | None
    ) -> HistoryPage:
        size = max(1, min(limit, MAX_PAGE))
        items = await self.reader.page(
            user_id=user_id, kind=kind, limit=size + 1, before=decode_cursor(cursor)
        )
        more = len(items) > size
        items = items[:size]
        return HistoryPage(items, encode_cursor(items[-1]) if more else None)


@dataclass(frozen=True, slots=True)
class GetGeneration:
    """A generation is visible to its owner and to admins; to anyone else it does not
    exist (404, not 403: security.md #28)."""

    uow: UnitOfWork

    async def execute(self, *, generation_id: str, user_id: str, is_admin: bool) -> Generation:
        async with self.uow as uow:
            generation = await uow.generations.get(generation_id)
        if generation is None or not generation.visible_to(user_id, is_admin=is_admin):
            raise NotFoundError()
        return generation


@dataclass(frozen=True, slots=True)
class DeleteGeneration:
    """The owner (or an admin) deletes a generation; its media files go with it."""

    uow: UnitOfWork
    media: MediaStore

    async def execute(self, *, generation_id: str, user_id: str, is_admin: bool) -> None:
        async with self.uow as uow:
            generation = await uow.generations.get(generation_id)
            if generation is None or not generation.visible_to(user_id, is_admin=is_admin):
                raise NotFoundError()
            await uow.generations.delete(generation_id)
            await uow.commit()
        await self.media.delete(list(generation.media))


@dataclass(frozen=True, slots=True)
class OpenMedia:
    """Media bytes go only to their owner or an admin; others get 404."""

    uow: UnitOfWork
    media: MediaStore

    async def execute(
        self, *, media_id: str, user_id: str, is_admin: bool
    ) -> tuple[MediaRef, StoredMedia]:
        async with self.uow as uow:
            ref = await uow.generations.media(media_id)
        if ref is None or not (is_admin or ref.owner_id == user_id):
            raise NotFoundError()
        return ref, await self.media.open(ref)


def encode_cursor(last: Generation) -> str:
    raw = f"{last.created_at.isoformat()}|{last.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, generation_id = raw.partition("|")
        parsed = datetime.fromisoformat(moment)
    except ValueError as exc:
        raise InvalidCursorError() from exc
    if parsed.tzinfo is None or not generation_id:
        raise InvalidCursorError()
    return parsed, generation_id
