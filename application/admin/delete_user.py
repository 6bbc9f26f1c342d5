"""Use case: an admin deletes a user with everything theirs."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.locks import ADMINS_KEY, owner_key
from application.ports.generation import MediaStore
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.audit import AuditAction, AuditEvent
from domain.media import MediaRef
from domain.users import ensure_an_admin_remains


@dataclass(frozen=True, slots=True)
class DeleteUser:
    """An admin deletes a user: the account, refresh tokens, API keys, generations, video
    jobs and media rows go in one transaction, the media files right after. The last admin
    cannot be deleted. The user's lock keeps their own refresh or sign-in from slipping a
    row in; the owner lock does the same for a generation or video job still in flight,
    which is then refused rather than written for a user who no longer exists."""

    uow: UnitOfWork
    media: MediaStore
    clock: Clock
    ids: IdGenerator
    locks: Locks

    async def execute(self, *, actor_id: str, user_id: str) -> None:
        async with (
            self.locks.hold(ADMINS_KEY),
            self.locks.hold(user_id),
            self.locks.hold(owner_key(user_id)),
        ):
            refs = await retry_on_conflict(lambda: self._delete(actor_id, user_id))
        await self.media.delete(refs)

    async def _delete(self, actor_id: str, user_id: str) -> list[MediaRef]:
        now = self.clock.now()
        async with self.uow as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFoundError()
            ensure_an_admin_remains(user, None, await uow.users.count_admins())
            refs = await uow.generations.delete_for_user(user_id)
            await uow.conversations.delete_for_user(user_id)
            await uow.refresh_tokens.delete_for_user(user_id)
            await uow.api_keys.delete_for_user(user_id)
            await uow.users.delete(user_id)
            event = AuditEvent(
                self.ids.new_id(),
                now,
                AuditAction.USER_DELETED,
                actor_id,
                user_id,
                "ok",
                user.email,
            )
            await uow.audit.add(event)
            await uow.commit()
        return refs
