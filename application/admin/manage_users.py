"""Use cases: list and look up users, change a role, delete a user with everything theirs."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.locks import KeyedLocks, owner_key
from application.ports.admin import Page, UserDirectory
from application.ports.generation import MediaStore
from application.ports.system import Clock, IdGenerator, UnitOfWork
from application.retry import retry_on_conflict
from domain.audit import AuditAction, AuditEvent
from domain.media import MediaRef
from domain.users import Role, User, ensure_an_admin_remains

ADMINS_KEY = "role:admin"  # serialises every change that could remove an admin
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


@dataclass(frozen=True, slots=True)
class ChangeRole:
    """An admin sets a user's role. The last admin cannot be demoted. The change holds from
    the target's very next request, and all their sessions are revoked so that no refresh
    token outlives the role it was issued under (security.md #25)."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    locks: KeyedLocks

    async def execute(self, *, actor_id: str, user_id: str, role: Role) -> User:
        async with self.locks.hold(ADMINS_KEY), self.locks.hold(user_id):
            return await retry_on_conflict(lambda: self._change(actor_id, user_id, role))

    async def _change(self, actor_id: str, user_id: str, role: Role) -> User:
        now = self.clock.now()
        async with self.uow as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFoundError()
            ensure_an_admin_remains(user, role, await uow.users.count_admins())
            await uow.users.set_role(user_id, role)
            await uow.refresh_tokens.revoke_user_families(user_id, now)
            change = f"{user.role} -> {role}"
            await uow.audit.add(AuditEvent(self.ids.new_id(), now, AuditAction.ROLE_CHANGE,
                                           actor_id, user_id, "ok", change))  # fmt: skip
            await uow.commit()
        return User(user.id, user.email, role, user.password_hash, user.created_at)


@dataclass(frozen=True, slots=True)
class DeleteUser:
    """An admin deletes a user: the account, refresh tokens, generations, video jobs and
    media rows go in one transaction, the media files right after. The last admin cannot
    be deleted. The user's lock keeps their own refresh or sign-in from slipping a row in;
    the owner lock does the same for a generation or video job still in flight, which is
    then refused rather than written for a user who no longer exists."""

    uow: UnitOfWork
    media: MediaStore
    clock: Clock
    ids: IdGenerator
    locks: KeyedLocks

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
            await uow.users.delete(user_id)
            await uow.audit.add(AuditEvent(self.ids.new_id(), now, AuditAction.USER_DELETED,
                                           actor_id, user_id, "ok", user.email))  # fmt: skip
            await uow.commit()
        return refs
