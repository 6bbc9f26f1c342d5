"""Use case: an admin changes a user's role."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFoundError
from application.keys.revocation import revoke_all_keys
from application.locks import ADMINS_KEY
from application.ports.system import Clock, IdGenerator, Locks, UnitOfWork
from application.retry import retry_on_conflict
from domain.audit import AuditAction, AuditEvent
from domain.users import Role, User, ensure_an_admin_remains


@dataclass(frozen=True, slots=True)
class ChangeRole:
    """An admin sets a user's role. The last admin cannot be demoted. The change holds from
    the target's very next request, and all their sessions are revoked so that no refresh
    token outlives the role it was issued under (security.md #25). A demotion also revokes
    the user's API keys (SECURITY.md, API keys)."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    locks: Locks

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
            if user.is_admin and role is not Role.ADMIN:
                await revoke_all_keys(
                    uow, self.ids, user_id, actor_id=actor_id, now=now, reason="demoted"
                )
            change = f"{user.role} -> {role}"
            event = AuditEvent(
                self.ids.new_id(), now, AuditAction.ROLE_CHANGE, actor_id, user_id, "ok", change
            )
            await uow.audit.add(event)
            await uow.commit()
        return User(user.id, user.email, role, user.password_hash, user.created_at)
