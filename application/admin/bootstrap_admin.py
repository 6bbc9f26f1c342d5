"""Use case: create or promote the first admin (CLI or environment at start-up)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from application.errors import EmailTakenError
from application.locks import KeyedLocks
from application.ports.auth import PasswordHasher
from application.ports.system import Clock, IdGenerator, UnitOfWork
from domain.audit import AuditAction, AuditEvent
from domain.users import PasswordPolicy, Role, User, normalize_email


class BootstrapOutcome(StrEnum):
    CREATED = "created"
    PROMOTED = "promoted"
    ALREADY_ADMIN = "already_admin"


@dataclass(frozen=True, slots=True)
class BootstrapAdmin:
    """Admins only come from this explicit step, never from defaults (security.md #8).
    An existing account with that email is promoted; its password is left unchanged."""

    uow: UnitOfWork
    hasher: PasswordHasher
    clock: Clock
    ids: IdGenerator
    policy: PasswordPolicy
    locks: KeyedLocks

    async def execute(self, *, email: str, password: str) -> BootstrapOutcome:
        address = normalize_email(email)
        async with self.uow as uow:
            existing = await uow.users.get_by_email(address)
        if existing is not None:
            return await self._promote(existing)
        self.policy.check(password)
        admin = User(
            id=self.ids.new_id(),
            email=address,
            role=Role.ADMIN,
            password_hash=await self.hasher.hash(password),
            created_at=self.clock.now(),
        )
        try:
            async with self.uow as uow:
                await uow.users.add(admin)
                await uow.audit.add(self._event(admin.id, BootstrapOutcome.CREATED))
                await uow.commit()
        except EmailTakenError:  # another API process bootstrapped at the same moment
            async with self.uow as uow:
                existing = await uow.users.get_by_email(address)
            if existing is None:
                raise
            return await self._promote(existing)
        return BootstrapOutcome.CREATED

    async def _promote(self, user: User) -> BootstrapOutcome:
        if user.is_admin:
            return BootstrapOutcome.ALREADY_ADMIN
        async with self.locks.hold(user.id), self.uow as uow:
            await uow.users.set_role(user.id, Role.ADMIN)
            await uow.refresh_tokens.revoke_user_families(user.id, self.clock.now())
            await uow.audit.add(self._event(user.id, BootstrapOutcome.PROMOTED))
            await uow.commit()
        return BootstrapOutcome.PROMOTED

    def _event(self, user_id: str, outcome: BootstrapOutcome) -> AuditEvent:
        now = self.clock.now()
        return AuditEvent(
            self.ids.new_id(), now, AuditAction.ADMIN_BOOTSTRAP, None, user_id, outcome.value
        )
