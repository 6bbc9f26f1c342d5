"""The owner-or-admin check of every use case that opens or deletes something of a user's."""

from __future__ import annotations

from typing import Protocol, TypeVar

from application.errors import NotFoundError


class Owned(Protocol):
    def visible_to(self, user_id: str, *, is_admin: bool) -> bool: ...


T = TypeVar("T", bound=Owned)


def visible_or_not_found(item: T | None, user_id: str, *, is_admin: bool) -> T:
    """`item` if the caller owns it or is an admin; to anyone else it does not exist
    (404, not 403: security.md #28)."""
    if item is None or not item.visible_to(user_id, is_admin=is_admin):
        raise NotFoundError()
    return item
