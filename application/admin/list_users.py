"""Use case: list users, a page at a time, optionally searched by email."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.admin import Page, UserDirectory
from domain.users import User

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class ListUsers:
    """Users by email (substring search), a page at a time, with the total."""

    directory: UserDirectory

    async def execute(self, *, query: str | None, limit: int, offset: int) -> Page[User]:
        needle = (query or "").strip().lower() or None
        return await self.directory.page(
            query=needle, limit=max(1, min(limit, MAX_PAGE)), offset=max(0, offset)
        )
